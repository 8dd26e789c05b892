import { useRevalidator } from '@remix-run/react'
import { useEffect, useMemo } from 'react'
import { useLocale, useT } from '~/i18n/use-t'

/** How often a page showing a preview that is being refreshed asks for the figures again. */
export const REVALIDATE_MS = 2_000

/**
 * When the maintained KPI preview was computed (docs/decisions/067), said politely to screen
 * readers. While it is updating (the data changed since, or time passed a boundary), the page
 * revalidates every ~2 s until the refreshed figures arrive.
 */
export function PreviewFreshness({ asOf, updating }: { asOf: Date | string; updating: boolean }) {
  const t = useT()
  const locale = useLocale()
  const revalidator = useRevalidator()
  const time = useMemo(
    () =>
      new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' }).format(
        new Date(asOf),
      ),
    [asOf, locale],
  )
  useEffect(() => {
    if (!updating) return
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate()
    }, REVALIDATE_MS)
    return () => clearInterval(timer)
  }, [updating, revalidator])
  return (
    <span role="status" aria-live="polite" className={`text-sm ${updating ? 'text-amber-900' : 'text-slate-700'}`} data-testid="kpi-freshness">
      {updating ? t('kpi.preview.updating', { time }) : t('kpi.preview.asOf', { time })}
    </span>
  )
}
