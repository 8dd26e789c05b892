import { lazy, Suspense, useEffect, useState, type ComponentProps } from 'react'
import { useT } from '~/i18n/use-t'

// The chart library is fetched only when a chart is on screen, after hydration (charts need the browser's layout).
const Charts = {
  band: lazy(() => import('./charts').then((m) => ({ default: m.BandChart }))),
  department: lazy(() => import('./charts').then((m) => ({ default: m.DepartmentChart }))),
  trend: lazy(() => import('./charts').then((m) => ({ default: m.TrendChart }))),
}

type Props =
  | ({ kind: 'band' } & ComponentProps<typeof import('./charts').BandChart>)
  | ({ kind: 'department' } & ComponentProps<typeof import('./charts').DepartmentChart>)
  | ({ kind: 'trend' } & ComponentProps<typeof import('./charts').TrendChart>)

/** A chart with its title; the same figures are always in a table beside it for screen readers. */
export function KpiChart({ title, ...props }: Props & { title: string }) {
  const t = useT()
  const [mounted, setMounted] = useState(false)
  useEffect(() => setMounted(true), [])
  const fallback = <p className="text-sm text-slate-600">{t('kpi.chart.loading')}</p>
  return (
    <figure className="card" data-testid={`kpi-chart-${props.kind}`}>
      <figcaption className="font-medium">{title}</figcaption>
      <div aria-hidden="true" className="mt-2 min-h-[180px]">
        {mounted ? (
          <Suspense fallback={fallback}>
            {props.kind === 'band' ? (
              <Charts.band data={props.data} />
            ) : props.kind === 'department' ? (
              <Charts.department data={props.data} />
            ) : (
              <Charts.trend data={props.data} />
            )}
          </Suspense>
        ) : (
          fallback
        )}
      </div>
    </figure>
  )
}
