import type MuxPlayerElement from '@mux/mux-player'
import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react'
import { useT } from '~/i18n/use-t'

// The player is a web component that touches `window` on import: load it in the browser only,
// in its own chunk, after hydration (the server renders the poster in its place).
const MuxPlayer = lazy(async () => {
  const player = await import('@mux/mux-player-react')
  disableCasting()
  return player
})

/**
 * No third-party requests: mux-video's casting support fetches Google's cast_sender.js from
 * gstatic.com whenever a page asks the media for `remote` (blocked on closed and mainland-China
 * networks). The element skips it when remote playback is disabled, so it always is.
 */
function disableCasting() {
  const element = customElements.get('mux-video')
  if (!element || Object.prototype.hasOwnProperty.call(element.prototype, 'disableRemotePlayback')) return
  Object.defineProperty(element.prototype, 'disableRemotePlayback', { configurable: true, get: () => true, set: () => {} })
}

export type PlayerHandle = { player: MuxPlayerElement; video: HTMLVideoElement }

export type CaptionTrack = { locale: string; src: string }

type Props = {
  id: string
  src: string | null
  /**
   * The media type of `src` for mux-player ('video/mp4' for a progressive file, 'hls' for a
   * playlist); without it a URL with no extension is logged as an "unrecognized type".
   */
  type?: 'video/mp4' | 'hls'
  playbackId: string | null
  /** Signed Mux playback: short-lived tokens from the server. */
  tokens?: { playback?: string; thumbnail?: string; storyboard?: string } | null
  poster: string | null
  title: string
  captions: CaptionTrack[]
  captionLocale: string
  chapters?: { startTime: number; value: string }[]
  startTime?: number
  onReady?: (handle: PlayerHandle) => void
  /** The element that goes full screen (so overlays inside it stay visible). */
  fullscreenElementId?: string
  muted?: boolean
  className?: string
  children?: ReactNode
}

function Fallback({ poster, title, message }: { poster: string | null; title: string; message: string }) {
  return (
    <div className="relative aspect-video w-full overflow-hidden bg-slate-900">
      {poster ? <img src={poster} alt={title} className="h-full w-full object-contain opacity-80" /> : null}
      <p className="absolute inset-x-0 bottom-2 text-center text-sm text-white" role="status">
        {message}
      </p>
    </div>
  )
}

const captionLabel = (locale: string) => (locale === 'zh-CN' ? '中文' : locale === 'en' ? 'English' : locale)

export function VideoPlayer(props: Props) {
  const t = useT()
  const [mounted, setMounted] = useState(false)
  const ref = useRef<MuxPlayerElement | null>(null)
  const readyFired = useRef(false)
  const onReady = useRef(props.onReady)
  onReady.current = props.onReady
  const chapters = useRef(props.chapters)
  chapters.current = props.chapters
  const captionLocale = useRef(props.captionLocale)
  captionLocale.current = props.captionLocale

  useEffect(() => setMounted(true), [])

  // mux-player does not pass its `type` on to the media element it creates: with a type, the
  // source is set on the player only after its media element carries the type.
  const typedSrc = props.type ? props.src : null
  useEffect(() => {
    if (!mounted || !typedSrc || !props.type) return
    let stopped = false
    const attach = () => {
      if (stopped) return
      const player = ref.current as unknown as { media?: HTMLElement; src?: string | null } | null
      if (!player?.media) return void window.setTimeout(attach, 50)
      player.media.setAttribute('type', props.type!)
      player.src = typedSrc
    }
    attach()
    return () => {
      stopped = true
    }
  }, [mounted, typedSrc, props.type])

  // The native <video> sits inside mux-player's shadow DOM once the element has upgraded and
  // loaded metadata; poll briefly rather than depend on which event arrives first.
  useEffect(() => {
    if (!mounted) return
    let stopped = false
    const poll = () => {
      if (stopped || readyFired.current) return
      const player = ref.current
      const video = (player as unknown as { media?: { nativeEl?: HTMLVideoElement } } | null)?.media?.nativeEl
      if (player && video && video.readyState >= 1) {
        readyFired.current = true
        // mux-player turns on every captions track it finds; show only the viewer's language.
        const pickCaptions = () => {
          for (const track of Array.from(video.textTracks)) {
            if (track.kind !== 'captions' && track.kind !== 'subtitles') continue
            track.mode = track.language === captionLocale.current ? 'showing' : 'disabled'
          }
        }
        pickCaptions()
        window.setTimeout(pickCaptions, 300)
        const list = chapters.current
        if (list?.length) player.addChapters(list)?.catch(() => {})
        onReady.current?.({ player, video })
        return
      }
      window.setTimeout(poll, 50)
    }
    poll()
    return () => {
      stopped = true
    }
  }, [mounted])

  if (!mounted) return <Fallback poster={props.poster} title={props.title} message={t('videos.loadingPlayer')} />
  return (
    <Suspense fallback={<Fallback poster={props.poster} title={props.title} message={t('videos.loadingPlayer')} />}>
      <MuxPlayer
        ref={ref}
        {...{ id: props.id }}
        className={props.className ?? 'block aspect-video w-full'}
        src={props.type ? undefined : (props.src ?? undefined)}
        playbackId={props.playbackId ?? undefined}
        tokens={props.tokens ?? undefined}
        poster={props.poster ?? undefined}
        title={props.title}
        videoTitle={props.title}
        startTime={props.startTime}
        streamType="on-demand"
        preload="auto"
        disableTracking
        disableCookies
        muted={props.muted}
        playbackRates={[0.5, 0.75, 1, 1.25, 1.5, 2]}
        accentColor="#0f766e"
        fullscreenElement={props.fullscreenElementId}
      >
        {props.captions.map((c) => (
          <track key={c.locale} kind="captions" srcLang={c.locale} label={captionLabel(c.locale)} src={c.src} default={c.locale === props.captionLocale} />
        ))}
      </MuxPlayer>
      {props.children}
    </Suspense>
  )
}
