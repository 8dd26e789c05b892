import { useCallback, useEffect, useRef, useState } from 'react'
import { VideoPlayer, type PlayerHandle } from '~/components/video/video-player'
import { useT } from '~/i18n/use-t'
import { formatAt } from '~/modules/roleplay/roleplay'

export type Marker = { id: number; atMs: number; tone: 'praise' | 'correction' | 'reply'; body: string }

/** What the page can do with the player: where it is, pause, jump. */
export type PlayerControl = { currentMs: () => number; pause: () => void; seek: (ms: number) => void }

/**
 * A group's recording in the player used for teaching videos (Mux player, lazy-loaded), with
 * the time-coded comments as markers on a timeline under it: each marker is a button that
 * jumps to its moment.
 */
/**
 * The type mux-player is told for a stored recording. Its playback core tells only HLS from a
 * progressive file (MP4); WebM and MOV files play natively exactly like MP4 (the browser goes by
 * the server's Content-Type), so every progressive video is announced as one.
 */
export function playerType(mime: string | null): 'video/mp4' | 'hls' {
  return mime === 'application/vnd.apple.mpegurl' || mime === 'application/x-mpegurl' ? 'hls' : 'video/mp4'
}

export function RecordingPlayer({
  recordingId,
  mime,
  title,
  durationSeconds,
  markers,
  onControl,
  activeId,
  onJump,
  mux,
}: {
  recordingId: string
  /** A recording uploaded to Mux: its playback id and, when signed, the viewer's tokens (decision 053). */
  mux?: { playbackId: string; tokens: { playback?: string; thumbnail?: string; storyboard?: string } | null } | null
  /** The recording's stored type (video/mp4, video/webm, video/quicktime). */
  mime: string | null
  title: string
  durationSeconds: number | null
  markers: Marker[]
  onControl?: (control: PlayerControl) => void
  activeId?: number | null
  onJump?: (id: number) => void
}) {
  const t = useT()
  const handle = useRef<PlayerHandle | null>(null)
  const [duration, setDuration] = useState(durationSeconds ?? 0)
  const [position, setPosition] = useState(0)

  const control = useCallback<() => PlayerControl>(
    () => ({
      currentMs: () => Math.round((handle.current?.video.currentTime ?? 0) * 1000),
      pause: () => handle.current?.video.pause(),
      seek: (ms: number) => {
        const video = handle.current?.video
        if (!video) return
        video.currentTime = ms / 1000
      },
    }),
    [],
  )

  useEffect(() => onControl?.(control()), [control, onControl])

  const onReady = (h: PlayerHandle) => {
    handle.current = h
    if (Number.isFinite(h.video.duration) && h.video.duration > 0) setDuration(h.video.duration)
    h.video.addEventListener('timeupdate', () => setPosition(h.video.currentTime))
    h.video.addEventListener('durationchange', () => {
      if (Number.isFinite(h.video.duration) && h.video.duration > 0) setDuration(h.video.duration)
    })
    h.player.setAttribute('data-ready', 'true')
  }

  const jump = (m: Marker) => {
    control().seek(m.atMs)
    onJump?.(m.id)
  }

  return (
    <div className="space-y-2">
      <div className="overflow-hidden rounded bg-black">
        <VideoPlayer
          id={`recording-${recordingId}`}
          src={mux ? null : `/roleplays/recordings/${recordingId}`}
          type={mux ? 'hls' : playerType(mime)}
          playbackId={mux?.playbackId ?? null}
          tokens={mux?.tokens ?? null}
          poster={null}
          title={title}
          captions={[]}
          captionLocale=""
          onReady={onReady}
        />
      </div>
      {markers.length > 0 && duration > 0 ? (
        <div className="relative h-8 rounded bg-slate-200" role="group" aria-label={t('rp.comments.timeline')} data-timeline>
          <div className="absolute inset-y-0 left-0 rounded bg-slate-300" style={{ width: `${Math.min(100, (position / duration) * 100)}%` }} aria-hidden />
          {markers.map((m) => (
            <button
              key={m.id}
              type="button"
              className={`absolute top-1 h-6 w-3 -translate-x-1/2 rounded-sm border-2 border-white focus:outline focus:outline-2 focus:outline-offset-1 ${
                m.tone === 'praise' ? 'bg-emerald-600' : 'bg-amber-500'
              } ${activeId === m.id ? 'ring-2 ring-slate-900' : ''}`}
              style={{ left: `${Math.min(100, (m.atMs / 1000 / duration) * 100)}%` }}
              onClick={() => jump(m)}
              aria-label={t('rp.comments.marker', { at: formatAt(m.atMs), text: m.body.slice(0, 60) })}
              data-marker={m.atMs}
            />
          ))}
        </div>
      ) : null}
    </div>
  )
}
