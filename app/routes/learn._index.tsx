import { pageTitle } from '~/components/admin/page-title'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { OverdueBadge, ProgressBar, useFormatDate } from '~/components/courses/ui'
import { RouteErrorBoundary } from '~/components/route-error'
import { useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { pick } from '~/modules/courses/courses'
import { listMyLearning } from '~/modules/courses/learning.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.learning'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return { courses: await listMyLearning(user) }
}

export default function MyLearning() {
  const t = useT()
  const locale = useLocale()
  const formatDate = useFormatDate()
  const { courses } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <div>
        <h1>{t('learn.title')}</h1>
        <p className="mt-1 text-slate-700">{t('learn.intro')}</p>
      </div>
      {courses.length === 0 ? (
        <p className="card text-slate-700">{t('learn.empty')}</p>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2">
          {courses.map((c) => {
            const done = Boolean(c.completedAt)
            const started = c.completedCount > 0
            return (
              <li key={c.courseKey} className={`card flex flex-col gap-3 ${c.overdue ? 'border-red-300' : ''}`} data-course={c.courseKey}>
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <h2 className="text-lg">
                    <Link to={`/learn/${c.courseKey}`} className="text-slate-900">
                      {pick(c.title, locale)}
                    </Link>
                  </h2>
                  {c.overdue ? <OverdueBadge /> : null}
                </div>
                <p className="text-sm text-slate-600">
                  {done ? (
                    <span className="font-medium text-emerald-800">{t('learn.completedOn', { date: formatDate(c.completedAt) })}</span>
                  ) : c.dueAt ? (
                    <span className={c.overdue ? 'font-semibold text-red-800' : ''}>{t('learn.due', { date: formatDate(c.dueAt) })}</span>
                  ) : (
                    t('learn.noDue')
                  )}
                  {' · '}
                  {t('learn.minutes', { minutes: c.estimatedMinutes })}
                </p>
                <ProgressBar percent={c.percent} label={t('learn.progress', { done: c.completedCount, total: c.requiredCount })} />
                <p className="text-sm text-slate-700">{t('learn.progress', { done: c.completedCount, total: c.requiredCount })}</p>
                {!done && c.nextModuleTitle ? <p className="text-sm text-slate-700">{t('learn.next', { title: pick(c.nextModuleTitle, locale) })}</p> : null}
                <p className="mt-auto">
                  <Link
                    to={!done && c.nextModuleKey ? `/learn/${c.courseKey}/${c.nextModuleKey}` : `/learn/${c.courseKey}`}
                    className={done ? 'btn-secondary' : 'btn-primary'}
                  >
                    {done ? t('learn.review') : started ? t('learn.continue') : t('learn.start')}
                  </Link>
                </p>
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
