import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { AudienceFields } from '~/components/org/audience-fields'
import { RouteErrorBoundary } from '~/components/route-error'
import { InvitationBadge, SessionPlace, useSessionTime } from '~/components/sessions/badges'
import { SessionFormFields } from '~/components/sessions/session-form'
import { FormErrors } from '~/components/ui/field'
import { useFormatDateTime, useLocale, useT, useFormatList } from '~/i18n/use-t'
import { pick } from '~/modules/courses/courses'
import { appUrl } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { briefingOverview } from '~/modules/briefings/briefings.server'
import { AbsenceDecision, AudienceForm, SessionForm } from '~/modules/sessions/sessions'
import { decideAbsence } from '~/modules/attendance/absences.server'
import { inviteAudience, removeInvitation } from '~/modules/sessions/invitations.server'
import { cancelSession, getSession, getSessionFormOptions, updateSession } from '~/modules/sessions/sessions.server'
import { instantToZoned } from '~/shared/time'
import { canReadSurveyResults } from '~/modules/surveys/surveys'
import { param, readForm, requireValid } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.session.title ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const view = await getSession(user, param(params, 'sessionId'))
  const [options, briefing] = await Promise.all([view.rights.manage ? getSessionFormOptions(user) : null, briefingOverview(user, view.session.id)])
  const { session } = view
  return {
    ...view,
    options,
    // Results exist once the session has ended (the survey opens then).
    surveyResults: session.status !== 'cancelled' && session.endsAt.getTime() <= Date.now() && canReadSurveyResults(user, view.rights.assigned),
    briefing,
    defaults: {
      ...session,
      startsAt: instantToZoned(session.startsAt, session.timeZone),
      endsAt: instantToZoned(session.endsAt, session.timeZone),
      trainerIds: view.trainers.map((t) => t.userId),
    },
  }
}

// The update and invite forms are told apart by `intent` before parsing; their schemas ignore it.
const UpdateForm = SessionForm
const InviteForm = AudienceForm
const RemoveForm = z.object({ intent: z.literal('remove'), userId: z.string().uuid() })
const DecideForm = z.object({ intent: z.literal('decide-absence'), requestId: z.string().uuid(), decision: AbsenceDecision })

const asFieldErrors = (errors: Record<string, string | undefined>) => Object.fromEntries(Object.entries(errors).flatMap(([k, v]) => (v ? [[k, [v]]] : [])))

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const sessionId = param(params, 'sessionId')
  const formData = await readForm(request)
  const intent = formData.get('intent')
  const origin = appUrl()
  if (intent === 'update') {
    const submission = parseWithZod(formData, { schema: UpdateForm })
    if (submission.status !== 'success') return { intent, result: submission.reply() }
    const result = await updateSession(user, sessionId, submission.value, { origin })
    if (!result.ok) return { intent, result: submission.reply({ fieldErrors: asFieldErrors(result.errors) }) }
    return { intent, result: submission.reply(), notice: result.notified ? 'sessions.updatedNotified' : 'sessions.updated' }
  }
  if (intent === 'invite') {
    const submission = parseWithZod(formData, { schema: InviteForm })
    if (submission.status !== 'success') return { intent, result: submission.reply() }
    const result = await inviteAudience(user, sessionId, submission.value, { origin })
    if (!result.ok) return { intent, result: submission.reply({ fieldErrors: asFieldErrors(result.errors) }), unknownEmails: result.unknownEmails }
    return { intent, result: submission.reply({ resetForm: true }), notice: 'sessions.invitedCount', count: result.invited }
  }
  if (intent === 'remove') {
    const input = await requireValid(formData, RemoveForm)
    await removeInvitation(user, sessionId, input.userId, { origin })
    return { intent, notice: 'sessions.removed' }
  }
  if (intent === 'cancel') {
    const result = await cancelSession(user, sessionId, { origin })
    return result.ok ? { intent, notice: 'sessions.cancelledNotified', count: result.notified } : { intent, error: result.error }
  }
  if (intent === 'decide-absence') {
    const input = await requireValid(formData, DecideForm)
    const result = await decideAbsence(user, input.requestId, input.decision)
    return result.ok ? { intent, notice: `sessions.absence.${input.decision}` } : { intent, error: result.error }
  }
  throw new Response('Bad request', { status: 400 })
}

