import { useFetcher, type ShouldRevalidateFunction } from '@remix-run/react'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useLocale, useT } from '~/i18n/use-t'
import type { getVideoForViewer } from '~/modules/videos/videos.server'
import { breakpointDone, breakpointRequired, formatTime, type PlayerBreakpoint } from '~/modules/videos/videos'
import { BreakpointOverlay } from './breakpoint-overlay'
import { BreakpointTimeline } from './timeline'
import { useBreakpointStops, type StopPoint } from './use-breakpoint-stops'
import { useWatchedRanges, type ProgressPayload } from './use-watched-ranges'
import { VideoPlayer, type PlayerHandle } from './video-player'

export type ViewerData = Awaited<ReturnType<typeof getVideoForViewer>>

type RespondResult =
  | { ok: false; breakpointId: string; error: string }
  | {
      ok: true
      intent: 'acknowledge' | 'answer' | 'predict'
      breakpoint: PlayerBreakpoint
      peers?: string[]
      completion: { completed: boolean; creditedShare: number; requiredDone: number; requiredTotal: number }
    }

type ProgressResult = { creditedSeconds: number; creditedShare: number; completed: boolean; requiredDone: number; requiredTotal: number }

/**
 * Routes that render the player export this: the player's own posts (progress every few
 * seconds, responses) must not reload the page's data and disturb playback.
 */
export const videoShouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) => {
  if (formAction && /^\/videos\/[^/]+\/(progress|respond)$/.test(formAction)) return false
  return defaultShouldRevalidate
}

/**
 * The learner's player: stops at every breakpoint with its commentary, blocks on required
 * ones, resumes where the person left off and reports what was watched to the server.
 * Render it with the data of `getVideoForViewer` (the course module can embed it as is).
 */
