import { pageTitle } from '~/components/admin/page-title'
import { FilterSelect } from '~/components/ui/filter-select'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { ProgressTable } from '~/components/courses/progress-table'
import { RouteErrorBoundary } from '~/components/route-error'
import { useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { pick, ProgressFilters, progressStatuses } from '~/modules/courses/courses'
import { listProgress } from '~/modules/courses/progress.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.progress'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const filters = ProgressFilters.parse(Object.fromEntries(new URL(request.url).searchParams))
  return { filters, ...(await listProgress(user, filters)) }
}

export default function AdminProgress() {
  const t = useT()
  const locale = useLocale()
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const { filters, totals } = data
  const exportQuery = (format: 'csv' | 'xlsx') => {
    const next = new URLSearchParams(params)
    next.delete('page')
    next.set('format', format)
    return `/admin/progress/export?${next}`
  }
  const pageLink = (page: number) => {
    const next = new URLSearchParams(params)
    next.set('page', String(page))
    return `?${next}`
  }
  return (
    <div className="space-y-4">
      <div>
        <h1>{t('progress.title')}</h1>
        <p className="mt-1 text-slate-700">{t('progress.intro')}</p>
      </div>
      <Form method="get" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-5" role="search">
        <FilterSelect
          id="course"
          label={t('progress.course')}
          value={filters.course}
          anyLabel={t('progress.allCourses')}
          options={data.courses.map((c) => ({ value: c.key, label: pick(c.title, locale) }))}
        />
        <FilterSelect
          id="department"
          label={t('common.department')}
          value={filters.department}
          anyLabel={t('people.allDepartments')}
          options={data.departments.map((d) => ({ value: d.id, label: d.path }))}
        />
        <FilterSelect
          id="status"
          label={t('progress.status')}
          value={filters.status}
          anyLabel={t('progress.anyStatus')}
          options={progressStatuses.map((s) => ({ value: s, label: t(`course.status.${s}`) }))}
        />
        <div>
          <label htmlFor="q" className="label">
            {t('progress.search')}
          </label>
          <input id="q" name="q" type="search" defaultValue={filters.q ?? ''} className="input" />
        </div>
        <div className="flex flex-col justify-end gap-2">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="overdue" value="1" defaultChecked={filters.overdue} className="h-4 w-4 accent-brand-700" />
            {t('progress.overdueOnly')}
          </label>
          <button type="submit" className="btn-primary">
            {t('common.filter')}
          </button>
        </div>
      </Form>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-700" data-totals>
          {t('progress.summary', {
            total: totals.total,
            completed: totals.completed,
            inProgress: totals.inProgress,
            notStarted: totals.notStarted,
            overdue: totals.overdue,
          })}
        </p>
        <p className="flex gap-2">
          <a href={exportQuery('csv')} className="btn-secondary" download>
            {t('progress.exportCsv')}
          </a>
          <a href={exportQuery('xlsx')} className="btn-secondary" download>
            {t('progress.exportXlsx')}
          </a>
        </p>
      </div>
      {data.rows.length === 0 ? <p className="card text-slate-700">{t('progress.empty')}</p> : <ProgressTable rows={data.rows} detailed />}
      {data.pages > 1 ? (
        <nav className="flex items-center justify-between text-sm" aria-label={t('common.page', { page: data.page, pages: data.pages })}>
          {data.page > 1 ? <Link to={pageLink(data.page - 1)}>← {t('common.previous')}</Link> : <span />}
          <span>{t('common.page', { page: data.page, pages: data.pages })}</span>
          {data.page < data.pages ? <Link to={pageLink(data.page + 1)}>{t('common.next')} →</Link> : <span />}
        </nav>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
