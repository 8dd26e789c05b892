import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { SlidesPreview } from '~/components/cases/slides-preview'
import { RouteErrorBoundary } from '~/components/route-error'
import { useT } from '~/i18n/use-t'
import { PresentedForm } from '~/modules/assignments/assignments'
import { getPresenting, markPresented } from '~/modules/assignments/grading.server'
import { requireUser } from '~/modules/auth/session.server'
import { cohortForSession } from '~/modules/groups/groups.server'
import { param, readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.presenting'))

function positionOf(request: Request) {
  const at = Number(new URL(request.url).searchParams.get('at') ?? '1')
  return Number.isInteger(at) && at >= 1 && at <= 1000 ? at : 1
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { session, cohort } = await cohortForSession(user, param(params, 'sessionId'))
  if (!cohort) throw new Response('Not found', { status: 404 })
  const position = positionOf(request)
  return { session: { id: session.id, title: session.title }, position, ...(await getPresenting(user, cohort.id, position)) }
}

/** "Next group": the current group has presented; go on to the next one. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await readForm(request), { schema: PresentedForm })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  await markPresented(user, submission.value.assignmentId)
  return redirect(`/sessions/${param(params, 'sessionId')}/groups/present?at=${positionOf(request) + 1}`)
}

function useTimer(key: string) {
  const [seconds, setSeconds] = useState(0)
  useEffect(() => {
    setSeconds(0)
    const started = Date.now()
    const id = window.setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 500)
    return () => window.clearInterval(id)
  }, [key])
  return seconds
}

export default function Presenting() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const [page, setPage] = useState(1)
  const [limit, setLimit] = useState(d.current?.presentMinutes ?? 10)
  const seconds = useTimer(d.current?.id ?? 'none')
  const root = useRef<HTMLDivElement>(null)
  const currentId = d.current?.id
  const presentMinutes = d.current?.presentMinutes
  // A new group on stage starts at its first slide with its own time limit.
  useEffect(() => {
    setPage(1)
    setLimit(presentMinutes ?? 10)
  }, [currentId, presentMinutes])
  const over = seconds > limit * 60
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
  return (
    <div ref={root} className="fixed inset-0 z-50 flex flex-col bg-slate-950 text-white" data-present-position={d.position}>
      <header className="flex flex-wrap items-center gap-3 px-4 py-2 text-sm">
        <Link to={`/sessions/${d.session.id}/groups`} className="text-sky-300">
          ← {t('groups.title')}
        </Link>
        <strong className="text-lg" data-current-group>
          {d.current ? t('groups.groupName', { name: d.current.groupName }) : t('cases.present.finished')}
        </strong>
        <span className="text-slate-300">{t('cases.present.position', { at: Math.min(d.position, d.order.length), of: d.order.length })}</span>
        {d.current ? (
          <>
            <span role="timer" aria-live="off" className={`ml-auto font-mono text-2xl ${over ? 'text-red-400' : 'text-emerald-300'}`} data-timer>
              {clock} / {limit}:00
            </span>
            <label className="flex items-center gap-1">
              <span className="sr-only">{t('cases.assign.minutes')}</span>
              <input
                type="number"
                min={1}
                max={120}
                value={limit}
                onChange={(e) => setLimit(Math.max(1, Number(e.target.value) || 1))}
                className="w-16 rounded bg-slate-800 px-1 text-white"
              />
            </label>
            <button type="button" className="rounded bg-slate-800 px-2 py-1" onClick={() => void root.current?.requestFullscreen?.()}>
              {t('cases.present.fullscreen')}
            </button>
            <Form method="post">
              <input type="hidden" name="intent" value="presented" />
              <input type="hidden" name="assignmentId" value={d.current.id} />
              <button type="submit" className="rounded bg-sky-600 px-3 py-1 font-semibold" data-next-group>
                {t('cases.present.next')}
              </button>
            </Form>
          </>
        ) : null}
      </header>
      <main className="min-h-0 flex-1">
        {d.current ? (
          <SlidesPreview submission={d.submission} preview={d.preview} page={page} onPageChange={setPage} presenting />
        ) : (
          <ol className="mx-auto max-w-xl space-y-1 p-8 text-lg">
            {d.order.map((g) => (
              <li key={g.id}>
                {t('groups.groupName', { name: g.groupName })} {g.presentedAt ? '✓' : ''}
              </li>
            ))}
          </ol>
        )}
      </main>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