export function LearnerPlayer({ data }: { data: ViewerData }) {
  const t = useT()
  const locale = useLocale()
  const { video } = data
  const [handle, setHandle] = useState<PlayerHandle | null>(null)
  const [bps, setBps] = useState<PlayerBreakpoint[]>(data.breakpoints)
  const [peers, setPeers] = useState<Record<string, string[]>>(data.peerPredictions)
  const [openId, setOpenId] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const respond = useFetcher<RespondResult>({ key: `respond-${video.id}` })
  const progress = useFetcher<ProgressResult>({ key: `progress-${video.id}` })
  const [summary, setSummary] = useState({
    completed: data.progress.completed,
    creditedShare: video.duration > 0 ? data.progress.creditedSeconds / video.duration : 0,
    requiredDone: data.breakpoints.filter((b) => breakpointRequired(b) && breakpointDone(b)).length,
    requiredTotal: data.breakpoints.filter(breakpointRequired).length,
  })
  const stageId = `stage-${video.id}`
  const el = handle?.video ?? null

  const points: StopPoint[] = useMemo(() => bps.map((b) => ({ id: b.id, time: b.time, blocking: breakpointRequired(b) && !breakpointDone(b) })), [bps])

  const onStop = useCallback((id: string) => {
    setError(null)
    setNotice(null)
    setOpenId(id)
  }, [])
  const stops = useBreakpointStops(
    el,
    points,
    (id, m) => {
      onStop(id)
      if (m.reason === 'seek' && m.stoppedAt > m.annotated) setNotice(t('videos.stoppedAtRequired'))
    },
    (id) => setOpenId((open) => (open === id ? null : open)),
  )

  const progressUrl = `/videos/${encodeURIComponent(video.id)}/progress`
  useWatchedRanges(
    el,
    (p: ProgressPayload) => progress.submit(p, { method: 'post', encType: 'application/json', action: progressUrl }),
    (p: ProgressPayload) => {
      navigator.sendBeacon?.(progressUrl, new Blob([JSON.stringify(p)], { type: 'application/json' }))
    },
  )

  useEffect(() => {
    if (progress.data) setSummary(progress.data)
  }, [progress.data])

  const open = openId ? (bps.find((b) => b.id === openId) ?? null) : null
  const openIndex = open ? bps.indexOf(open) : -1

  const closeAndPlay = useCallback(() => {
    setOpenId(null)
    stops.release(true)
    handle?.player.focus()
  }, [stops, handle])

  useEffect(() => {
    const r = respond.data
    if (!r || respond.state !== 'idle') return
    if (!r.ok) {
      setError(r.error)
      return
    }
    setError(null)
    setBps((prev) => prev.map((b) => (b.id === r.breakpoint.id ? r.breakpoint : b)))
    if (r.peers) setPeers((prev) => ({ ...prev, [r.breakpoint.id]: r.peers! }))
    setSummary((s) => ({ ...s, ...r.completion }))
    // Acknowledging is the learner's "continue" on a required breakpoint.
    if (r.intent === 'acknowledge' && openId === r.breakpoint.id) closeAndPlay()
    // Only for a new result.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [respond.data, respond.state])

  // Pressing play on the player's own controls while an optional breakpoint shows closes it.
  useEffect(() => {
    if (!el) return
    const onPlay = () => {
      setOpenId((id) => {
        const b = id ? bps.find((x) => x.id === id) : null
        return b && breakpointRequired(b) && !breakpointDone(b) ? id : null
      })
    }
    el.addEventListener('play', onPlay)
    return () => el.removeEventListener('play', onPlay)
  }, [el, bps])

  const onReady = useCallback((h: PlayerHandle) => setHandle(h), [])

  // Resume where the person left off, once the player is there.
  const resumed = useRef(false)
  useEffect(() => {
    if (!el || resumed.current) return
    resumed.current = true
    const last = data.progress.lastPosition
    if (data.progress.completed || last <= 1 || last >= video.duration - 2) return
    setNotice(t('videos.resumeAt', { time: formatTime(last) }))
    // Left at (or just past) an unfinished required breakpoint: hold there with its overlay.
    const blocker = points.find((p) => p.blocking && p.time <= last + 0.05)
    if (blocker) stops.jumpTo(blocker.id)
    // Otherwise a plain seek.
    else el.currentTime = last
  }, [el, data.progress, video.duration, points, stops, t])

  const submit = (body: Record<string, unknown>) =>
    respond.submit(body as never, { method: 'post', encType: 'application/json', action: `/videos/${encodeURIComponent(video.id)}/respond` })

  const onShown = () => {
    const log = window.__genjinStops
    const last = log?.[log.length - 1]
    if (last && last.id === openId && last.overlayMs === undefined) last.overlayMs = Math.round((performance.now() - last.pausedAtWall) * 10) / 10
  }

  const markers = bps.map((b) => ({
    id: b.id,
    time: b.time,
    title: b.title,
    state:
      b.id === openId
        ? ('selected' as const)
        : breakpointDone(b) && (b.response || !breakpointRequired(b))
          ? ('done' as const)
          : breakpointRequired(b)
            ? ('required' as const)
            : ('open' as const),
  }))

  return (
    <div className="space-y-4" data-testid="learner-player" data-ready={handle ? 'true' : 'false'}>
      <div id={stageId} className="relative overflow-hidden rounded-lg bg-black">
        <VideoPlayer
          id={`player-${video.id}`}
          src={video.src}
          playbackId={video.playbackId}
          tokens={video.tokens}
          poster={video.poster}
          title={video.title}
          captions={video.captions}
          captionLocale={locale}
          chapters={bps.map((b) => ({ startTime: b.time, value: b.title }))}
          onReady={onReady}
          fullscreenElementId={stageId}
        />
        {open ? (
          <BreakpointOverlay
            bp={open}
            index={openIndex}
            total={bps.length}
            peers={peers[open.id]}
            pending={respond.state !== 'idle'}
            error={error}
            onShown={onShown}
            onAcknowledge={() => submit({ intent: 'acknowledge', breakpointId: open.id })}
            onAnswer={(answer) => submit({ intent: 'answer', breakpointId: open.id, answer })}
            onPredict={(prediction) => submit({ intent: 'predict', breakpointId: open.id, prediction })}
            onContinue={closeAndPlay}
          />
        ) : null}
      </div>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <BreakpointTimeline duration={video.duration} markers={markers} video={el} onSelect={(id) => stops.jumpTo(id)} />
      <p className="text-sm text-slate-700" data-testid="progress-summary" data-completed={summary.completed ? 'true' : 'false'}>
        {summary.completed ? <span className="badge mr-2 bg-green-100 text-green-900">{t('videos.completed')}</span> : null}
        {t('videos.progressSummary', {
          credited: `${Math.round(summary.creditedShare * 100)}%`,
          duration: formatTime(video.duration),
          done: summary.requiredDone,
          total: summary.requiredTotal,
        })}
      </p>
      <p className="text-xs text-slate-600">
        {t('videos.completionRule', { percent: Math.round(data.completionShare * 100) })} {t('videos.keyboardHelp')}
      </p>
      <section aria-labelledby={`moments-${video.id}`}>
        <h2 id={`moments-${video.id}`}>{t('videos.keyMoments')}</h2>
        <ol className="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {bps.map((b) => (
            <li key={b.id} className="flex flex-wrap items-center gap-2 px-3 py-2 text-sm">
              <button type="button" className="font-mono text-brand-700 underline" onClick={() => stops.jumpTo(b.id)}>
                {formatTime(b.time)}
              </button>
              <span className="flex-1">{b.title}</span>
              {breakpointRequired(b) ? <span className="badge">{t('videos.required')}</span> : null}
              {breakpointRequired(b) && breakpointDone(b) ? <span className="badge bg-green-100 text-green-900">{t('videos.done')}</span> : null}
            </li>
          ))}
        </ol>
      </section>
      {data.notes.length ? (
        <section aria-labelledby={`notes-${video.id}`}>
          <h2 id={`notes-${video.id}`}>{t('videos.notes')}</h2>
          <ul className="mt-2 space-y-1 text-sm" data-testid="trainer-notes">
            {data.notes.map((n) => (
              <li key={n.id}>
                <button
                  type="button"
                  className="mr-2 font-mono text-brand-700 underline"
                  onClick={() => {
                    if (el) el.currentTime = n.time
                  }}
                >
                  {formatTime(n.time)}
                </button>
                {n.text}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  )
}
