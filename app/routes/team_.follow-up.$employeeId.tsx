import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useEffect } from 'react'
import { useFormatDate } from '~/components/courses/ui'
import { CheckInForm, forgetLocalDrafts } from '~/components/followup/check-in-form'
import { RouteErrorBoundary } from '~/components/route-error'
import { FieldErrors } from '~/components/ui/field'
import { useLocale, useT } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { pick } from '~/modules/courses/courses'
import { channels, checkInFieldNames, LogCheckInForm, ManagerAction, PlanForm } from '~/modules/followup/followup'
import { archivePlan, getEmployeeFollowUp, logCheckIn, savePlan } from '~/modules/followup/plans.server'
import { param, parseOr400, readForm } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.employee.name ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getEmployeeFollowUp(user, param(params, 'employeeId'))
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readForm(request)
  const chosen = parseOr400(ManagerAction, Object.fromEntries(formData))
  const intent = chosen.intent
  if (chosen.intent === 'archive') {
    await archivePlan(user, chosen.planId, clientIp(context))
    return { intent, ok: true as const, errors: {} as Record<string, string[]> }
  }
  if (intent === 'plan') {
    formData.set('employeeId', param(params, 'employeeId'))
    const submission = parseWithZod(formData, { schema: PlanForm })
    if (submission.status !== 'success') return Response.json({ intent, ok: false, errors: submission.error ?? {} }, { status: 400 })
    await savePlan(user, submission.value, clientIp(context))
    return { intent, ok: true as const, errors: {} as Record<string, string[]> }
  }
  // Drafts are saved by the autosave resource route (team_.follow-up.draft.ts); the form's one button logs.
  const submission = parseWithZod(formData, { schema: LogCheckInForm })
  if (submission.status !== 'success') return Response.json({ intent: 'log', ok: false, errors: submission.error ?? {} }, { status: 400 })
  const { checkInId, heldOn, intent: _i, ...text } = submission.value
  const logged = await logCheckIn(user, checkInId, heldOn, text, new Date(), clientIp(context))
  if (!logged.ok) return Response.json({ intent: 'log', ok: false, errors: { [logged.field ?? 'form']: [logged.error] } }, { status: 400 })
  return { intent: 'log' as const, ok: true as const, errors: {} as Record<string, string[]> }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type ActionResult = { intent: string; ok: boolean; errors: Record<string, string[] | null> }

/** The shared preparation sheet as plain text, one "label: answer" per line, for the employee's input. */
function prepText(sheet: NonNullable<Data['prepSheet']>, locale: ReturnType<typeof useLocale>) {
  return sheet.fields
    .filter((f) => f.value.trim())
    .map((f) => `${pick(f.label, locale)}${locale === 'zh-CN' ? '：' : ': '}${f.value.trim()}`)
    .join('\n')
}

export default function EmployeeFollowUp() {
  const t = useT()
  const locale = useLocale()
  const formatDate = useFormatDate()
  const data = useLoaderData<typeof loader>()
  const result = useActionData<ActionResult>()
  const errors = Object.fromEntries(Object.entries(result?.errors ?? {}).filter((e): e is [string, string[]] => Boolean(e[1])))
  useEffect(() => forgetLocalDrafts(data.history.map((h) => h.id)), [data.history])
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <nav className="text-sm">
        {data.canManage ? <Link to="/team/follow-up">← {t('followup.team.title')}</Link> : <Link to="/admin/follow-up">← {t('followup.admin.title')}</Link>}
      </nav>
      <h1>{t('followup.employee.title', { name: data.employee.name })}</h1>
      {result?.ok && result.intent === 'log' ? (
        <p className="notice" role="status">
          {t('followup.logged')}
        </p>
      ) : null}
      {data.canManage ? <PlanSection data={data} errors={result?.intent === 'plan' ? errors : {}} /> : null}
      {data.canManage && data.next ? (
        <section className="space-y-3" aria-labelledby="next-check-in">
          <h2 id="next-check-in">{t('followup.next.title', { date: formatDate(data.next.dueOn) })}</h2>
          {data.next.overdue ? <p className="alert">{t('followup.next.overdue')}</p> : null}
          <PrepSheet sheet={data.prepSheet} />
          <CheckInForm
            key={data.next.id}
            checkIn={data.next}
            today={data.today}
            errors={result?.intent === 'log' ? errors : undefined}
            prep={data.prepSheet ? prepText(data.prepSheet, locale) : null}
          />
        </section>
      ) : null}
      <History data={data} />
    </div>
  )
}

