import { useMemo } from 'react'
import { useLocale, useT } from '~/i18n/use-t'
import type { ModuleStatus } from '~/modules/courses/courses'

/** Formats a date (no time) in the UI's locale, as seen in China. */
// Building a formatter with a time zone costs milliseconds (the zone's data): one per language, kept.
const dateFormats = new Map<string, Intl.DateTimeFormat>()

export function useFormatDate() {
  const locale = useLocale()
  return useMemo(() => {
    let format = dateFormats.get(locale)
    if (!format) {
      format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'Asia/Shanghai' })
      dateFormats.set(locale, format)
    }
    const chosen = format
    return (value: Date | string | null | undefined) => (value ? chosen.format(new Date(value)) : '')
  }, [locale])
}

export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  const value = Math.max(0, Math.min(100, Math.round(percent)))
  return (
    <div className="flex items-center gap-3">
      <div
        className="h-2.5 flex-1 overflow-hidden rounded-full bg-slate-200"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        aria-label={label}
      >
        <div className={`h-full rounded-full ${value === 100 ? 'bg-emerald-600' : 'bg-brand-600'}`} style={{ width: `${value}%` }} />
      </div>
      <span className="w-12 text-right text-sm tabular-nums text-slate-700">{value}%</span>
    </div>
  )
}

const statusStyle: Record<ModuleStatus, string> = {
  not_started: 'bg-slate-100 text-slate-700',
  in_progress: 'bg-amber-100 text-amber-900',
  completed: 'bg-emerald-100 text-emerald-900',
}

export function StatusBadge({ status }: { status: ModuleStatus }) {
  const t = useT()
  return <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${statusStyle[status]}`}>{t(`course.status.${status}`)}</span>
}

export function StatusIcon({ status }: { status: ModuleStatus }) {
  if (status === 'completed')
    return (
      <span aria-hidden className="flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-emerald-600 text-sm text-white">
        ✓
      </span>
    )
  if (status === 'in_progress')
    return (
      <span aria-hidden className="flex h-7 w-7 shrink-0 items-center justify-center rounded-full border-2 border-amber-500 bg-amber-50 text-xs text-amber-700">
        …
      </span>
    )
  return <span aria-hidden className="h-7 w-7 shrink-0 rounded-full border-2 border-slate-300 bg-white" />
}

export function OverdueBadge() {
  const t = useT()
  return <span className="inline-block rounded-full bg-red-100 px-2 py-0.5 text-xs font-semibold text-red-800">{t('learn.overdue')}</span>
}
