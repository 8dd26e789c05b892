import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { pageTitle } from '~/components/admin/page-title'
import { RouteErrorBoundary } from '~/components/route-error'
import { useFormatDateTime, useT } from '~/i18n/use-t'
import { AuditFilters } from '~/modules/audit/audit'
import { listAuditEvents } from '~/modules/auth/audit-log.server'
import { requireUser } from '~/modules/auth/session.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('audit.title'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const filters = AuditFilters.parse(Object.fromEntries(new URL(request.url).searchParams))
  const result = await listAuditEvents(user, { action: filters.action || undefined, q: filters.q || undefined, before: filters.before })
  return { ...result, filters }
}

function auditHref(filters: AuditFilters, before?: number | null) {
  const params = new URLSearchParams()
  if (filters.action) params.set('action', filters.action)
  if (filters.q) params.set('q', filters.q)
  if (before) params.set('before', String(before))
  const query = params.toString()
  return query ? `/admin/audit?${query}` : '/admin/audit'
}

/** Compact JSON; null and undefined show as nothing. */
function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return null
  return <code className="block break-all font-mono text-xs text-slate-800">{JSON.stringify(value)}</code>
}

/** Before, then after, each as compact JSON; either may be missing. */
function Change({ before, after }: { before: unknown; after: unknown }) {
  const t = useT()
  if (before === null && after === null) return null
  return (
    <div>
      <Json value={before} />
      {before !== null && after !== null ? (
        <span className="block text-xs text-slate-600">
          <span aria-hidden="true">↓</span>
          <span className="sr-only">{t('admin.audit.changedTo')}</span>
        </span>
      ) : null}
      <Json value={after} />
    </div>
  )
}

export default function AuditLog() {
  const t = useT()
  const formatDateTime = useFormatDateTime()
  const { events, nextBefore, actions, filters } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <h1>{t('audit.title')}</h1>
      <Form
        method="get"
        role="search"
        aria-label={t('admin.audit.filters')}
        key={auditHref(filters)}
        className="card grid items-start gap-3 sm:grid-cols-[1fr_2fr_auto]"
      >
        <div>
          <label htmlFor="audit-action" className="label">
            {t('audit.filterAction')}
          </label>
          <select id="audit-action" name="action" defaultValue={filters.action ?? ''} className="input h-11">
            <option value="">{t('admin.audit.allActions')}</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-q" className="label">
            {t('admin.audit.search')}
          </label>
          <input id="audit-q" name="q" type="search" defaultValue={filters.q ?? ''} className="input h-11" aria-describedby="audit-q-hint" maxLength={200} />
          <p id="audit-q-hint" className="mt-1 text-xs text-slate-600">
            {t('admin.audit.searchHint')}
          </p>
        </div>
        {/* Lines the button up with the fields, below their labels. */}
        <div className="flex flex-wrap items-center gap-3 sm:mt-6">
          <button type="submit" className="btn-primary">
            {t('common.search')}
          </button>
          {filters.action || filters.q ? (
            <Link to="/admin/audit" className="text-sm">
              {t('admin.people.clearFilters')}
            </Link>
          ) : null}
        </div>
      </Form>

      <p className="text-sm text-slate-600">{t('admin.audit.newestFirst')}</p>
      {events.length === 0 ? (
        <p className="card text-slate-700">{t('audit.empty')}</p>
      ) : (
        <>
          <div className="card hidden overflow-x-auto !p-0 md:block">
            <table className="table [&_th]:whitespace-nowrap">
              <thead>
                <tr>
                  <th scope="col">{t('common.when')}</th>
                  <th scope="col">{t('audit.actor')}</th>
                  <th scope="col">{t('audit.action')}</th>
                  <th scope="col">{t('audit.entity')}</th>
                  <th scope="col">{t('audit.change')}</th>
                  <th scope="col">{t('common.details')}</th>
                  <th scope="col">{t('audit.ip')}</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id}>
                    <td className="whitespace-nowrap">{formatDateTime(e.at)}</td>
                    <td>
                      {e.actorName ? (
                        <>
                          <span className="block">{e.actorName}</span>
                          <span className="block break-all text-xs text-slate-600">{e.actorEmail}</span>
                        </>
                      ) : (
                        <span className="text-slate-600">{t('admin.audit.system')}</span>
                      )}
                    </td>
                    <td>
                      <code className="font-mono text-xs">{e.action}</code>
                    </td>
                    <td>
                      {e.entityType ? <span className="block text-xs text-slate-600">{e.entityType}</span> : null}
                      {e.entityType === 'user' && e.entityId ? (
                        <Link to={`/admin/people/${e.entityId}`} className="break-all font-mono text-xs">
                          {e.entityId}
                        </Link>
                      ) : (
                        <span className="break-all font-mono text-xs">{e.entityId}</span>
                      )}
                    </td>
                    <td className="max-w-xs">
                      <Change before={e.before} after={e.after} />
                    </td>
                    <td className="max-w-xs">
                      <Json value={e.details} />
                    </td>
                    <td className="whitespace-nowrap font-mono text-xs">{e.ip}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {/* Below `md` each event is a card. */}
          <ul className="space-y-2 md:hidden">
            {events.map((e) => (
              <li key={e.id} className="card space-y-1 !p-3 text-sm">
                <p className="flex flex-wrap items-baseline justify-between gap-x-2">
                  <code className="font-mono text-xs font-semibold">{e.action}</code>
                  <span className="text-xs text-slate-600">{formatDateTime(e.at)}</span>
                </p>
                <p>
                  <span className="sr-only">{t('audit.actor')}: </span>
                  {e.actorName ? (
                    <>
                      {e.actorName} <span className="break-all text-xs text-slate-600">{e.actorEmail}</span>
                    </>
                  ) : (
                    <span className="text-slate-600">{t('admin.audit.system')}</span>
                  )}
                </p>
                {e.entityId ? (
                  <p className="break-all font-mono text-xs text-slate-700">
                    <span className="sr-only">{t('audit.entity')}: </span>
                    {e.entityType} {e.entityType === 'user' ? <Link to={`/admin/people/${e.entityId}`}>{e.entityId}</Link> : e.entityId}
                  </p>
                ) : null}
                <Change before={e.before} after={e.after} />
                {e.details !== null ? (
                  <div>
                    <span className="text-xs text-slate-600">{t('common.details')}</span>
                    <Json value={e.details} />
                  </div>
                ) : null}
                {e.ip ? (
                  <p className="font-mono text-xs text-slate-600">
                    {t('audit.ip')}: {e.ip}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
      <nav aria-label={t('admin.people.pagination')} className="flex flex-wrap gap-3">
        {filters.before ? (
          <Link to={auditHref(filters)} className="btn-secondary">
            {t('admin.audit.newest')}
          </Link>
        ) : null}
        {nextBefore ? (
          <Link to={auditHref(filters, nextBefore)} className="btn-secondary" rel="next">
            {t('admin.audit.older')}
          </Link>
        ) : null}
      </nav>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