function PlanSection({ data, errors }: { data: Data; errors: Record<string, string[]> }) {
  const t = useT()
  const navigation = useNavigation()
  const plan = data.plan
  return (
    <section className="card space-y-3" aria-labelledby="plan">
      <h2 id="plan">{t('followup.plan.title')}</h2>
      <p className="text-sm text-slate-700">{t('followup.plan.intro')}</p>
      <Form method="post" className="grid gap-3 sm:grid-cols-3">
        <div className="space-y-1">
          <label htmlFor="plan-frequency" className="label">
            {t('followup.plan.frequency')}
          </label>
          <input id="plan-frequency" name="frequencyDays" type="number" min={1} max={366} required defaultValue={plan?.frequencyDays ?? 14} className="input" />
          <FieldErrors errors={errors.frequencyDays} />
        </div>
        <div className="space-y-1">
          <label htmlFor="plan-channel" className="label">
            {t('followup.plan.channel')}
          </label>
          <select id="plan-channel" name="channel" defaultValue={plan?.channel ?? 'one_on_one'} className="input">
            {channels.map((c) => (
              <option key={c} value={c}>
                {t(`followup.channel.${c}`)}
              </option>
            ))}
          </select>
          <FieldErrors errors={errors.channel} />
        </div>
        <div className="space-y-1">
          <label htmlFor="plan-next" className="label">
            {t('followup.plan.next')}
          </label>
          <input id="plan-next" name="nextDueOn" type="date" required defaultValue={data.next?.dueOn ?? data.today} className="input" />
          <FieldErrors errors={errors.nextDueOn} />
        </div>
        <div className="space-y-1 sm:col-span-3">
          <label htmlFor="plan-notes" className="label">
            {t('followup.plan.notes')}
          </label>
          <textarea id="plan-notes" name="notes" rows={2} maxLength={5000} defaultValue={plan?.notes ?? ''} className="input" />
          <FieldErrors errors={errors.notes} />
        </div>
        <div className="flex flex-wrap items-center gap-3 sm:col-span-3">
          <button type="submit" name="intent" value="plan" className="btn-primary" disabled={navigation.state !== 'idle'}>
            {plan ? t('followup.plan.update') : t('followup.plan.create')}
          </button>
          {plan && data.next ? (
            <a href={`/team/follow-up/${data.employee.id}/calendar.ics`} download>
              {t('followup.plan.calendar')}
            </a>
          ) : null}
        </div>
      </Form>
      {plan ? (
        <Form method="post">
          <input type="hidden" name="planId" value={plan.id} />
          <button type="submit" name="intent" value="archive" className="text-sm text-red-800 underline">
            {t('followup.plan.archive')}
          </button>
        </Form>
      ) : null}
    </section>
  )
}

function PrepSheet({ sheet }: { sheet: Data['prepSheet'] }) {
  const t = useT()
  const locale = useLocale()
  const formatDate = useFormatDate()
  if (!sheet) return <p className="text-sm text-slate-700">{t('followup.prep.none')}</p>
  return (
    <details open className="rounded-lg border border-brand-200 bg-brand-50 p-3" data-testid="shared-prep-sheet">
      <summary className="cursor-pointer font-medium">{t('followup.prep.title', { date: formatDate(sheet.sharedAt) })}</summary>
      <dl className="mt-2 space-y-2">
        {sheet.fields.map((f) => (
          <div key={f.id}>
            <dt className="text-sm font-semibold text-slate-800">{pick(f.label, locale)}</dt>
            <dd className="whitespace-pre-line text-slate-800">{f.value || '—'}</dd>
          </div>
        ))}
      </dl>
    </details>
  )
}

function History({ data }: { data: Data }) {
  const t = useT()
  const formatDate = useFormatDate()
  return (
    <section className="space-y-3" aria-labelledby="history">
      <h2 id="history">{t('followup.history.title')}</h2>
      {data.history.length === 0 ? <p className="text-slate-700">{t('followup.history.empty')}</p> : null}
      <ul className="space-y-3">
        {data.history.map((c) => (
          <li key={c.id} className="card space-y-2" data-check-in={c.status}>
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{c.heldOn ? formatDate(c.heldOn) : formatDate(c.dueOn)}</span>
              {c.status === 'missed' ? (
                <span className="badge bg-red-100 text-red-900">{t('followup.history.missed')}</span>
              ) : c.happened === null ? (
                <span className="badge bg-slate-100 text-slate-700">{t('followup.history.unconfirmed')}</span>
              ) : c.happened ? (
                <span className="badge bg-emerald-100 text-emerald-900">{t('followup.history.confirmed')}</span>
              ) : (
                <span className="badge bg-amber-100 text-amber-900">{t('followup.history.disputed')}</span>
              )}
              {!data.canManage ? <span className="text-sm text-slate-600">{c.managerName}</span> : null}
            </p>
            {c.status === 'held' ? (
              <dl className="space-y-1 text-sm">
                {checkInFieldNames.map((f) =>
                  c[f] ? (
                    <div key={f}>
                      <dt className="font-semibold text-slate-800">{t(`followup.field.${f}`)}</dt>
                      <dd className="whitespace-pre-line">{c[f]}</dd>
                    </div>
                  ) : null,
                )}
              </dl>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  )
}

export const ErrorBoundary = RouteErrorBoundary
