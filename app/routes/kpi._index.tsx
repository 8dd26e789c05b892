import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { pageTitle } from '~/components/admin/page-title'
import { KpiChart } from '~/components/kpi/lazy-charts'
import { PreviewFreshness } from '~/components/kpi/preview-freshness'
import { RevisionList } from '~/components/kpi/revision-list'
import { RouteErrorBoundary } from '~/components/route-error'
import { FilterSelect } from '~/components/ui/filter-select'
import { Pagination } from '~/components/ui/pagination'
import { useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { can } from '~/modules/auth/permissions'
import { RollupFilters } from '~/modules/kpi/kpi'
import { reportPage } from '~/modules/kpi/reports.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('kpi.title'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const params = new URL(request.url).searchParams
  const filters = RollupFilters.parse(Object.fromEntries(params))
  // Per manager the page gets only what it shows: name, department, score, band, blocking.
  // A preview that is not current is shown as it is, marked "updating", and refreshed in the background.
  const page = await reportPage(user, params.get('period'), filters, { stale: 'serve' })
  return { hr: can(user, 'read:kpi:all'), filters, ...page }
}

export default function KpiReport() {
  const t = useT()
  const { hr, periods, filters, report, trend, departments, pageSize } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const withParams = (changes: Record<string, string | null>, path = '') => {
    const next = new URLSearchParams(params)
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k)
      else next.set(k, v)
    }
    return `${path}?${next}`
  }
  if (!report) {
    return (
      <div className="space-y-4">
        <h1>{t('kpi.title')}</h1>
        <p className="card text-slate-700">{t('kpi.noPeriods')}</p>
      </div>
    )
  }
  const { period, source, totals } = report
  // The filters carried to each manager's scorecard link (the same for every row).
  const query = withParams({})
  const bandData = totals
    ? (['A', 'B', 'C', 'D', 'none'] as const).map((b) => ({ band: b, label: b === 'none' ? t('kpi.band.none') : b, managers: totals.bands[b] }))
    : []
  return (
    <div className="space-y-4">
      <div>
        <h1>{t('kpi.title')}</h1>
        <p className="mt-1 max-w-3xl text-slate-700">{t('kpi.intro')}</p>
      </div>
      <Form method="get" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-5" role="search">
        <FilterSelect id="period" label={t('kpi.period')} value={period.id} options={periods.map((p) => ({ value: p.id, label: p.key }))} />
        <FilterSelect
          id="department"
          label={t('common.department')}
          value={filters.department}
          anyLabel={t('kpi.allDepartments')}
          options={departments.map((d) => ({ value: d.id, label: d.path }))}
        />
        <FilterSelect
          id="band"
          label={t('kpi.band')}
          value={filters.band}
          anyLabel={t('kpi.anyBand')}
          options={[...['A', 'B', 'C', 'D'].map((b) => ({ value: b, label: t('kpi.bandName', { band: b }) })), { value: 'none', label: t('kpi.band.none') }]}
        />
        <FilterSelect
          id="sort"
          label={t('kpi.sort')}
          value={filters.sort}
          options={(['score-desc', 'score-asc', 'name', 'department'] as const).map((s) => ({ value: s, label: t(`kpi.sort.${s}`) }))}
        />
        <div className="flex flex-col justify-end gap-2">
          <label htmlFor="q" className="label">
            {t('kpi.search')}
          </label>
          <input id="q" name="q" type="search" defaultValue={filters.q ?? ''} className="input" />
          {filters.source ? <input type="hidden" name="source" value={filters.source} /> : null}
          <button type="submit" className="btn-primary">
            {t('common.filter')}
          </button>
        </div>
      </Form>
      {!source ? (
        <p className="card">{t('kpi.notPublished')}</p>
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-3">
            <span className={`badge ${source.kind === 'live' ? 'bg-amber-100 text-amber-900' : 'bg-emerald-100 text-emerald-900'}`} data-testid="kpi-source">
              {source.kind === 'live' ? t('kpi.source.preview') : t('kpi.source.published', { revision: source.revision })}
            </span>
            {source.kind === 'live' ? <PreviewFreshness asOf={source.asOf} updating={source.updating} /> : null}
            {hr && period.status === 'published' ? (
              source.kind === 'live' ? (
                <Link to={withParams({ source: null, revision: null, page: null })}>{t('kpi.showPublished')}</Link>
              ) : (
                <Link to={withParams({ source: 'preview', revision: null, page: null })}>{t('kpi.showPreview')}</Link>
              )
            ) : null}
            <a href={withParams({ format: 'csv' }, `/kpi/${period.id}/export`)} className="btn-secondary" download>
              {t('kpi.exportCsv')}
            </a>
            <a href={withParams({ format: 'xlsx' }, `/kpi/${period.id}/export`)} className="btn-secondary" download>
              {t('kpi.exportXlsx')}
            </a>
          </div>
          {totals ? (
            <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
              <div className="card">
                <dt className="text-sm text-slate-600">{t('kpi.managers')}</dt>
                <dd className="text-2xl font-semibold">{totals.managers}</dd>
              </div>
              <div className="card">
                <dt className="text-sm text-slate-600">{t('kpi.average')}</dt>
                <dd className="text-2xl font-semibold">{totals.average ?? t('kpi.noScore')}</dd>
              </div>
              <div className="card sm:col-span-2">
                <dt className="text-sm text-slate-600">{t('kpi.chart.bands')}</dt>
                <dd className="mt-1 flex flex-wrap gap-2">
                  {bandData.map((b) => (
                    <span key={b.band} className="badge bg-slate-100 text-slate-900">
                      {b.label}: {b.managers}
                    </span>
                  ))}
                </dd>
              </div>
            </dl>
          ) : null}
          <div className="grid gap-4 lg:grid-cols-3">
            <KpiChart kind="band" title={t('kpi.chart.bands')} data={bandData} />
            <KpiChart
              kind="department"
              title={t('kpi.chart.departments')}
              data={report.departments.map((d) => ({ department: d.path.split('/').pop() ?? d.path, average: d.average }))}
            />
            <KpiChart kind="trend" title={t('kpi.chart.trend')} data={trend} />
          </div>
          <section className="card overflow-x-auto" aria-labelledby="departments">
            <h2 id="departments">{t('kpi.departments')}</h2>
            <table className="mt-2 w-full text-sm">
              <thead>
                <tr className="text-left">
                  <th className="py-1 pr-3">{t('common.department')}</th>
                  <th className="py-1 pr-3">{t('kpi.managers')}</th>
                  <th className="py-1 pr-3">{t('kpi.average')}</th>
                  {['A', 'B', 'C', 'D'].map((b) => (
                    <th key={b} className="py-1 pr-3">
                      {b}
                    </th>
                  ))}
                  <th className="py-1 pr-3">{t('kpi.band.none')}</th>
                </tr>
              </thead>
              <tbody>
                {report.departments.map((d) => (
                  <tr key={d.path} className="border-t border-slate-200">
                    <td className="py-1 pr-3">{d.path}</td>
                    <td className="py-1 pr-3">{d.managers}</td>
                    <td className="py-1 pr-3">{d.average ?? t('kpi.noScore')}</td>
                    <td className="py-1 pr-3">{d.bands.A}</td>
                    <td className="py-1 pr-3">{d.bands.B}</td>
                    <td className="py-1 pr-3">{d.bands.C}</td>
                    <td className="py-1 pr-3">{d.bands.D}</td>
                    <td className="py-1 pr-3">{d.bands.none}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="card overflow-x-auto" aria-labelledby="managers">
            <h2 id="managers">{t('kpi.managers')}</h2>
            <table className="mt-2 w-full text-sm">
              <thead>
                <tr className="text-left">
                  <th className="py-1 pr-3">{t('common.name')}</th>
                  <th className="py-1 pr-3">{t('common.department')}</th>
                  <th className="py-1 pr-3">{t('kpi.score')}</th>
                  <th className="py-1 pr-3">{t('kpi.band')}</th>
                </tr>
              </thead>
              <tbody>
                {report.managers.map((m) => (
                  <tr key={m.managerId} className="border-t border-slate-200">
                    <td className="py-1 pr-3">
                      <Link to={`/kpi/${period.id}/managers/${m.managerId}${query}`}>{m.name}</Link>
                      {m.blocking ? <span className="badge ml-2 bg-amber-100 text-amber-900">{t('kpi.status.unmarked')}</span> : null}
                    </td>
                    <td className="py-1 pr-3">{m.departmentPath ?? ''}</td>
                    <td className="py-1 pr-3">{m.score ?? t('kpi.noScore')}</td>
                    <td className="py-1 pr-3">{m.band ?? t('kpi.band.none')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="mt-3">
              <Pagination
                page={filters.page ?? 1}
                pages={Math.ceil(report.matching / pageSize)}
                total={report.matching}
                pageSize={pageSize}
                href={(page) => withParams({ page: page === 1 ? null : String(page) })}
                label={t('kpi.managers')}
                rangeKey="kpi.range"
              />
            </div>
          </section>
          {report.revisions.length ? (
            <RevisionList
              revisions={report.revisions}
              current={source.kind === 'snapshot' ? source.revision : undefined}
              link={(r) => withParams({ revision: String(r), source: null, page: null })}
            />
          ) : null}
        </>
      )}
    </div>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
