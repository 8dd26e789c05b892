import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { pageTitle } from '~/components/admin/page-title'
import { PolicyForm } from '~/components/kpi/policy-form'
import { PreviewFreshness } from '~/components/kpi/preview-freshness'
import { RevisionList } from '~/components/kpi/revision-list'
import { RouteErrorBoundary } from '~/components/route-error'
import { FieldErrors } from '~/components/ui/field'
import { useFormatDate } from '~/components/courses/ui'
import { useT } from '~/i18n/use-t'
import { assertCan } from '~/modules/auth/authorize.server'
import { requireUser } from '~/modules/auth/session.server'
import { PeriodForm, PublishForm } from '~/modules/kpi/kpi'
import { listRevisions, periodFor, periodStatus, policyOptions, publishPeriod, savePeriod } from '~/modules/kpi/periods.server'
import { readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('kpi.admin.title'))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:kpi:all')
  const period = await periodFor(user, params.periodId ?? '')
  return {
    period,
    options: await policyOptions(user),
    status: await periodStatus(user, period.id, { stale: 'serve' }),
    revisions: await listRevisions(period.id),
    published: new URL(request.url).searchParams.get('published'),
  }
}

const Intent = z.object({ intent: z.enum(['save', 'publish', 'correct']) })

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:kpi:all')
  const period = await periodFor(user, params.periodId ?? '')
  const form = await readForm(request)
  // Which button: a hidden field only a tampered form gets wrong (400, said at the top of the page).
  const intent = parseWithZod(form, { schema: Intent })
  if (intent.status !== 'success') return data({ intent: null, result: intent.reply(), error: 'error.badRequest', revision: null }, { status: 400 })
  if (intent.value.intent === 'save') {
    const submission = parseWithZod(form, { schema: PeriodForm })
    if (submission.status !== 'success') return data({ intent: 'save', result: submission.reply(), error: null, revision: null }, { status: 400 })
    const saved = await savePeriod(user, period.id, submission.value)
    if (!saved.ok) return data({ intent: 'save', result: submission.reply({ fieldErrors: saved.errors }), error: null, revision: null }, { status: 400 })
    return { intent: 'save', result: submission.reply(), error: null, revision: null, saved: true }
  }
  const submission = parseWithZod(form, { schema: PublishForm })
  if (submission.status !== 'success') return data({ intent: intent.value.intent, result: submission.reply(), error: null, revision: null }, { status: 400 })
  const outcome = await publishPeriod(user, period.id, submission.value.intent === 'correct' ? { reason: submission.value.reason } : {})
  if (!outcome.ok) return data({ intent: intent.value.intent, result: null, error: outcome.error, revision: null }, { status: 400 })
  return { intent: intent.value.intent, result: null, error: null, revision: outcome.revision }
}

export default function KpiPeriodAdmin() {
  const t = useT()
  const formatDate = useFormatDate()
  const { period, options, status, revisions } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const published = period.status === 'published'
  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm">
          <Link to="/admin/kpi">{t('kpi.admin.title')}</Link>
        </p>
        <h1>
          {t('kpi.period')} {period.key}
        </h1>
        <p className="mt-1 text-slate-700">
          {period.startsOn} – {period.endsOn} · {published ? t('kpi.admin.publishedState') : t('kpi.admin.draft')}
        </p>
      </div>
      <section className="card space-y-3" aria-labelledby="status">
        <h2 id="status">{t('kpi.admin.status')}</h2>
        <p>
          <PreviewFreshness asOf={status.asOf} updating={status.updating} />
        </p>
        <p>{t('kpi.admin.counts', { managers: status.managers, unscored: status.unscored })}</p>
        {status.blockers.length ? (
          <div className="alert" role="status">
            <p className="font-medium">{t('kpi.admin.blockers')}</p>
            <ul className="mt-1 list-disc pl-5">
              {status.blockers.map((b) => (
                <li key={b.sessionId}>
                  {t('kpi.admin.blockerLine', { title: b.title, date: formatDate(b.startsAt), count: b.unmarked })}{' '}
                  <Link to={`/sessions/${b.sessionId}/roster`}>{t('kpi.admin.markRoster')}</Link>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="text-emerald-800">{t('kpi.admin.noBlockers')}</p>
        )}
        {actionData?.error ? (
          <p className="field-error" role="alert">
            {t(actionData.error)}
          </p>
        ) : null}
        {actionData?.revision ? (
          <p className="badge bg-emerald-100 text-emerald-900" role="status">
            {t('kpi.admin.publishedOk', { revision: actionData.revision })}
          </p>
        ) : null}
        <div className="flex flex-wrap items-end gap-3">
          <Link to={`/kpi?period=${period.id}&source=preview`} className="btn-secondary">
            {t('kpi.admin.preview')}
          </Link>
          {!published ? (
            <Form method="post">
              <input type="hidden" name="intent" value="publish" />
              <button type="submit" className="btn-primary" disabled={status.blockers.length > 0}>
                {t('kpi.admin.publish')}
              </button>
            </Form>
          ) : (
            <Form method="post" className="flex flex-wrap items-end gap-2">
              <input type="hidden" name="intent" value="correct" />
              <div>
                <label htmlFor="reason" className="label">
                  {t('kpi.admin.reason')}
                </label>
                <input id="reason" name="reason" className="input" />
                <FieldErrors errors={actionData?.intent === 'correct' ? (actionData.result?.error?.reason ?? undefined) : undefined} />
              </div>
              <button type="submit" className="btn-primary" disabled={status.blockers.length > 0}>
                {t('kpi.admin.correct')}
              </button>
            </Form>
          )}
        </div>
        {actionData && 'saved' in actionData ? (
          <p role="status" className="text-emerald-800">
            {t('kpi.admin.saved')}
          </p>
        ) : null}
      </section>
      {revisions.length ? <RevisionList revisions={revisions} link={(r) => `/kpi?period=${period.id}&revision=${r}`} /> : null}
      <PolicyForm
        values={{
          key: period.key,
          startsOn: period.startsOn,
          endsOn: period.endsOn,
          policy: period.policy,
          cohortIds: period.cohortIds,
          courseIds: period.courseIds,
        }}
        options={options}
        errors={actionData?.intent === 'save' ? actionData.result?.error : null}
      />
    </div>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
