import { Link } from '@remix-run/react'
import { useFormatDate } from '~/components/courses/ui'
import { useT } from '~/i18n/use-t'

type Revision = { revision: number; reason: string | null; publishedAt: Date | string; publishedBy: string | null }

/** Every published revision, newest first, with the reason for each correction. */
export function RevisionList({ revisions, link, current }: { revisions: Revision[]; link: (revision: number) => string; current?: number }) {
  const t = useT()
  const formatDate = useFormatDate()
  return (
    <section className="card" aria-labelledby="revisions">
      <h2 id="revisions">{t('kpi.revisions')}</h2>
      <ol className="mt-2 space-y-2">
        {revisions.map((r) => (
          <li key={r.revision} className="text-sm">
            <span className={current === r.revision ? 'font-semibold' : ''}>
              {t('kpi.revisionLine', { revision: r.revision, date: formatDate(r.publishedAt), by: r.publishedBy ?? '' })}
            </span>{' '}
            — {r.reason ?? t('kpi.firstPublication')} {current === r.revision ? null : <Link to={link(r.revision)}>{t('kpi.viewRevision')}</Link>}
          </li>
        ))}
      </ol>
    </section>
  )
}
