import { pageTitle } from '~/components/admin/page-title'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { OverdueBadge, ProgressBar, StatusIcon, useFormatDate } from '~/components/courses/ui'
import { RouteErrorBoundary } from '~/components/route-error'
import { useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { pick } from '~/modules/courses/courses'
import { getCourseOverview } from '~/modules/courses/learning.server'
import { param } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (_, locale) => pick(data?.course.title, locale))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getCourseOverview(user, param(params, 'courseId'))
}

export default function CourseOverview() {
  const t = useT()
  const locale = useLocale()
  const formatDate = useFormatDate()
  const data = useLoaderData<typeof loader>()
  const { course, enrolment, modules } = data
  const done = Boolean(enrolment?.completedAt)
  const percent = done ? 100 : data.requiredCount ? Math.floor((data.completedCount * 100) / data.requiredCount) : 0
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <p className="text-sm">
        <Link to="/learn">← {t('course.myLearning')}</Link>
      </p>
      <div className="space-y-2">
        <h1>{pick(course.title, locale)}</h1>
        <p className="text-slate-700">{pick(course.description, locale)}</p>
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <span>{t('learn.minutes', { minutes: course.estimatedMinutes })}</span>
          {enrolment?.dueAt && !done ? <span>· {t('learn.due', { date: formatDate(enrolment.dueAt) })}</span> : null}
          {data.overdue ? <OverdueBadge /> : null}
        </p>
      </div>
      {data.preview ? (
        <p className="notice" role="status">
          {t('course.preview')}
        </p>
      ) : null}
      {done ? (
        <div className="notice flex flex-wrap items-center justify-between gap-3" role="status">
          <span>{t('course.completed', { date: formatDate(enrolment?.completedAt) })}</span>
          <a href={`/learn/${course.key}/certificate`} className="btn-secondary" download>
            {t('course.certificate')}
          </a>
        </div>
      ) : null}
      {!data.preview ? (
        <div className="card space-y-3">
          <ProgressBar percent={percent} label={t('learn.progress', { done: data.completedCount, total: data.requiredCount })} />
          <p className="text-sm text-slate-700">{t('learn.progress', { done: data.completedCount, total: data.requiredCount })}</p>
          {data.resume ? (
            <Link to={`/learn/${course.key}/${data.resume}`} className="btn-primary w-full sm:w-auto">
              {data.started ? t('course.resume') : t('course.begin')}
            </Link>
          ) : null}
        </div>
      ) : null}
      <section aria-labelledby="modules">
        <h2 id="modules" className="mb-2">
          {t('course.modules')}
        </h2>
        <ol className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {modules.map((m, i) => (
            <li key={m.key} data-module={m.key} data-status={m.status}>
              <Link
                to={`/learn/${course.key}/${m.key}`}
                className="flex items-center gap-3 px-3 py-3 text-slate-900 no-underline hover:bg-slate-50 hover:no-underline sm:px-4"
              >
                <StatusIcon status={m.status} />
                <span className="min-w-0 flex-1">
                  <span className="block font-medium">
                    {i + 1}. {pick(m.title, locale)}
                  </span>
                  <span className="mt-0.5 flex flex-wrap gap-x-2 text-xs text-slate-600">
                    <span>{t(`module.kind.${m.kind}`)}</span>
                    <span>· {t('learn.minutes', { minutes: m.estimatedMinutes })}</span>
                    {m.placeholder ? <span className="font-medium text-amber-800">· {t(`module.comingWith.${m.kind}`)}</span> : null}
                    {!m.required ? <span>· {t('course.optional')}</span> : null}
                  </span>
                </span>
                <span className="sr-only">{t(`course.status.${m.status}`)}</span>
              </Link>
            </li>
          ))}
        </ol>
      </section>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
