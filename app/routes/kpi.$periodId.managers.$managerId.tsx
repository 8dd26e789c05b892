import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { pageTitle } from '~/components/admin/page-title'
import { useFormatDate } from '~/components/courses/ui'
import { BeforeAfter, MeasuresChart, MonthTable } from '~/components/followup/measures'
import { KpiChart } from '~/components/kpi/lazy-charts'
import { PreviewFreshness } from '~/components/kpi/preview-freshness'
import { RevisionList } from '~/components/kpi/revision-list'
import { RouteErrorBoundary } from '~/components/route-error'
import { useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { pick } from '~/modules/courses/courses'
import { RollupFilters } from '~/modules/kpi/kpi'
import { scorecard } from '~/modules/kpi/reports.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('kpi.scorecard'))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const filters = RollupFilters.parse(Object.fromEntries(new URL(request.url).searchParams))
  return scorecard(user, params.periodId ?? '', params.managerId ?? '', filters, { stale: 'serve' })
}

export default function Scorecard() {
  const t = useT()
  const locale = useLocale()
  const formatDate = useFormatDate()
  const [params] = useSearchParams()
  const { period, source, row, evidence, hints, revisions, trend, followUp } = useLoaderData<typeof loader>()
  const label = (l: (typeof evidence)[number]['label']) => (typeof l === 'string' ? l : pick(l, locale))
  const revisionLink = (r: number) => {
    const next = new URLSearchParams(params)
    next.set('revision', String(r))
    next.delete('source')
    return `?${next}`
  }
  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm">
          <Link to={`/kpi?period=${period.id}`}>
            {t('kpi.title')} · {period.key}
          </Link>
        </p>
        <h1>
          {t('kpi.scorecard')}: {row.name}
        </h1>
        <p className="mt-1 text-slate-700">
          {row.departmentPath ?? ''} ·{' '}
          <span data-testid="kpi-source">{source.kind === 'live' ? t('kpi.source.preview') : t('kpi.source.published', { revision: source.revision })}</span>
          {source.kind === 'live' ? (
            <>
              {' · '}
              <PreviewFreshness asOf={source.asOf} updating={source.updating} />
            </>
          ) : null}
        </p>
      </div>
      <div className="grid gap-4 md:grid-cols-3">
        <section className="card" aria-labelledby="score">
          <h2 id="score">{t('kpi.score')}</h2>
          <p className="mt-2 text-4xl font-semibold" data-testid="kpi-score">
            {row.score ?? t('kpi.noScore')}
          </p>
          <p className="mt-1">{row.band ? t('kpi.bandName', { band: row.band }) : t('kpi.band.none')}</p>
        </section>
        <section className="card md:col-span-2" aria-labelledby="hints">
          <h2 id="hints">{t('kpi.hints')}</h2>
          {hints.length === 0 ? <p className="mt-2 text-slate-700">{t('kpi.hintsNone')}</p> : null}
          <ul className="mt-2 list-disc pl-5">
            {hints.map((h, i) => (
              <li key={i}>{t(h.key, h.vars)}</li>
            ))}
          </ul>
        </section>
      </div>
      <section className="card overflow-x-auto" aria-labelledby="components">
        <h2 id="components">{t('kpi.components')}</h2>
        <table className="mt-2 w-full text-sm">
          <thead>
            <tr className="text-left">
              <th className="py-1 pr-3">{t('kpi.item')}</th>
              <th className="py-1 pr-3">{t('kpi.score')}</th>
              <th className="py-1 pr-3">{t('kpi.weight')}</th>
              <th className="py-1 pr-3">{t('kpi.effectiveWeight')}</th>
              <th className="py-1 pr-3">{t('kpi.items')}</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(period.policy.components)
              .filter(([, c]) => c.enabled)
              .map(([key, c]) => {
                const result = row.components.find((x) => x.key === key)
                const dropped = !result || result.score === null
                return (
                  <tr key={key} className="border-t border-slate-200">
                    <td className="py-1 pr-3">{t(`kpi.component.${key}`)}</td>
                    <td className="py-1 pr-3">{dropped ? t('kpi.noScore') : result.score}</td>
                    <td className="py-1 pr-3">{result?.weight ?? c.weight}</td>
                    <td className="py-1 pr-3">{dropped ? <span className="text-slate-600">{t('kpi.dropped')}</span> : `${result.effectiveWeight}`}</td>
                    <td className="py-1 pr-3">{result?.items ?? 0}</td>
                  </tr>
                )
              })}
          </tbody>
        </table>
      </section>
      <section className="card overflow-x-auto" aria-labelledby="evidence">
        <h2 id="evidence">{t('kpi.evidence')}</h2>
        <table className="mt-2 w-full text-sm">
          <thead>
            <tr className="text-left">
              <th className="py-1 pr-3">{t('kpi.item')}</th>
              <th className="py-1 pr-3">{t('kpi.when')}</th>
              <th className="py-1 pr-3">{t('kpi.status')}</th>
              <th className="py-1 pr-3">{t('kpi.itemScore')}</th>
            </tr>
          </thead>
          <tbody>
            {evidence.map((e, i) => (
              <tr key={i} className={`border-t border-slate-200 ${e.blocking ? 'bg-amber-50' : ''}`}>
                <td className="py-1 pr-3">
                  <span className="text-slate-600">{t(`kpi.component.${e.component}`)} · </span>
                  {label(e.label)}
                </td>
                <td className="py-1 pr-3">{formatDate(e.at)}</td>
                <td className="py-1 pr-3">{t(`kpi.status.${e.status}`)}</td>
                <td className="py-1 pr-3">{e.score === null ? t('kpi.noScore') : Math.round(e.score * 1000) / 10}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {followUp ? (
        <section className="card space-y-3" aria-labelledby="follow-up-beside" data-testid="follow-up-beside">
          <h2 id="follow-up-beside">{t('followup.scorecard.title')}</h2>
          <p className="text-sm text-slate-700">{t('followup.scorecard.intro')}</p>
          <MeasuresChart months={followUp.months} />
          <BeforeAfter before={followUp.before} after={followUp.after} completedOn={followUp.completedOn} of="manager" />
          <h3 className="text-base font-semibold">{t('followup.scorecard.periodMonths')}</h3>
          <MonthTable months={followUp.periodMonths} open />
        </section>
      ) : null}
      <KpiChart kind="trend" title={t('kpi.chart.trend')} data={trend} />
      {revisions.length ? <RevisionList revisions={revisions} current={source.kind === 'snapshot' ? source.revision : undefined} link={revisionLink} /> : null}
    </div>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
