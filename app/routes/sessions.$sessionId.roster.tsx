import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { z } from 'zod'
import { RouteErrorBoundary } from '~/components/route-error'
import { AttendanceBadge, InvitationBadge, useSessionTime } from '~/components/sessions/badges'
import { FieldErrors } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { AllPresentForm, attendanceStatuses, MarkForm, type AttendanceStatus } from '~/modules/attendance/attendance'
import { addWalkIn, getRoster, markAllPresent, markAttendance } from '~/modules/attendance/attendance.server'
import { Email } from '~/modules/auth/auth'
import { requireUser } from '~/modules/auth/session.server'
import { param, readForm, requireValid } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.session.title ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getRoster(user, param(params, 'sessionId'))
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const sessionId = param(params, 'sessionId')
  const formData = await readForm(request)
  const fields = Object.fromEntries(formData)
  if (fields.intent === 'walk-in') {
    const submission = parseWithZod(formData, { schema: WalkInForm })
    if (submission.status !== 'success') return { walkIn: submission.reply() }
    const result = await addWalkIn(user, sessionId, submission.value.email)
    if (!result.ok) return { walkIn: submission.reply({ fieldErrors: { email: [result.error] } }) }
    return { walkIn: submission.reply({ resetForm: true }), added: result.name }
  }
  if (fields.intent === 'all-present') {
    await requireValid(formData, AllPresentForm)
    const result = await markAllPresent(user, sessionId)
    return result.ok ? { marked: result.marked } : { error: result.error }
  }
  const input = await requireValid(formData, MarkForm)
  const result = await markAttendance(user, sessionId, input.userId, input.status)
  return result.ok ? { userId: input.userId, status: input.status } : { error: result.error }
}

const WalkInForm = z.object({ intent: z.literal('walk-in'), email: Email })

/** Refreshes the roster every few seconds while the page is visible, so self check-ins appear by themselves. */
function useLiveRefresh(ms: number) {
  const revalidator = useRevalidator()
  const latest = useRef(revalidator)
  latest.current = revalidator
  useEffect(() => {
    const id = window.setInterval(() => {
      if (document.visibilityState === 'visible' && latest.current.state === 'idle') latest.current.revalidate()
    }, ms)
    return () => window.clearInterval(id)
  }, [ms])
}

const statusStyle: Record<AttendanceStatus, string> = {
  present: 'aria-pressed:bg-emerald-700 aria-pressed:text-white',
  late: 'aria-pressed:bg-amber-600 aria-pressed:text-white',
  excused: 'aria-pressed:bg-sky-700 aria-pressed:text-white',
  absent: 'aria-pressed:bg-red-700 aria-pressed:text-white',
}

type Person = ReturnType<typeof useLoaderData<typeof loader>>['people'][number]

function RosterRow({ person }: { person: Person }) {
  const t = useT()
  const fetcher = useFetcher<typeof action>()
  // Show the tap at once; the next refresh confirms what was stored.
  const pending = fetcher.formData?.get('status') as AttendanceStatus | undefined
  const status = pending ?? person.status
  const failed = fetcher.state === 'idle' && fetcher.data && 'error' in fetcher.data
  return (
    <li className="py-3">
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="font-medium">{person.name}</span>
        {person.invitation !== 'accepted' && person.invitation !== 'invited' ? <InvitationBadge status={person.invitation} /> : null}
        <span className="ml-auto">
          <AttendanceBadge status={status} />
        </span>
      </div>
      {person.method && person.method !== 'trainer' ? (
        <p className="text-xs text-slate-600">{t('roster.selfCheckIn', { method: t(`attendance.method.${person.method}`) })}</p>
      ) : null}
      <fetcher.Form method="post" className="mt-2 grid grid-cols-4 gap-1" aria-label={t('roster.markNamed', { name: person.name })}>
        <input type="hidden" name="intent" value="mark" />
        <input type="hidden" name="userId" value={person.userId} />
        {attendanceStatuses.map((s) => (
          <button
            key={s}
            type="submit"
            name="status"
            value={s}
            aria-pressed={status === s}
            className={`min-h-11 rounded-md border border-slate-300 bg-white px-1 text-sm font-medium text-slate-800 ${statusStyle[s]}`}
          >
            {t(`attendance.status.${s}`)}
          </button>
        ))}
      </fetcher.Form>
      {failed ? (
        <p className="field-error" role="alert">
          {t('roster.markFailed')}
        </p>
      ) : null}
    </li>
  )
}

