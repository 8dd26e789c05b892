import { useFormatDate } from '~/components/courses/ui'
import { useLocale, useT } from '~/i18n/use-t'
import { statements, type Statement } from '~/modules/followup/followup'

type Rating = ({ raters: number } & Record<Statement, number>) | null
type Month = {
  period: string
  phase: 'before' | 'during' | 'after' | null
  coverage: number | null
  adherence: number | null
  confirmationRate: number | null
  rating: Rating
  teamResult: number | null
}
type Pooled = { coverage: number | null; adherence: number | null; confirmationRate: number | null; rating: Rating; teamResult: number | null } | null

export function percent(value: number | null, locale: string) {
  return value === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value)
}
export function score(value: number | null | undefined, locale: string) {
  return value === null || value === undefined ? '—' : new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)
}
function ratingMean(r: Rating) {
  return r ? statements.reduce((a, s) => a + r[s], 0) / statements.length : null
}
function monthLabel(period: string, locale: string) {
  return new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(new Date(`${period}T00:00:00Z`))
}

const SERIES = [
  { key: 'coverage', color: '#0f766e', dash: '' },
  { key: 'adherence', color: '#1d4ed8', dash: '6 3' },
  { key: 'confirmationRate', color: '#b45309', dash: '2 3' },
] as const

/**
 * The three rates per month as lines (0–100 %), the months before the course shaded and the
 * month of completion marked. An inline SVG: a few dozen points need no chart library.
 */
export function MeasuresChart({ months }: { months: Month[] }) {
  const t = useT()
  const locale = useLocale()
  const width = 640
  const height = 220
  const pad = { left: 44, right: 30, top: 10, bottom: 28 }
  const innerW = width - pad.left - pad.right
  const innerH = height - pad.top - pad.bottom
  const x = (i: number) => pad.left + (months.length <= 1 ? innerW / 2 : (i / (months.length - 1)) * innerW)
  const y = (v: number) => pad.top + (1 - v) * innerH
  const during = months.findIndex((m) => m.phase === 'during')
  const lastBefore = months.map((m) => m.phase).lastIndexOf('before')
  return (
    <figure className="max-w-3xl space-y-2">
      {/* Never narrower than 520 px, so its labels stay readable on a phone: there it scrolls sideways within itself. */}
      <div className="overflow-x-auto">
        <svg viewBox={`0 0 ${width} ${height}`} className="h-auto w-full min-w-[520px]" role="img" aria-labelledby="measures-chart-title">
          <title id="measures-chart-title">{t('followup.chart.title')}</title>
          {lastBefore >= 0 ? <rect x={pad.left} y={pad.top} width={x(lastBefore) - pad.left + 4} height={innerH} fill="#f1f5f9" /> : null}
          {[0, 0.5, 1].map((v) => (
            <g key={v}>
              <line x1={pad.left} x2={width - pad.right} y1={y(v)} y2={y(v)} stroke="#e2e8f0" />
              <text x={pad.left - 4} y={y(v) + 4} textAnchor="end" fontSize="13" fill="#475569">
                {v * 100}%
              </text>
            </g>
          ))}
          {during >= 0 ? (
            <g>
              <line x1={x(during)} x2={x(during)} y1={pad.top} y2={pad.top + innerH} stroke="#7c3aed" strokeWidth="2" />
              <text x={x(during) + 4} y={pad.top + 12} fontSize="13" fill="#5b21b6">
                {t('followup.chart.course')}
              </text>
            </g>
          ) : null}
          {SERIES.map((s) => {
            const points = months.flatMap((m, i) => (m[s.key] === null ? [] : [[x(i), y(m[s.key]!)] as const]))
            return (
              <g key={s.key}>
                <polyline points={points.map((p) => p.join(',')).join(' ')} fill="none" stroke={s.color} strokeWidth="2" strokeDasharray={s.dash} />
                {points.map(([px, py], i) => (
                  <circle key={i} cx={px} cy={py} r="3" fill={s.color} />
                ))}
              </g>
            )
          })}
          {months.map((m, i) =>
            i % Math.ceil(months.length / 6) === 0 || i === months.length - 1 ? (
              <text key={m.period} x={x(i)} y={height - 8} textAnchor="middle" fontSize="13" fill="#475569">
                {monthLabel(m.period, locale)}
              </text>
            ) : null,
          )}
        </svg>
      </div>
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700">
        {SERIES.map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1">
            <svg width="24" height="8" aria-hidden="true">
              <line x1="0" x2="24" y1="4" y2="4" stroke={s.color} strokeWidth="2" strokeDasharray={s.dash} />
            </svg>
            {t(`followup.measure.${s.key}`)}
          </span>
        ))}
        <span className="inline-flex items-center gap-1">
          <span className="inline-block h-3 w-4 bg-slate-100" aria-hidden="true" />
          {t('followup.chart.before')}
        </span>
      </figcaption>
    </figure>
  )
}

