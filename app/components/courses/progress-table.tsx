import type { useLoaderData } from '@remix-run/react'
import { useLocale, useT } from '~/i18n/use-t'
import { pick } from '~/modules/courses/courses'
import type { listTeamProgress } from '~/modules/courses/progress.server'
import { OverdueBadge, StatusBadge, useFormatDate } from './ui'

/** One row of the progress query as a loader hands it over (types only: nothing from the server is bundled). */
export type ProgressTableRow = ReturnType<typeof useLoaderData<typeof listTeamProgress>>[number]

/**
 * The learners' progress per course, as HR's progress report and a manager's team page show it.
 * `detailed` (HR) adds each learner's email, department, quiz average and last activity.
 */
export function ProgressTable({ rows, detailed = false }: { rows: ProgressTableRow[]; detailed?: boolean }) {
  const t = useT()
  const locale = useLocale()
  const formatDate = useFormatDate()
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('progress.learner')}</th>
            {detailed ? <th scope="col">{t('common.department')}</th> : null}
            <th scope="col">{t('progress.course')}</th>
            <th scope="col">{t('progress.status')}</th>
            <th scope="col" className="text-right">
              {t('progress.modules')}
            </th>
            {detailed ? (
              <th scope="col" className="text-right">
                {t('progress.quizScore')}
              </th>
            ) : null}
            <th scope="col">{t('progress.due')}</th>
            <th scope="col">{t('progress.completedAt')}</th>
            {detailed ? <th scope="col">{t('progress.lastActivity')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.enrolmentId} data-learner={r.email} data-course={r.courseKey} data-status={r.status}>
              {detailed ? (
                <td>
                  <span className="font-medium">{r.name}</span>
                  <span className="block text-xs text-slate-600">{r.email}</span>
                </td>
              ) : (
                <td className="font-medium">{r.name}</td>
              )}
              {detailed ? <td className="text-sm">{r.department ?? '—'}</td> : null}
              <td className="text-sm">{pick(r.courseTitle, locale)}</td>
              <td>
                <span className="flex flex-wrap gap-1">
                  <StatusBadge status={r.status} />
                  {r.overdue ? <OverdueBadge /> : null}
                </span>
              </td>
              <td className="text-right tabular-nums">
                {r.doneCount}/{r.requiredCount}
              </td>
              {detailed ? <td className="text-right tabular-nums">{r.quizAverage ?? '—'}</td> : null}
              <td className="whitespace-nowrap text-sm">{r.dueAt ? formatDate(r.dueAt) : '—'}</td>
              <td className="whitespace-nowrap text-sm">{r.completedAt ? formatDate(r.completedAt) : '—'}</td>
              {detailed ? <td className="whitespace-nowrap text-sm">{r.lastActivity ? formatDate(r.lastActivity) : '—'}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
