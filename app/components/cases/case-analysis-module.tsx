import { Link } from '@remix-run/react'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'

type Row = { groupId: string; groupName: string; caseTitle: { en: string; 'zh-CN': string }; dueAt: string; submitted: boolean; presented: boolean }

/** The course-module kind `case-analysis`: the learner's groups and what still completes it. */
export function CaseAnalysisModule({ groups }: { groups: Row[] | null }) {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  return (
    <div className="card space-y-3" data-case-analysis>
      <p className="text-sm text-slate-700">{t('cases.module.rule')}</p>
      {!groups || groups.length === 0 ? (
        <p className="notice" role="status">
          {t('cases.module.noGroup')}
        </p>
      ) : (
        <ul className="space-y-2">
          {groups.map((g) => (
            <li key={g.groupId} className="flex flex-wrap items-baseline gap-2">
              <Link to={`/groups/${g.groupId}`} className="font-medium">
                {t('groups.groupName', { name: g.groupName })} · {g.caseTitle[locale] || g.caseTitle.en}
              </Link>
              <span className="text-sm text-slate-700" suppressHydrationWarning>
                {t('cases.due', { when: formatDateTime(g.dueAt) })}
              </span>
              <span className="badge">{g.submitted ? t('cases.module.submitted') : t('cases.module.notSubmitted')}</span>
              <span className="badge">{g.presented ? t('cases.module.presented') : t('cases.module.notPresented')}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
