import { Link } from '@remix-run/react'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'

type Row = { groupId: string; groupName: string; title: { en: string; 'zh-CN': string }; dueAt: string; submitted: boolean; reviewed: boolean }

/** The course-module kind `roleplay`: the learner's groups with a role-play and whether each is reviewed. */
export function RoleplayModule({ groups }: { groups: Row[] | null }) {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  return (
    <div className="card space-y-3" data-roleplay-module>
      <p className="text-sm text-slate-700">{t('rp.module.rule')}</p>
      {!groups || groups.length === 0 ? (
        <p className="notice" role="status">
          {t('rp.module.noGroup')}
        </p>
      ) : (
        <ul className="space-y-2">
          {groups.map((g) => (
            <li key={g.groupId} className="flex flex-wrap items-baseline gap-2">
              <Link to={`/groups/${g.groupId}/roleplay`} className="font-medium">
                {t('groups.groupName', { name: g.groupName })} · {g.title[locale] || g.title.en}
              </Link>
              <span className="text-sm text-slate-700" suppressHydrationWarning>
                {t('rp.due', { when: formatDateTime(g.dueAt) })}
              </span>
              <span className="badge">{g.submitted ? t('rp.module.submitted') : t('rp.module.notSubmitted')}</span>
              <span className="badge">{g.reviewed ? t('rp.module.reviewed') : t('rp.module.notReviewed')}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
