import { Link } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import { PreviewFreshness } from './preview-freshness'

type Status = {
  periodId: string
  key: string
  published: boolean
  blockers: { sessionId: string }[]
  managers: number
  unscored: number
  asOf: Date | string
  updating: boolean
}

/** HR's home: the current KPI period — what blocks publication, who has no score yet. */
export function KpiStatusCard({ status }: { status: Status }) {
  const t = useT()
  return (
    <section className="card space-y-2" aria-labelledby="kpi-status">
      <h2 id="kpi-status">{t('kpi.home.title', { period: status.key })}</h2>
      <p>
        <PreviewFreshness asOf={status.asOf} updating={status.updating} />
      </p>
      <ul className="space-y-1 text-slate-800">
        {status.published ? <li className="text-emerald-800">{t('kpi.home.published')}</li> : null}
        {status.blockers.length ? (
          <li className="font-medium text-amber-900">{t('kpi.home.blocking', { count: status.blockers.length })}</li>
        ) : status.published ? null : (
          <li className="text-emerald-800">{t('kpi.home.ready')}</li>
        )}
        <li>{t('kpi.home.unscored', { count: status.unscored })}</li>
      </ul>
      <p>
        <Link to={`/admin/kpi/${status.periodId}`} className="btn-secondary">
          {t('kpi.home.open')}
        </Link>
      </p>
    </section>
  )
}