/**
 * Before / after the course side by side: the three rates, the rating and the team result. `of`
 * says whose course it is: the reader's own (the team page) or the manager's (HR, the scorecard).
 */
export function BeforeAfter({ before, after, completedOn, of = 'me' }: { before: Pooled; after: Pooled; completedOn: string | null; of?: 'me' | 'manager' }) {
  const t = useT()
  const locale = useLocale()
  const formatDate = useFormatDate()
  if (!completedOn)
    return <p className="text-sm text-slate-700">{t(of === 'me' ? 'followup.beforeAfter.notCompleted' : 'followup.beforeAfter.notCompletedManager')}</p>
  const rows: { label: string; get: (p: NonNullable<Pooled>) => string }[] = [
    { label: t('followup.measure.coverage'), get: (p) => percent(p.coverage, locale) },
    { label: t('followup.measure.adherence'), get: (p) => percent(p.adherence, locale) },
    { label: t('followup.measure.confirmationRate'), get: (p) => percent(p.confirmationRate, locale) },
    { label: t('followup.measure.rating'), get: (p) => (p.rating ? score(ratingMean(p.rating), locale) : t('followup.rating.hiddenShort')) },
    { label: t('followup.measure.teamResult'), get: (p) => (p.teamResult === null ? '—' : score(p.teamResult, locale)) },
  ]
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="table" data-testid="before-after">
        <caption className="p-2 text-left text-sm text-slate-700">
          {t(of === 'me' ? 'followup.beforeAfter.caption' : 'followup.beforeAfter.captionManager', { date: formatDate(completedOn) })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('followup.beforeAfter.measure')}</th>
            <th scope="col" className="text-right">
              {t('followup.beforeAfter.before')}
            </th>
            <th scope="col" className="text-right">
              {t('followup.beforeAfter.after')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row" className="font-normal">
                {r.label}
              </th>
              <td className="text-right tabular-nums">{before ? r.get(before) : '—'}</td>
              <td className="text-right tabular-nums">{after ? r.get(after) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The upward rating of one month, or why it is not shown. */
export function RatingSummary({ rating, minRaters }: { rating: Rating; minRaters: number }) {
  const t = useT()
  const locale = useLocale()
  if (!rating) {
    return (
      <p className="notice" data-testid="rating-hidden">
        {t('followup.rating.hidden', { min: minRaters })}
      </p>
    )
  }
  return (
    <div data-testid="rating-aggregate" className="space-y-2">
      <p className="text-sm text-slate-700">{t('followup.rating.basis', { count: rating.raters })}</p>
      <dl className="grid gap-2 sm:grid-cols-2">
        {statements.map((s) => (
          <div key={s} className="flex items-center justify-between gap-3 rounded-md border border-slate-200 bg-white px-3 py-2">
            <dt className="text-sm">{t(`followup.statement.${s}`)}</dt>
            <dd className="text-lg font-semibold tabular-nums" data-statement={s}>
              {score(rating[s], locale)}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  )
}

/** Every month in numbers: the chart's data, readable, with the rating where it may be shown. */
export function MonthTable({ months, open = false }: { months: Month[]; open?: boolean }) {
  const t = useT()
  const locale = useLocale()
  return (
    <details className="rounded-lg border border-slate-200 bg-white" open={open} data-testid="follow-up-months">
      <summary className="cursor-pointer p-3 text-sm font-medium">{t('followup.months.title')}</summary>
      <div className="overflow-x-auto">
        <table className="table text-sm">
          <thead>
            <tr>
              <th scope="col">{t('followup.months.month')}</th>
              <th scope="col" className="text-right">
                {t('followup.measure.coverage')}
              </th>
              <th scope="col" className="text-right">
                {t('followup.measure.adherence')}
              </th>
              <th scope="col" className="text-right">
                {t('followup.measure.confirmationRate')}
              </th>
              <th scope="col" className="text-right">
                {t('followup.measure.rating')}
              </th>
              <th scope="col" className="text-right">
                {t('followup.measure.teamResult')}
              </th>
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr key={m.period} data-period={m.period}>
                <th scope="row" className="whitespace-nowrap font-normal">
                  {monthLabel(m.period, locale)}
                  {m.phase === 'during' ? ` · ${t('followup.chart.course')}` : ''}
                </th>
                <td className="text-right tabular-nums">{percent(m.coverage, locale)}</td>
                <td className="text-right tabular-nums">{percent(m.adherence, locale)}</td>
                <td className="text-right tabular-nums">{percent(m.confirmationRate, locale)}</td>
                <td className="text-right tabular-nums">{m.rating ? score(ratingMean(m.rating), locale) : '—'}</td>
                <td className="text-right tabular-nums">{m.teamResult === null ? '—' : score(m.teamResult, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  )
}