/** Someone in the room who is not on the list: added with a seat and marked present. */
function WalkIn() {
  const t = useT()
  const data = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'walk-in',
    lastResult: data && 'walkIn' in data ? data.walkIn : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: WalkInForm }),
    shouldValidate: 'onSubmit',
  })
  return (
    <details className="rounded-lg border border-slate-200 bg-white p-3" open={Boolean(fields.email.errors)}>
      <summary className="cursor-pointer text-sm font-medium">{t('roster.walkIn')}</summary>
      {data && 'added' in data && data.added ? (
        <p className="notice mt-2" role="status">
          {t('roster.walkInAdded', { name: data.added })}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="mt-2 flex flex-wrap items-end gap-2">
        <input type="hidden" name="intent" value="walk-in" />
        <div className="min-w-0 flex-1">
          <label htmlFor={fields.email.id} className="label">
            {t('common.email')}
          </label>
          <input {...getInputProps(fields.email, { type: 'email' })} key={fields.email.key} className="input" autoComplete="off" />
          <FieldErrors id={fields.email.errorId} errors={fields.email.errors} />
        </div>
        <button type="submit" className="btn-secondary">
          {t('roster.walkInSubmit')}
        </button>
      </Form>
    </details>
  )
}

export default function Roster() {
  const t = useT()
  const sessionTime = useSessionTime()
  const { session, people, tally } = useLoaderData<typeof loader>()
  const navigation = useNavigation()
  useLiveRefresh(4000)
  const unmarked = tally.unmarked
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <p>
        <Link to={`/sessions/${session.id}`}>← {session.title}</Link>
      </p>
      <div>
        <h1>{t('roster.title')}</h1>
        <p className="text-sm text-slate-700" suppressHydrationWarning>
          {sessionTime(session)}
        </p>
      </div>
      <p className="sticky top-0 z-10 -mx-4 flex flex-wrap gap-x-3 gap-y-1 border-b border-slate-200 bg-slate-50/95 px-4 py-2 text-sm" aria-live="polite">
        {(['present', 'late', 'excused', 'absent', 'unmarked'] as const).map((k) => (
          <span key={k}>
            {t(`attendance.status.${k}`)}: <strong>{tally[k]}</strong>
          </span>
        ))}
      </p>
      <div className="flex flex-wrap gap-2">
        <Link to={`/sessions/${session.id}/check-in-screen`} className="btn-secondary">
          {t('sessions.openCheckInScreen')}
        </Link>
        <a href={`/reports/attendance/export?view=session&session=${session.id}&format=csv`} className="btn-secondary" download>
          {t('reports.exportCsv')}
        </a>
        {unmarked > 0 ? (
          <Form method="post">
            <button
              type="submit"
              name="intent"
              value="all-present"
              className="btn-primary"
              disabled={navigation.state === 'submitting'}
              onClick={(e) => {
                if (!confirm(t('roster.allPresentConfirm', { count: unmarked }))) e.preventDefault()
              }}
            >
              {t('roster.allPresent', { count: unmarked })}
            </button>
          </Form>
        ) : null}
      </div>
      <WalkIn />
      {people.length === 0 ? (
        <p className="text-slate-700">{t('roster.empty')}</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white px-3">
          {people.map((p) => (
            <RosterRow key={p.userId} person={p} />
          ))}
        </ul>
      )}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
