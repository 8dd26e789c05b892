import { useT } from '~/i18n/use-t'

/** The 1–5 distribution of one question as CSS bars, with the numbers readable as a list. */
export function RatingBars({ label, counts }: { label: string; counts: number[] }) {
  const t = useT()
  const max = Math.max(1, ...counts)
  return (
    <ul aria-label={label} className="space-y-1">
      {counts.map((count, index) => (
        <li key={index} className="flex items-center gap-2 text-sm">
          <span className="w-4 shrink-0 text-right font-medium text-slate-700" aria-hidden="true">
            {index + 1}
          </span>
          <span className="sr-only">{t('surveys.results.ratingCount', { rating: index + 1, count })}</span>
          <span className="h-4 flex-1 rounded-sm bg-slate-100" aria-hidden="true">
            <span className="block h-4 rounded-sm bg-brand-600" style={{ width: `${(count / max) * 100}%` }} />
          </span>
          <span className="w-6 shrink-0 tabular-nums text-slate-700" aria-hidden="true">
            {count}
          </span>
        </li>
      ))}
    </ul>
  )
}

/** An average such as 4.25 in the reader's locale, or a dash. */
export function formatAverage(value: number | null, locale: string) {
  return value === null ? '—' : new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 2 }).format(value)
}
