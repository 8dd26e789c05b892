import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { RouteErrorBoundary } from '~/components/route-error'
import { FormErrors } from '~/components/ui/field'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { finishStudyItem, studyPackFor } from '~/modules/roleplay/study.server'
import { param, readForm } from '~/shared/forms'
import { uuid } from '~/shared/validation'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.selfStudy'))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return studyPackFor(user, param(params, 'assignmentId'))
}

const DoneForm = z.object({ intent: z.literal('done'), itemId: uuid })

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const pack = await studyPackFor(user, param(params, 'assignmentId'))
  const submission = parseWithZod(await readForm(request), { schema: DoneForm })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  if (!pack.items.some((i) => i.id === submission.value.itemId)) throw new Response('Not found', { status: 404 })
  const r = await finishStudyItem(user, submission.value.itemId)
  if (!r.ok) return data({ result: submission.reply({ formErrors: [r.error] }) }, { status: 400 })
  return { result: submission.reply({ resetForm: true }) }
}

export default function StudyPackPage() {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  const d = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const text = (v: { en: string; 'zh-CN': string } | null) => (v ? v[locale] || v.en : '')
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <p>
        <Link to={`/groups/${d.assignment.groupId}`}>← {t('roleplayStudy.group', { name: d.groupName })}</Link>
      </p>
      <div>
        <h1>{t('roleplayStudy.title')}</h1>
        <p className="text-slate-700">{t('roleplayStudy.scenario', { title: text(d.scenarioTitle) })}</p>
        {d.startsAt ? <p className="text-sm text-slate-600">{t('roleplayStudy.startsAt', { when: formatDateTime(d.startsAt) })}</p> : null}
      </div>
      {d.member ? <p>{t('roleplayStudy.intro')}</p> : null}
      <FormErrors errors={result?.result.error?.[''] ?? undefined} />
      {d.items.length === 0 ? (
        <p className="card">{t('roleplayStudy.empty')}</p>
      ) : (
        <section className="card space-y-3" aria-labelledby="pack">
          <h2 id="pack">{d.member ? t('roleplayStudy.progress', { finished: d.finished, total: d.items.length }) : t('roleplayStudy.staff.pack')}</h2>
          {d.member ? <progress className="w-full" max={d.items.length} value={d.finished} aria-labelledby="pack" /> : null}
          <ol className="divide-y divide-slate-200">
            {d.items.map((item) => {
              const state = item.finishedAt ? 'finished' : item.openedAt ? 'opened' : 'new'
              return (
                <li key={item.id} className="flex flex-wrap items-center gap-3 py-3" data-testid="study-item">
                  <div className="min-w-0 flex-1">
                    <p className="font-medium">
                      <span className="badge mr-2 bg-slate-100 text-slate-800">{t(`roleplayStudy.kind.${item.kind}`)}</span>
                      {text(item.title)}
                    </p>
                    {item.course ? <p className="text-sm text-slate-600">{text(item.course)}</p> : null}
                    {d.member ? (
                      <p className="text-sm text-slate-600">
                        <span className={state === 'finished' ? 'text-emerald-800' : state === 'opened' ? 'text-amber-800' : ''}>
                          {t(`roleplayStudy.status.${state}`)}
                        </span>
                        {state === 'finished' && item.finishedAt ? ` · ${formatDateTime(item.finishedAt)}` : null}
                        {state !== 'finished' && item.kind !== 'file' ? ` · ${t(`roleplayStudy.finishHint.${item.kind}`)}` : null}
                      </p>
                    ) : null}
                  </div>
                  {item.href ? (
                    <a href={`/roleplay/${d.assignment.id}/study/${item.id}`} className="btn-secondary">
                      {t('roleplayStudy.open')}
                    </a>
                  ) : (
                    <span className="text-sm text-slate-600">{t('roleplayStudy.gone')}</span>
                  )}
                  {d.member && item.kind === 'file' && !item.finishedAt ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="done" />
                      <input type="hidden" name="itemId" value={item.id} />
                      <button type="submit" className="btn-primary">
                        {t('roleplayStudy.markDone')}
                      </button>
                    </Form>
                  ) : null}
                </li>
              )
            })}
          </ol>
        </section>
      )}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