export default function SessionDetails() {
  const t = useT()
  const formatList = useFormatList()
  const locale = useLocale()
  const sessionTime = useSessionTime()
  const formatDateTime = useFormatDateTime()
  const { session, trainers, invitations, absenceRequests, counts, rights, options, defaults, surveyResults, briefing } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const [params] = useSearchParams()
  const cancelled = session.status === 'cancelled'
  const notice = data && 'notice' in data && data.notice ? t(data.notice, { count: 'count' in data ? (data.count ?? 0) : 0 }) : null
  return (
    <div className="space-y-6">
      <p>
        <Link to="/sessions">← {t('sessions.title')}</Link>
      </p>
      <div className="space-y-1">
        <div className="flex flex-wrap items-center gap-2">
          <h1>{session.title}</h1>
          {cancelled ? <span className="badge bg-red-100 text-red-900">{t('sessions.cancelled')}</span> : null}
          {session.cohortName ? <span className="badge">{session.cohortName}</span> : null}
        </div>
        <p className="text-slate-700" suppressHydrationWarning>
          {sessionTime(session)}
        </p>
        <p className="text-slate-700">
          <SessionPlace place={session.place} onlineUrl={session.onlineUrl} />
        </p>
        {session.courseRef ? (
          <p className="text-sm text-slate-600">
            {t('sessions.field.courseRef')}:{' '}
            {session.programme ? `${pick(session.programme.course, locale)} · ${pick(session.programme.module, locale)}` : session.courseRef}
          </p>
        ) : null}
        {session.description ? <p className="whitespace-pre-line text-slate-700">{session.description}</p> : null}
        <p className="text-sm text-slate-600">
          {t('sessions.trainersLine', { names: formatList(trainers.map((tr) => `${tr.name} (${t(`sessions.trainerRole.${tr.role}`)})`)) || '—' })}
        </p>
      </div>
      {params.get('created') ? (
        <p className="notice" role="status">
          {t('sessions.created')}
        </p>
      ) : null}
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {data && 'error' in data && data.error ? <FormErrors errors={[data.error]} /> : null}
      {rights.mark && !cancelled ? (
        <div className="flex flex-wrap gap-2">
          <Link to={`/sessions/${session.id}/roster`} className="btn-primary">
            {t('sessions.openRoster')}
          </Link>
          <Link to={`/sessions/${session.id}/check-in-screen`} className="btn-secondary">
            {t('sessions.openCheckInScreen')}
          </Link>
          {session.cohortId && rights.manage ? (
            <Link to={`/sessions/${session.id}/groups`} className="btn-secondary">
              {t('groups.title')}
            </Link>
          ) : null}
          {session.cohortId && rights.manage ? (
            <Link to={`/sessions/${session.id}/roleplays`} className="btn-secondary">
              {t('rp.board.title')}
            </Link>
          ) : null}
          {session.cohortId && rights.manage ? (
            <Link to={`/sessions/${session.id}/roleplay-study`} className="btn-secondary">
              {t('sessions.nav.roleplayStudy')}
            </Link>
          ) : null}
        </div>
      ) : null}
      {rights.mark ? (
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <Link to={`/reports/attendance?view=session&session=${session.id}`}>{t('reports.openReport')}</Link>
          <a href={`/reports/attendance/export?view=session&session=${session.id}&format=csv`} className="btn-secondary min-h-9 px-3 py-1" download>
            {t('reports.exportCsv')}
          </a>
          <a href={`/reports/attendance/export?view=session&session=${session.id}&format=xlsx`} className="btn-secondary min-h-9 px-3 py-1" download>
            {t('reports.exportXlsx')}
          </a>
        </p>
      ) : null}

      {surveyResults ? (
        <p>
          <Link to={`/sessions/${session.id}/survey-results`} className="btn-secondary">
            {t('surveys.results.link')}
          </Link>
        </p>
      ) : null}
      {briefing ? <BriefingCard sessionId={session.id} overview={briefing} cancelled={cancelled} /> : null}

      <section className="card space-y-3" aria-labelledby="invitations">
        <h2 id="invitations">{t('sessions.invitations')}</h2>
        <p className="text-sm text-slate-700">
          {t('sessions.counts', {
            accepted: counts.accepted,
            capacity: session.capacity ?? '∞',
            invited: counts.invited,
            waitlisted: counts.waitlisted,
            declined: counts.declined,
          })}
        </p>
        {rights.manage && options && !cancelled ? <InviteAudience departments={options.departments} data={data} /> : null}
        {invitations.length === 0 ? (
          <p className="text-slate-700">{t('sessions.noInvitations')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('common.name')}</th>
                  <th scope="col">{t('common.department')}</th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col">{t('sessions.respondedAt')}</th>
                  {rights.manage ? <th scope="col">{t('common.actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {invitations.map((i) => (
                  <tr key={i.userId}>
                    <td>
                      {i.name}
                      {i.email ? <div className="text-xs text-slate-600">{i.email}</div> : null}
                    </td>
                    <td>{i.departmentPath ?? '—'}</td>
                    <td>
                      <InvitationBadge status={i.status} rank={i.waitlistRank} />
                    </td>
                    <td suppressHydrationWarning>{i.respondedAt ? formatDateTime(i.respondedAt) : '—'}</td>
                    {rights.manage ? (
                      <td>
                        {!cancelled ? (
                          <Form method="post">
                            <input type="hidden" name="userId" value={i.userId} />
                            <button
                              type="submit"
                              name="intent"
                              value="remove"
                              className="btn-secondary min-h-9 px-3 py-1"
                              aria-label={t('sessions.removeNamed', { name: i.name })}
                              onClick={(e) => {
                                if (!confirm(t('sessions.removeConfirm', { name: i.name }))) e.preventDefault()
                              }}
                            >
                              {t('sessions.remove')}
                            </button>
                          </Form>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {absenceRequests.length ? (
        <section className="card space-y-3" aria-labelledby="absences">
          <h2 id="absences">{t('sessions.absenceRequests')}</h2>
          <ul className="divide-y divide-slate-200">
            {absenceRequests.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
                <span className="font-medium">{r.name}</span>
                <span className="text-slate-700">“{r.reason}”</span>
                <span className="badge">{t(`sessions.absence.status.${r.status}`)}</span>
                {r.status === 'pending' && rights.mark ? (
                  <Form method="post" className="ml-auto flex gap-2">
                    <input type="hidden" name="intent" value="decide-absence" />
                    <input type="hidden" name="requestId" value={r.id} />
                    <button type="submit" name="decision" value="approved" className="btn-primary min-h-9 px-3 py-1">
                      {t('sessions.absence.approve')}
                    </button>
                    <button type="submit" name="decision" value="rejected" className="btn-secondary min-h-9 px-3 py-1">
                      {t('sessions.absence.reject')}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {rights.manage && options && !cancelled ? (
        <>
          <details className="card">
            <summary className="cursor-pointer text-lg font-semibold">{t('sessions.edit')}</summary>
            <p className="mt-2 text-sm text-slate-700">{t('sessions.editIntro')}</p>
            <div className="mt-4">
              <SessionFormFields
                intent="update"
                lastResult={data?.intent === 'update' && 'result' in data ? data.result : undefined}
                defaults={defaults}
                options={options}
                submitLabel={t('common.save')}
              />
            </div>
          </details>
          <section className="card space-y-2" aria-labelledby="cancel">
            <h2 id="cancel">{t('sessions.cancel')}</h2>
            <p className="text-sm text-slate-700">{t('sessions.cancelIntro')}</p>
            <Form method="post">
              <button
                type="submit"
                name="intent"
                value="cancel"
                className="btn-danger"
                onClick={(e) => {
                  if (!confirm(t('sessions.cancelConfirm'))) e.preventDefault()
                }}
              >
                {t('sessions.cancel')}
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  )
}

const audienceRoles = ['manager', 'employee', 'trainer', 'hr_admin'] as const

/** The lecturer's briefing pack: its state, links to read or edit it, and who acknowledged which version when. */
function BriefingCard({
  sessionId,
  overview,
  cancelled,
}: {
  sessionId: string
  overview: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['briefing']>
  cancelled: boolean
}) {
  const t = useT()
  const formatDateTime = useFormatDateTime()
  const { briefing, lecturers, canEdit } = overview
  return (
    <section className="card space-y-3" aria-labelledby="briefing">
      <h2 id="briefing">{t('briefings.title')}</h2>
      <p className="text-sm text-slate-700" suppressHydrationWarning>
        {!briefing
          ? t('briefings.status.none')
          : briefing.status === 'draft'
            ? t('briefings.status.draft')
            : t('briefings.status.published', { version: briefing.version, date: formatDateTime(briefing.publishedAt) })}
      </p>
      <p className="flex flex-wrap gap-2">
        {briefing ? (
          <Link to={`/sessions/${sessionId}/briefing`} className="btn-secondary">
            {t('briefings.view')}
          </Link>
        ) : null}
        {canEdit && !cancelled ? (
          <Link to={`/sessions/${sessionId}/briefing/edit`} className={briefing ? 'btn-secondary' : 'btn-primary'}>
            {briefing ? t('briefings.edit') : t('briefings.write')}
          </Link>
        ) : null}
      </p>
      {canEdit ? (
        lecturers.length === 0 ? (
          <p className="text-sm text-slate-600">{t('briefings.noLecturer')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('briefings.ack.lecturer')}</th>
                  <th scope="col">{t('briefings.ack.state')}</th>
                  <th scope="col">{t('briefings.ack.accessUntil')}</th>
                </tr>
              </thead>
              <tbody>
                {lecturers.map((l) => (
                  <tr key={l.userId}>
                    <td>{l.name}</td>
                    <td suppressHydrationWarning>
                      {l.version === null || !l.at ? (
                        <span className="badge bg-amber-100 text-amber-900">{t('briefings.ack.never')}</span>
                      ) : l.current ? (
                        <span className="badge bg-emerald-100 text-emerald-900">
                          {t('briefings.ack.current', { version: l.version, date: formatDateTime(l.at) })}
                        </span>
                      ) : (
                        <span className="badge bg-amber-100 text-amber-900">
                          {t('briefings.ack.outdated', { version: l.version, date: formatDateTime(l.at) })}
                        </span>
                      )}
                    </td>
                    <td suppressHydrationWarning>{l.accessEndsAt ? formatDateTime(l.accessEndsAt) : t('briefings.ack.unlimited')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </section>
  )
}

function InviteAudience({ departments, data }: { departments: { id: string; path: string }[]; data: ReturnType<typeof useActionData<typeof action>> }) {
  const t = useT()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'invite',
    lastResult: data?.intent === 'invite' && 'result' in data ? data.result : undefined,
    // An explicit empty value, so resetting after a successful invite selects "(whole company)" again.
    defaultValue: { departmentId: '' },
    constraint: getZodConstraint(AudienceForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteForm }),
    shouldValidate: 'onSubmit',
  })
  const unknownEmails = data && 'unknownEmails' in data ? data.unknownEmails : undefined
  return (
    <details className="rounded-md border border-slate-200 p-3" open={Boolean(fields.roles.errors || fields.emails.errors)}>
      <summary className="cursor-pointer font-medium">{t('sessions.invite')}</summary>
      <Form method="post" {...getFormProps(form)} className="mt-3 space-y-4">
        <input type="hidden" name="intent" value="invite" />
        <p className="text-sm text-slate-700">{t('sessions.inviteIntro')}</p>
        <AudienceFields
          fields={{ roles: fields.roles, departmentId: fields.departmentId, people: fields.emails }}
          roles={audienceRoles}
          departments={departments}
          labels={{
            roles: 'sessions.audienceRoles',
            department: 'sessions.audienceDepartment',
            anyDepartment: 'sessions.anyDepartment',
            departmentHint: 'sessions.audienceDepartmentHint',
            people: 'sessions.audienceEmails',
          }}
          unknownPeople={unknownEmails}
          peoplePlaceholder="name@example.com"
        />
        <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
          {t('sessions.sendInvitations')}
        </button>
      </Form>
    </details>
  )
}

export const ErrorBoundary = RouteErrorBoundary
