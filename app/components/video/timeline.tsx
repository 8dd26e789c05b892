import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react'
import { useT } from '~/i18n/use-t'
import { formatTime } from '~/modules/videos/videos'

export type TimelineMarker = { id: string; time: number; title: string; state?: 'done' | 'required' | 'open' | 'selected' }

/**
 * The playhead, read from the video a few times a second while playing. Kept inside the small
 * components that show it: re-rendering a whole page on every frame would delay the timers
 * that stop the video at breakpoints.
 */
export function useCurrentTime(video: HTMLVideoElement | null, intervalMs = 100) {
  const [time, setTime] = useState(0)
  useEffect(() => {
    if (!video) return
    let timer: number | undefined
    const update = () => setTime(video.currentTime)
    const start = () => {
      window.clearInterval(timer)
      timer = window.setInterval(update, intervalMs)
    }
    const stop = () => {
      window.clearInterval(timer)
      update()
    }
    update()
    if (!video.paused) start()
    video.addEventListener('play', start)
    video.addEventListener('pause', stop)
    video.addEventListener('seeked', update)
    return () => {
      window.clearInterval(timer)
      video.removeEventListener('play', start)
      video.removeEventListener('pause', stop)
      video.removeEventListener('seeked', update)
    }
  }, [video, intervalMs])
  return time
}

const colour: Record<NonNullable<TimelineMarker['state']>, string> = {
  done: 'bg-brand-600 border-brand-800',
  required: 'bg-amber-400 border-amber-700',
  open: 'bg-white border-slate-600',
  selected: 'bg-sky-500 border-sky-800 ring-2 ring-sky-300',
}

/**
 * Breakpoint markers on a bar under the player. Markers are buttons (keyboard reachable);
 * with `onMove` they can be dragged (the editor), with arrow keys nudged.
 */
export function BreakpointTimeline({
  duration,
  markers,
  video,
  onSelect,
  onMove,
  onScrub,
  label,
}: {
  duration: number
  markers: TimelineMarker[]
  video: HTMLVideoElement | null
  onSelect: (id: string) => void
  onMove?: (id: string, time: number) => void
  onScrub?: (time: number) => void
  label?: string
}) {
  const t = useT()
  const bar = useRef<HTMLDivElement>(null)
  const current = useCurrentTime(video)
  const [drag, setDrag] = useState<{ id: string; time: number } | null>(null)
  const pct = (time: number) => `${duration > 0 ? Math.min(100, Math.max(0, (time / duration) * 100)) : 0}%`
  const timeAt = (clientX: number) => {
    const rect = bar.current!.getBoundingClientRect()
    return Math.round(Math.min(duration, Math.max(0, ((clientX - rect.left) / rect.width) * duration)) * 1000) / 1000
  }
  const startDrag = (event: ReactPointerEvent<HTMLButtonElement>, id: string, time: number) => {
    if (!onMove) return
    event.currentTarget.setPointerCapture(event.pointerId)
    setDrag({ id, time })
  }
  return (
    <div className="select-none py-3" aria-label={label ?? t('videos.timeline')} role="group">
      <div
        ref={bar}
        className="relative h-3 rounded-full bg-slate-200"
        data-testid="timeline"
        onPointerDown={(e) => {
          if (onScrub && e.target === e.currentTarget) onScrub(timeAt(e.clientX))
        }}
      >
        <div className="absolute inset-y-0 left-0 rounded-full bg-brand-100" style={{ width: pct(current) }} aria-hidden="true" />
        <div className="absolute -top-1 h-5 w-0.5 bg-brand-800" style={{ left: pct(current) }} aria-hidden="true" />
        {markers.map((m) => {
          const time = drag?.id === m.id ? drag.time : m.time
          return (
            <button
              key={m.id}
              type="button"
              data-testid={`marker-${m.id}`}
              data-time={time}
              aria-label={t('videos.jumpTo', { title: m.title, time: formatTime(time) })}
              title={`${formatTime(time, true)} · ${m.title}`}
              className={`absolute top-1/2 h-5 w-5 -translate-x-1/2 -translate-y-1/2 rounded-full border-2 ${colour[m.state ?? 'open']} ${onMove ? 'cursor-ew-resize touch-none' : 'cursor-pointer'}`}
              style={{ left: pct(time) }}
              onClick={(e) => {
                // With dragging on, a pointer press is handled on pointer-up; keyboard clicks (detail 0) come here.
                if (!onMove || e.detail === 0) onSelect(m.id)
              }}
              onPointerDown={(e) => startDrag(e, m.id, m.time)}
              onPointerMove={(e) => {
                if (drag?.id === m.id) setDrag({ id: m.id, time: timeAt(e.clientX) })
              }}
              onPointerUp={() => {
                if (drag?.id === m.id) {
                  const moved = Math.abs(drag.time - m.time) > 0.01
                  setDrag(null)
                  if (moved) onMove?.(m.id, drag.time)
                  else onSelect(m.id)
                }
              }}
              onKeyDown={(e) => {
                if (!onMove) return
                const step = e.shiftKey ? 1 : 0.1
                if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
                  e.preventDefault()
                  onMove(m.id, Math.round(Math.min(duration, Math.max(0, m.time + (e.key === 'ArrowLeft' ? -step : step))) * 1000) / 1000)
                }
              }}
            />
          )
        })}
      </div>
      <div className="mt-1 flex justify-between text-xs text-slate-600" aria-hidden="true">
        <span>{formatTime(current)}</span>
        <span>{formatTime(duration)}</span>
      </div>
    </div>
  )
}
