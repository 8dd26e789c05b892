import { pageTitle } from '~/components/admin/page-title'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { useLocale, useT } from '~/i18n/use-t'
import { can } from '~/modules/auth/permissions'
import { requireUser } from '~/modules/auth/session.server'
import { pick } from '~/modules/courses/courses'
import { listCourseSummaries } from '~/modules/courses/progress.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.courses'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return { courses: await listCourseSummaries(user), canAuthor: can(user, 'manage:courses:all') }
}

export default function AdminCourses() {
  const t = useT()
  const locale = useLocale()
  const { courses, canAuthor } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1>{t('admin.courses.title')}</h1>
          <p className="mt-1 text-slate-700">{t('admin.courses.intro')}</p>
        </div>
        {canAuthor ? (
          <Link to="/admin/courses/new" className="btn-primary">
            {t('author.newCourse')}
          </Link>
        ) : null}
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('progress.course')}</th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col" className="text-right">
                {t('admin.courses.modules')}
              </th>
              <th scope="col" className="text-right">
                {t('admin.courses.enrolled')}
              </th>
              <th scope="col" className="text-right">
                {t('admin.courses.completed')}
              </th>
              <th scope="col" className="text-right">
                {t('admin.courses.overdue')}
              </th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {courses.map((c) => (
              <tr key={c.key} data-course={c.key}>
                <td>
                  <Link to={`/admin/courses/${c.key}`} className="font-medium">
                    {pick(c.title, locale)}
                  </Link>
                  <p className="text-xs text-slate-600">
                    {t(`admin.courses.audience.${c.audience}`)} · {t('learn.minutes', { minutes: c.estimatedMinutes })}
                  </p>
                </td>
                <td>
                  <span className="badge">{c.retiredAt ? t('admin.courses.retired') : t(`admin.courses.status.${c.status}`)}</span>
                </td>
                <td className="text-right tabular-nums">{c.modules}</td>
                <td className="text-right tabular-nums">{c.enrolled}</td>
                <td className="text-right tabular-nums" data-completed>
                  {c.completed}
                </td>
                <td className={`text-right tabular-nums ${c.overdue ? 'font-semibold text-red-800' : ''}`}>{c.overdue}</td>
                <td className="space-x-3 whitespace-nowrap">
                  <Link to={`/admin/progress?course=${c.key}`}>{t('admin.courses.progress')}</Link>
                  <Link to={`/learn/${c.key}`}>{t('admin.courses.open')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
