import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { pageTitle } from '~/components/admin/page-title'
import { PolicyForm } from '~/components/kpi/policy-form'
import { RouteErrorBoundary } from '~/components/route-error'
import { useT } from '~/i18n/use-t'
import { assertCan } from '~/modules/auth/authorize.server'
import { requireUser } from '~/modules/auth/session.server'
import { PeriodForm } from '~/modules/kpi/kpi'
import { defaultPolicy, listPeriods, policyOptions, savePeriod } from '~/modules/kpi/periods.server'
import { readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('kpi.admin.title'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:kpi:all')
  return { periods: await listPeriods(user), options: await policyOptions(user), policy: defaultPolicy() }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:kpi:all')
  const submission = parseWithZod(await readForm(request), { schema: PeriodForm })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const saved = await savePeriod(user, null, submission.value)
  if (!saved.ok) return data({ result: submission.reply({ fieldErrors: saved.errors }) }, { status: 400 })
  throw redirect(`/admin/kpi/${saved.periodId}`)
}

export default function KpiAdmin() {
  const t = useT()
  const { periods, options, policy } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="space-y-4">
      <div>
        <h1>{t('kpi.admin.title')}</h1>
        <p className="mt-1 max-w-3xl text-slate-700">{t('kpi.admin.intro')}</p>
        <p className="mt-2 flex flex-wrap gap-2">
          <Link to="/kpi" className="btn-secondary">
            {t('nav.kpi')}
          </Link>
          <Link to="/admin/kpi/tokens" className="btn-secondary">
            {t('kpi.admin.tokens')}
          </Link>
        </p>
      </div>
      <section className="card" aria-labelledby="periods">
        <h2 id="periods">{t('kpi.period')}</h2>
        {periods.length === 0 ? <p className="text-slate-700">{t('kpi.noPeriods')}</p> : null}
        <ul className="divide-y divide-slate-200">
          {periods.map((p) => (
            <li key={p.id} className="flex flex-wrap items-baseline gap-3 py-2">
              <Link to={`/admin/kpi/${p.id}`} className="font-medium">
                {p.key}
              </Link>
              <span className="text-sm text-slate-700">
                {p.startsOn} – {p.endsOn}
              </span>
              <span className={`badge ${p.status === 'published' ? 'bg-emerald-100 text-emerald-900' : 'bg-slate-100 text-slate-800'}`}>
                {p.status === 'published' ? t('kpi.admin.publishedState') : t('kpi.admin.draft')}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <h2>{t('kpi.admin.new')}</h2>
      <PolicyForm values={{ key: '', startsOn: '', endsOn: '', policy, cohortIds: [], courseIds: [] }} options={options} errors={actionData?.result.error} />
    </div>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
