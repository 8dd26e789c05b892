import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Fragment } from 'react'
import { pageTitle } from '~/components/admin/page-title'
import { useFormatDate } from '~/components/courses/ui'
import { RouteErrorBoundary } from '~/components/route-error'
import { FieldErrors } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { assertCan } from '~/modules/auth/authorize.server'
import { requireUser } from '~/modules/auth/session.server'
import { createToken, listTokens, revokeToken } from '~/modules/kpi/api.server'
import { KPI_API_ENDPOINTS, TokenForm } from '~/modules/kpi/kpi'
import { kpiFilterOptions } from '~/modules/kpi/reports.server'
import { readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('kpi.tokens.title'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:kpi:all')
  return { tokens: await listTokens(user), departments: await kpiFilterOptions(user) }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:kpi:all')
  const submission = parseWithZod(await readForm(request), { schema: TokenForm })
  if (submission.status !== 'success') return data({ result: submission.reply(), token: null }, { status: 400 })
  if (submission.value.intent === 'revoke') {
    await revokeToken(user, submission.value.tokenId)
    return { result: submission.reply({ resetForm: true }), token: null }
  }
  const created = await createToken(user, submission.value)
  return { result: submission.reply({ resetForm: true }), token: created.token }
}

export default function KpiTokens() {
  const t = useT()
  const formatDate = useFormatDate()
  const { tokens, departments } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm">
          <Link to="/admin/kpi">{t('kpi.admin.title')}</Link>
        </p>
        <h1>{t('kpi.tokens.title')}</h1>
        <p className="mt-1 max-w-3xl text-slate-700">{t('kpi.tokens.intro')}</p>
        <p className="mt-1">
          <a href="/api/v1/kpi/openapi.json">{t('kpi.tokens.docs')}</a>
        </p>
      </div>
      {actionData?.token ? (
        <div className="card space-y-1" role="status">
          <p>{t('kpi.tokens.createdOnce')}</p>
          <code className="block break-all rounded bg-slate-100 p-2" data-testid="kpi-token">
            {actionData.token}
          </code>
        </div>
      ) : null}
      <Form method="post" className="card grid gap-3 sm:grid-cols-3">
        <input type="hidden" name="intent" value="create" />
        <div>
          <label htmlFor="name" className="label">
            {t('kpi.tokens.name')}
          </label>
          <input id="name" name="name" className="input" required />
          <FieldErrors errors={actionData?.result.error?.name ?? undefined} />
        </div>
        <div>
          <label htmlFor="departmentId" className="label">
            {t('kpi.tokens.department')}
          </label>
          <select id="departmentId" name="departmentId" className="input" defaultValue="">
            <option value="">{t('kpi.allDepartments')}</option>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.path}
              </option>
            ))}
          </select>
        </div>
        <div className="flex items-end">
          <button type="submit" className="btn-primary">
            {t('kpi.tokens.create')}
          </button>
        </div>
      </Form>
      <section className="card overflow-x-auto">
        {tokens.length === 0 ? (
          <p className="text-slate-700">{t('kpi.tokens.none')}</p>
        ) : (
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left">
                <th className="py-1 pr-3">{t('kpi.tokens.name')}</th>
                <th className="py-1 pr-3">{t('kpi.tokens.prefix')}</th>
                <th className="py-1 pr-3">{t('common.department')}</th>
                <th className="py-1 pr-3">{t('kpi.tokens.lastUsed')}</th>
                <th className="py-1 pr-3" />
              </tr>
            </thead>
            <tbody>
              {tokens.map((k) => (
                <tr key={k.id} className="border-t border-slate-200">
                  <td className="py-1 pr-3">{k.name}</td>
                  <td className="py-1 pr-3">
                    <code>{k.prefix}…</code>
                  </td>
                  <td className="py-1 pr-3">{k.department ?? t('kpi.allDepartments')}</td>
                  <td className="py-1 pr-3">{k.lastUsedAt ? formatDate(k.lastUsedAt) : t('kpi.tokens.never')}</td>
                  <td className="py-1 pr-3">
                    {k.revokedAt ? (
                      <span className="badge bg-slate-100 text-slate-800">{t('kpi.tokens.revoked')}</span>
                    ) : (
                      <Form method="post">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="tokenId" value={k.id} />
                        <button type="submit" className="btn-secondary" aria-label={`${t('kpi.tokens.revoke')} ${k.name}`}>
                          {t('kpi.tokens.revoke')}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card space-y-2" aria-labelledby="kpi-endpoints">
        <h2 id="kpi-endpoints">{t('kpi.tokens.endpoints')}</h2>
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          {KPI_API_ENDPOINTS.map(([path, key]) => (
            <Fragment key={path}>
              <dt>
                <code className="break-all">GET {path}</code>
              </dt>
              <dd className="mb-1 text-slate-700 sm:mb-0">{t(key)}</dd>
            </Fragment>
          ))}
        </dl>
        <p className="text-sm text-slate-700">{t('kpi.tokens.howToCall')}</p>
      </section>
    </div>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
