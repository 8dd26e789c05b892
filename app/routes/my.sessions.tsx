import { pageTitle } from '~/components/admin/page-title'
import { getFormProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { RouteErrorBoundary } from '~/components/route-error'
import { AttendanceBadge, InvitationBadge, SessionPlace, useSessionTime } from '~/components/sessions/badges'
import { InvitationAnswerFields } from '~/components/sessions/invitation-answer'
import { FieldErrors, FormErrors } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { appUrl } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { AbsenceRequestForm, InvitationAnswer } from '~/modules/sessions/sessions'
import { requestAbsence } from '~/modules/attendance/absences.server'
import { listMySessions, respondToInvitation } from '~/modules/sessions/invitations.server'
import type { SurveyState } from '~/modules/surveys/surveys'
import { mySurveyStates } from '~/modules/surveys/surveys.server'
import { readForm, requireValid } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.mySessions'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const [sessions, surveys] = await Promise.all([listMySessions(user), mySurveyStates(user)])
  return { sessions, surveys }
}

const RespondForm = z.object({ intent: InvitationAnswer, sessionId: z.string().uuid() })

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readForm(request)
  const intent = formData.get('intent')
  if (intent === 'request-absence') {
    const submission = parseWithZod(formData, { schema: AbsenceRequestForm })
    if (submission.status !== 'success') return { sessionId: String(formData.get('sessionId')), result: submission.reply() }
    const result = await requestAbsence(user, submission.value.sessionId, submission.value.reason)
    if (!result.ok) return { sessionId: submission.value.sessionId, result: submission.reply({ fieldErrors: { reason: [result.error] } }) }
    return { sessionId: submission.value.sessionId, result: submission.reply({ resetForm: true }), notice: 'mySessions.absenceSent' }
  }
  const input = await requireValid(formData, RespondForm)
  const result = await respondToInvitation(user, input.sessionId, input.intent, { origin: appUrl() })
  if (!result.ok) return { sessionId: input.sessionId, error: result.error }
  return { sessionId: input.sessionId, notice: `mySessions.answered.${result.status}` }
}

type MySession = ReturnType<typeof useLoaderData<typeof loader>>['sessions'][number]

function AbsenceForm({ sessionId, data }: { sessionId: string; data: ReturnType<typeof useActionData<typeof action>> }) {
  const t = useT()
  const mine = data?.sessionId === sessionId && data && 'result' in data ? data.result : undefined
  const [form, fields] = useForm({
    id: `absence-${sessionId}`,
    lastResult: mine,
    constraint: getZodConstraint(AbsenceRequestForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AbsenceRequestForm }),
    shouldValidate: 'onBlur',
  })
  return (
    <details className="mt-2" open={Boolean(fields.reason.errors)}>
      <summary className="cursor-pointer text-sm text-brand-700">{t('mySessions.askExcused')}</summary>
      <Form method="post" {...getFormProps(form)} className="mt-2 space-y-2">
        <input type="hidden" name="intent" value="request-absence" />
        <input type="hidden" name="sessionId" value={sessionId} />
        <label htmlFor={fields.reason.id} className="label">
          {t('mySessions.reason')}
        </label>
        <textarea {...getTextareaProps(fields.reason)} key={fields.reason.key} rows={2} className="input" />
        <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} />
        <button type="submit" className="btn-secondary">
          {t('mySessions.sendRequest')}
        </button>
      </Form>
    </details>
  )
}

function SessionCard({ s, data, survey }: { s: MySession; data: ReturnType<typeof useActionData<typeof action>>; survey?: SurveyState }) {
  const t = useT()
  const sessionTime = useSessionTime()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting' && navigation.formData?.get('sessionId') === s.sessionId
  const here = data?.sessionId === s.sessionId
  return (
    <li className="card space-y-2 !p-4">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="mr-auto text-lg font-semibold">{s.title}</h3>
        {s.sessionStatus === 'cancelled' ? (
          <span className="badge bg-red-100 text-red-900">{t('sessions.cancelled')}</span>
        ) : s.attendance ? (
          <AttendanceBadge status={s.attendance} />
        ) : (
          <InvitationBadge status={s.status} rank={s.waitlistRank} />
        )}
      </div>
      <p className="text-sm text-slate-700" suppressHydrationWarning>
        {sessionTime(s)}
      </p>
      <p className="text-sm text-slate-700">
        <SessionPlace place={s.place} onlineUrl={s.onlineUrl} />
      </p>
      {s.description ? <p className="whitespace-pre-line text-sm text-slate-700">{s.description}</p> : null}
      {s.attendance ? (
        <p className="text-sm">
          {t('mySessions.attendance')}: <AttendanceBadge status={s.attendance} />
        </p>
      ) : null}
      {s.absence ? <p className="text-sm text-slate-700">{t(`mySessions.absence.${s.absence}`)}</p> : null}
      {survey === 'open' ? (
        <p>
          <Link to={`/sessions/${s.sessionId}/survey`} className="btn-primary" aria-label={`${t('surveys.giveFeedback')}: ${s.title}`}>
            {t('surveys.giveFeedback')}
          </Link>
        </p>
      ) : survey === 'answered' ? (
        <p>
          <span className="badge bg-emerald-100 text-emerald-900">{t('surveys.feedbackSent')}</span>
        </p>
      ) : null}
      {here && data && 'notice' in data && data.notice ? (
        <p className="notice" role="status">
          {t(data.notice)}
        </p>
      ) : null}
      {here && data && 'error' in data && data.error ? <FormErrors errors={[data.error]} /> : null}
      {s.answerable ? (
        <>
          <Form method="post" className="flex flex-wrap gap-2">
            <InvitationAnswerFields sessionId={s.sessionId} status={s.status} busy={busy} />
          </Form>
          {s.status !== 'declined' && !s.absence ? <AbsenceForm sessionId={s.sessionId} data={data} /> : null}
        </>
      ) : null}
    </li>
  )
}

export default function MySessions() {
  const t = useT()
  const { sessions, surveys } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const upcoming = sessions.filter((s) => !s.past)
  const past = sessions.filter((s) => s.past).reverse()
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div>
        <h1>{t('mySessions.title')}</h1>
        <p className="text-sm text-slate-700">
          {t('mySessions.intro')} <Link to="/check-in">{t('mySessions.checkInLink')}</Link>
        </p>
      </div>
      <section aria-labelledby="upcoming" className="space-y-3">
        <h2 id="upcoming">{t('sessions.when.upcoming')}</h2>
        {upcoming.length === 0 ? (
          <p className="text-slate-700">{t('mySessions.none')}</p>
        ) : (
          <ul className="space-y-3">
            {upcoming.map((s) => (
              <SessionCard key={s.sessionId} s={s} data={data} survey={surveys[s.sessionId]} />
            ))}
          </ul>
        )}
      </section>
      {past.length ? (
        <section aria-labelledby="past" className="space-y-3">
          <h2 id="past">{t('sessions.when.past')}</h2>
          <ul className="space-y-3">
            {past.map((s) => (
              <SessionCard key={s.sessionId} s={s} data={data} survey={surveys[s.sessionId]} />
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
