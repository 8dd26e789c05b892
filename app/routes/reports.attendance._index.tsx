import { pageTitle } from '~/components/admin/page-title'
import { FilterSelect } from '~/components/ui/filter-select'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { Pagination } from '~/components/ui/pagination'
import { AttendanceBadge, useSessionTime } from '~/components/sessions/badges'
import { useFormatDateTime, useT } from '~/i18n/use-t'
import { AttendanceReportFilters, departmentSorts, type ReportView } from '~/modules/attendance/reports'
import { attendanceReportPage } from '~/modules/attendance/reports.server'
import { requireUser } from '~/modules/auth/session.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.attendance'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const filters = AttendanceReportFilters.parse(Object.fromEntries(new URL(request.url).searchParams))
  const page = await attendanceReportPage(user, filters)
  return { ...page, filters }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

/** The query string for another view or an export, keeping the filters that apply. */
function useQuery() {
  const [params] = useSearchParams()
  return (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params)
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k)
      else next.set(k, v)
    }
    return next.toString()
  }
}

export default function AttendanceReports() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const query = useQuery()
  const { view, views } = data
  const canExport = view !== 'session' || Boolean(data.report)
  return (
    <div className="space-y-4">
      <div>
        <h1>{t('reports.title')}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">{t('reports.intro')}</p>
      </div>
      {views.length > 1 ? (
        <nav aria-label={t('reports.views')}>
          <ul className="flex gap-1 overflow-x-auto whitespace-nowrap border-b border-slate-200">
            {views.map((v) => (
              <li key={v}>
                <Link
                  to={`?${query({ view: v, page: null })}`}
                  aria-current={v === view ? 'page' : undefined}
                  className={`-mb-px block rounded-t-md border px-4 py-2 text-sm no-underline hover:no-underline ${v === view ? 'border-slate-200 border-b-white bg-white font-semibold text-brand-800' : 'border-transparent text-slate-700 hover:bg-slate-100'}`}
                >
                  {t(`reports.view.${v}`)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <Filters data={data} />
      {canExport ? (
        <p className="flex flex-wrap gap-2">
          <a href={`/reports/attendance/export?${query({ view, format: 'csv', page: null })}`} className="btn-secondary" download>
            {t('reports.exportCsv')}
          </a>
          <a href={`/reports/attendance/export?${query({ view, format: 'xlsx', page: null })}`} className="btn-secondary" download>
            {t('reports.exportXlsx')}
          </a>
        </p>
      ) : null}
      {view === 'session' ? <SessionView data={data} /> : null}
      {view === 'person' && data.people ? <PersonView rows={data.people} /> : null}
      {data.paging ? (
        <Pagination
          {...data.paging}
          href={(page) => `?${query({ view, page: page > 1 ? String(page) : null })}`}
          label={t('reports.pagination')}
          rangeKey="reports.range"
        />
      ) : null}
      {view === 'department' && data.departments ? <DepartmentView rows={data.departments} /> : null}
    </div>
  )
}

function Filters({ data }: { data: Data }) {
  const t = useT()
  const { filters, view, options } = data
  const acrossPeople: ReportView[] = ['person', 'department']
  return (
    <Form method="get" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-4" role="search" aria-label={t('reports.filters')}>
      <input type="hidden" name="view" value={view} />
      {view === 'session' && data.sessions ? (
        <FilterSelect
          id="session"
          className="sm:col-span-2 lg:col-span-4"
          label={t('reports.session')}
          value={filters.session}
          anyLabel={t('reports.chooseSession')}
          options={data.sessions.map((s) => ({ value: s.id, label: s.cancelled ? `${s.label} — ${t('sessions.cancelled')}` : s.label }))}
        />
      ) : null}
      <div>
        <label htmlFor="from" className="label">
          {t('reports.from')}
        </label>
        <input id="from" name="from" type="date" defaultValue={filters.from ?? ''} className="input" />
      </div>
      <div>
        <label htmlFor="to" className="label">
          {t('reports.to')}
        </label>
        <input id="to" name="to" type="date" defaultValue={filters.to ?? ''} className="input" />
      </div>
      <FilterSelect
        id="cohort"
        label={t('sessions.field.cohort')}
        value={filters.cohort}
        anyLabel={t('reports.allCohorts')}
        options={options.cohorts.map((c) => ({ value: c.id, label: c.name }))}
      />
      {acrossPeople.includes(view) ? (
        <FilterSelect
          id="department"
          label={t('common.department')}
          value={filters.department}
          anyLabel={t('people.allDepartments')}
          options={options.departments.map((d) => ({ value: d.id, label: d.path }))}
        />
      ) : null}
      {view === 'department' ? (
        <>
          <FilterSelect
            id="sort"
            label={t('reports.sort')}
            value={filters.sort}
            options={departmentSorts.map((s) => ({ value: s, label: t(`reports.sort.${s}`) }))}
          />
          <label className="flex items-center gap-2 self-end pb-2 text-sm">
            <input type="checkbox" name="rollup" value="1" defaultChecked={filters.rollup} className="h-4 w-4 accent-brand-700" />
            {t('reports.rollup')}
          </label>
        </>
      ) : null}
      <div className="flex items-end">
        <button type="submit" className="btn-primary w-full sm:w-auto">
          {t('common.filter')}
        </button>
      </div>
    </Form>
  )
}

const rate = (value: number | null) => (value === null ? '—' : `${value}%`)

function SessionView({ data }: { data: Data }) {
  const t = useT()
  const sessionTime = useSessionTime()
  const formatDateTime = useFormatDateTime()
  const { report } = data
  if (!report) return <p className="text-slate-700">{data.sessions?.length ? t('reports.pickSession') : t('reports.noSessions')}</p>
  const { session, people, tally } = report
  return (
    <section className="space-y-3" aria-labelledby="session-report">
      <div>
        <h2 id="session-report">
          <Link to={`/sessions/${session.id}`}>{session.title}</Link>
        </h2>
        <p className="text-sm text-slate-700" suppressHydrationWarning>
          {sessionTime(session)}
          {session.place ? ` · ${session.place}` : ''}
        </p>
        {report.scope === 'team' ? <p className="text-sm text-slate-600">{t('reports.teamOnly')}</p> : null}
        {!session.started ? <p className="notice mt-2">{t('reports.notStarted')}</p> : null}
      </div>
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm" data-tally>
        {(['present', 'late', 'excused', 'absent', 'unmarked'] as const).map((k) => (
          <span key={k} data-status={k}>
            {t(`attendance.status.${k}`)}: <strong>{tally[k]}</strong>
          </span>
        ))}
      </p>
      {people.length === 0 ? (
        <p className="text-slate-700">{t('roster.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('common.name')}</th>
                <th scope="col">{t('common.department')}</th>
                <th scope="col">{t('reports.status')}</th>
                <th scope="col">{t('reports.method')}</th>
                <th scope="col">{t('reports.markedAt')}</th>
                <th scope="col">{t('reports.markedBy')}</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.userId} data-person={p.email} data-status={p.status}>
                  <td className="font-medium">{p.name}</td>
                  <td className="text-sm">{p.department ?? '—'}</td>
                  <td>
                    <AttendanceBadge status={p.status} />
                  </td>
                  <td className="text-sm">{p.method ? t(`attendance.method.${p.method}`) : '—'}</td>
                  <td className="whitespace-nowrap text-sm" suppressHydrationWarning>
                    {p.markedAt ? formatDateTime(p.markedAt) : '—'}
                  </td>
                  <td className="text-sm">{p.markedBy ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function CountCells({
  row,
}: {
  row: { required: number; present: number; late: number; excused: number; absent: number; unmarked: number; rate: number | null }
}) {
  return (
    <>
      <td className="text-right tabular-nums">{row.required}</td>
      <td className="text-right tabular-nums">{row.present}</td>
      <td className="text-right tabular-nums">{row.late}</td>
      <td className="text-right tabular-nums">{row.excused}</td>
      <td className="text-right tabular-nums">{row.absent}</td>
      <td className="text-right tabular-nums">{row.unmarked}</td>
      <td className="text-right font-semibold tabular-nums">{rate(row.rate)}</td>
    </>
  )
}

function CountHeaders() {
  const t = useT()
  return (
    <>
      <th scope="col" className="text-right">
        {t('reports.required')}
      </th>
      {(['present', 'late', 'excused', 'absent', 'unmarked'] as const).map((s) => (
        <th key={s} scope="col" className="text-right">
          {t(`attendance.status.${s}`)}
        </th>
      ))}
      <th scope="col" className="text-right">
        {t('reports.rate')}
      </th>
    </>
  )
}

function PersonView({ rows }: { rows: NonNullable<Data['people']> }) {
  const t = useT()
  if (rows.length === 0) return <p className="text-slate-700">{t('reports.empty')}</p>
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('common.name')}</th>
            <th scope="col">{t('common.department')}</th>
            <CountHeaders />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.userId} data-person={r.email}>
              <td>
                <span className="font-medium">{r.name}</span>
                <span className="block text-xs text-slate-600">{r.email}</span>
              </td>
              <td className="text-sm">{r.department ?? '—'}</td>
              <CountCells row={r} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A bar per department: plain markup, so it prints, zooms and reads out as a list. */
function RateChart({ rows }: { rows: NonNullable<Data['departments']> }) {
  const t = useT()
  return (
    <figure className="card space-y-2">
      <figcaption className="font-semibold">{t('reports.chartTitle')}</figcaption>
      <ul className="space-y-1.5">
        {rows.map((r) => (
          <li key={r.departmentId} className="grid grid-cols-[minmax(8rem,14rem)_1fr_4rem] items-center gap-2 text-sm">
            <span className="truncate" title={r.path}>
              {r.path}
            </span>
            <span className="h-4 rounded bg-slate-100" aria-hidden="true">
              <span
                className={`block h-4 rounded ${r.rate !== null && r.rate < 80 ? 'bg-amber-500' : 'bg-brand-600'}`}
                style={{ width: `${Math.max(0, Math.min(100, r.rate ?? 0))}%` }}
              />
            </span>
            <span className="text-right font-semibold tabular-nums">{rate(r.rate)}</span>
          </li>
        ))}
      </ul>
    </figure>
  )
}

function DepartmentView({ rows }: { rows: NonNullable<Data['departments']> }) {
  const t = useT()
  if (rows.length === 0) return <p className="text-slate-700">{t('reports.empty')}</p>
  return (
    <div className="space-y-4">
      <RateChart rows={rows} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('common.department')}</th>
              <th scope="col" className="text-right">
                {t('reports.people')}
              </th>
              <th scope="col" className="text-right">
                {t('reports.attended')}
              </th>
              <CountHeaders />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.departmentId} data-department={r.path}>
                <td className="font-medium">{r.path}</td>
                <td className="text-right tabular-nums">{r.people}</td>
                <td className="text-right tabular-nums">{r.attended}</td>
                <CountCells row={r} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
