import { useFetcher } from '@remix-run/react'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useLocale, useT } from '~/i18n/use-t'
import type { getVideoForPresenter } from '~/modules/videos/present.server'
import { formatTime, presentChannelName, type PresentMessage } from '~/modules/videos/videos'
import { useBreakpointStops, type StopPoint } from './use-breakpoint-stops'
import { VideoPlayer, type PlayerHandle } from './video-player'

type PresentData = Awaited<ReturnType<typeof getVideoForPresenter>>
type Note = PresentData['notes'][number]
type NoteResult = { ok: true; note: Note } | { ok: false; error: string }

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.isContentEditable)

/** One BroadcastChannel per video between the present window and the presenter window. */
function useChannel(videoId: string, onMessage: (m: PresentMessage) => void) {
  const channel = useRef<BroadcastChannel | null>(null)
  const handler = useRef(onMessage)
  handler.current = onMessage
  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return
    const c = new BroadcastChannel(presentChannelName(videoId))
    c.onmessage = (e: MessageEvent<PresentMessage>) => handler.current(e.data)
    channel.current = c
    return () => {
      c.close()
      channel.current = null
    }
  }, [videoId])
  return useCallback((m: PresentMessage) => channel.current?.postMessage(m), [])
}

/** A live note at the current moment; posts to the notes route and reports the saved note. */
function NoteForm({ videoId, time, onSaved, dark }: { videoId: string; time: () => number; onSaved: (note: Note) => void; dark?: boolean }) {
  const t = useT()
  const fetcher = useFetcher<NoteResult>()
  const [text, setText] = useState('')
  const [visibility, setVisibility] = useState<'learners' | 'private'>('learners')
  const [at, setAt] = useState<number | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  useEffect(() => {
    const r = fetcher.data
    if (!r || fetcher.state !== 'idle') return
    if (r.ok) {
      setText('')
      setAt(null)
      setSaved(t('videos.present.noteSaved', { time: formatTime(r.note.time, true) }))
      onSaved(r.note)
    }
    // Only for a new result.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.data, fetcher.state])
  const submit = () => {
    const stamp = at ?? time()
    fetcher.submit({ timeSeconds: stamp, text, visibility } as never, {
      method: 'post',
      encType: 'application/json',
      action: `/videos/${encodeURIComponent(videoId)}/notes`,
    })
  }
  const field = dark ? 'input bg-slate-900 text-white border-slate-600' : 'input'
  return (
    <form
      className="space-y-2"
      data-testid="note-form"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      <label htmlFor={`note-${videoId}`} className={`block text-sm font-medium ${dark ? 'text-slate-200' : 'text-slate-800'}`}>
        {t('videos.present.note', { time: formatTime(at ?? time(), true) })}
      </label>
      <textarea
        id={`note-${videoId}`}
        className={`${field} min-h-16`}
        value={text}
        placeholder={t('videos.present.notePlaceholder')}
        maxLength={2000}
        onChange={(e) => {
          // The note belongs to the moment the trainer started typing it.
          if (at === null && e.target.value) setAt(time())
          setText(e.target.value)
          setSaved(null)
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault()
            submit()
          }
        }}
      />
      <div className="flex flex-wrap items-center gap-2">
        <select
          className={`${field} w-auto`}
          value={visibility}
          onChange={(e) => setVisibility(e.target.value as 'learners' | 'private')}
          aria-label={t('videos.present.visibility.learners')}
        >
          <option value="learners">{t('videos.present.visibility.learners')}</option>
          <option value="private">{t('videos.present.visibility.private')}</option>
        </select>
        <button type="submit" className="btn-primary" disabled={!text.trim() || fetcher.state !== 'idle'}>
          {t('videos.present.saveNote')}
        </button>
        {saved ? (
          <span role="status" className={`text-sm ${dark ? 'text-green-300' : 'text-green-800'}`} data-testid="note-saved">
            {saved}
          </span>
        ) : null}
      </div>
    </form>
  )
}

/**
 * Present mode: the video fills the screen and stops at every breakpoint with its commentary in
 * large type. Space / → continue; ← replays the lead-in to the previous breakpoint; N / P jump
 * to the next / previous one; F toggles full screen. A presenter window follows along.
 */
export function PresentStage({ data }: { data: PresentData }) {
  const t = useT()
  const locale = useLocale()
  const { video, breakpoints } = data
  const stage = useRef<HTMLDivElement>(null)
  const [handle, setHandle] = useState<PlayerHandle | null>(null)
  const el = handle?.video ?? null
  const [stopped, setStopped] = useState<string | null>(null)
  const points: StopPoint[] = useMemo(() => breakpoints.map((b) => ({ id: b.id, time: b.time, blocking: false })), [breakpoints])
  const stops = useBreakpointStops(
    el,
    points,
    (id) => setStopped(id),
    (id) => setStopped((s) => (s === id ? null : s)),
  )
  const current = breakpoints.find((b) => b.id === stopped) ?? null
  const index = current ? breakpoints.indexOf(current) : -1

  const post = useChannel(video.id, (m) => {
    if (m.type === 'hello') broadcast()
    if (m.type === 'command') command(m.action)
  })
  const broadcast = () => {
    if (el) post({ type: 'state', time: el.currentTime, playing: !el.paused, breakpointId: stoppedRef.current })
  }
  const stoppedRef = useRef(stopped)
  stoppedRef.current = stopped

  useEffect(() => {
    if (!el) return
    broadcast()
    const timer = window.setInterval(() => {
      if (!el.paused) broadcast()
    }, 500)
    const events = ['play', 'pause', 'seeked']
    for (const e of events) el.addEventListener(e, broadcast)
    return () => {
      window.clearInterval(timer)
      for (const e of events) el.removeEventListener(e, broadcast)
    }
    // broadcast reads refs and the element only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [el, stopped])

  const continuePlaying = () => {
    setStopped(null)
    stops.release(true)
  }
  /** The breakpoint before the playhead (or before the one shown). */
  const previous = () => {
    if (!el) return null
    const from = current ? current.time : el.currentTime
    return [...breakpoints].reverse().find((b) => b.time < from - 0.05) ?? null
  }
  const next = () => {
    if (!el) return null
    const from = current ? current.time : el.currentTime
    return breakpoints.find((b) => b.time > from + 0.05) ?? null
  }
  const command = (action: 'continue' | 'next' | 'previous' | 'pause' | 'replay') => {
    if (!el) return
    if (action === 'continue') {
      if (stoppedRef.current) continuePlaying()
      else void el.play().catch(() => {})
    } else if (action === 'pause') {
      el.pause()
    } else if (action === 'next') {
      const n = next()
      if (n) stops.jumpTo(n.id)
    } else if (action === 'previous') {
      const p = previous()
      if (p) stops.jumpTo(p.id)
    } else if (action === 'replay') {
      // Watch the lead-in to the previous breakpoint again; it stops there.
      const p = previous()
      setStopped(null)
      stops.release(false)
      el.currentTime = Math.max(0, (p?.time ?? 0) - 5)
      void el.play().catch(() => {})
    }
  }

  const toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {})
    else void stage.current?.requestFullscreen?.().catch(() => {})
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target) || e.altKey || e.ctrlKey || e.metaKey) return
      const key = e.key
      let handled = true
      if (key === ' ' || key === 'ArrowRight') {
        if (stoppedRef.current || key === 'ArrowRight') command('continue')
        else if (el?.paused) command('continue')
        else command('pause')
      } else if (key === 'ArrowLeft') command('replay')
      else if (key === 'n' || key === 'N') command('next')
      else if (key === 'p' || key === 'P') command('previous')
      else if (key === 'f' || key === 'F') toggleFullscreen()
      else handled = false
      if (handled) {
        e.preventDefault()
        e.stopPropagation()
      }
    }
    // Capture phase: the player's own hotkeys must not also act on these keys.
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  })

  const openPresenter = () => {
    window.open(`/videos/${encodeURIComponent(video.id)}/presenter`, `genjin-presenter-${video.id}`, 'popup,width=960,height=720')
  }

  return (
    <div
      ref={stage}
      className="fixed inset-0 z-50 flex flex-col bg-black text-white"
      data-testid="present-stage"
      data-ready={handle ? 'true' : 'false'}
      data-stopped={stopped ?? ''}
    >
      <div className="flex flex-wrap items-center gap-2 px-4 py-2 text-sm">
        <h1 className="mr-auto text-base font-semibold text-white">{t('videos.present.title', { title: video.title })}</h1>
        <button type="button" className="btn-secondary min-h-8 py-1" onClick={toggleFullscreen}>
          {t('videos.present.fullscreen')}
        </button>
        <button type="button" className="btn-secondary min-h-8 py-1" onClick={openPresenter} data-testid="open-presenter">
          {t('videos.present.presenterView')}
        </button>
        <a href={`/videos/${video.id}`} className="btn-secondary min-h-8 py-1">
          {t('videos.present.exit')}
        </a>
      </div>
      <div className="relative min-h-0 flex-1">
        <VideoPlayer
          id={`present-${video.id}`}
          className="block h-full w-full"
          src={video.src}
          playbackId={video.playbackId}
          tokens={video.tokens}
          poster={video.poster}
          title={video.title}
          captions={video.captions}
          captionLocale={locale}
          onReady={setHandle}
        />
        {current ? (
          <section
            className="absolute inset-x-0 bottom-0 max-h-[70%] overflow-y-auto bg-black/85 px-6 py-6 sm:px-12"
            aria-live="assertive"
            data-testid="present-commentary"
            data-breakpoint={current.id}
          >
            <p className="text-lg text-amber-300">
              {t('videos.keyMoment', { n: index + 1, total: breakpoints.length })} · {formatTime(current.time)}
              {current.keyPoints.length ? ` · ${t('videos.keyPoints', { points: current.keyPoints.join(', ') })}` : ''}
            </p>
            <h2 className="mt-2 text-4xl font-bold text-white">{current.title}</h2>
            <p className="mt-4 max-w-5xl text-2xl leading-relaxed sm:text-3xl">{current.commentary}</p>
            {current.predictPrompt ? <p className="mt-4 text-2xl text-sky-300">{t('videos.present.predict', { prompt: current.predictPrompt })}</p> : null}
            {current.question ? <p className="mt-4 text-2xl text-sky-300">{t('videos.present.question', { question: current.question })}</p> : null}
            <p className="mt-4 text-base text-slate-300">{t('videos.present.continueHint')}</p>
          </section>
        ) : null}
      </div>
      <div className="grid gap-2 px-4 py-2 sm:grid-cols-[1fr_auto] sm:items-end">
        <p className="text-xs text-slate-300">{t('videos.present.help')}</p>
        <details className="text-sm">
          <summary className="cursor-pointer text-slate-200">{t('videos.present.saveNote')}</summary>
          <div className="mt-2 w-[min(32rem,90vw)]">
            <NoteForm videoId={video.id} time={() => el?.currentTime ?? 0} dark onSaved={(note) => post({ type: 'note', note })} />
          </div>
        </details>
      </div>
    </div>
  )
}

/** The presenter window: the trainer's private view, kept in step with the present window. */
export function PresenterView({ data }: { data: PresentData }) {
  const t = useT()
  const { video, breakpoints } = data
  const [state, setState] = useState<{ time: number; playing: boolean; breakpointId: string | null } | null>(null)
  const [notes, setNotes] = useState<Note[]>(data.notes)
  const post = useChannel(video.id, (m) => {
    if (m.type === 'state') setState({ time: m.time, playing: m.playing, breakpointId: m.breakpointId })
    if (m.type === 'note') setNotes((prev) => (prev.some((n) => n.id === m.note.id) ? prev : [...prev, m.note as Note].sort((a, b) => a.time - b.time)))
  })
  useEffect(() => {
    post({ type: 'hello' })
  }, [post])
  const time = state?.time ?? 0
  const current = breakpoints.find((b) => b.id === state?.breakpointId) ?? null
  const upcoming = breakpoints.find((b) => b.time > (current ? current.time : time) + 0.05) ?? null
  return (
    <div className="fixed inset-0 z-50 overflow-y-auto bg-slate-50 p-4" data-testid="presenter-view" data-connected={state ? 'true' : 'false'}>
      <div className="mx-auto max-w-4xl space-y-4">
        <h1>{t('videos.present.presenterTitle', { title: video.title })}</h1>
        {!state ? (
          <p className="notice" role="status">
            {t('videos.present.waiting')}
          </p>
        ) : (
          <p className="font-mono text-2xl" data-testid="presenter-time" data-time={time.toFixed(3)} data-breakpoint={state.breakpointId ?? ''}>
            {t('videos.present.now', { time: formatTime(time, true) })} {state.playing ? '▶' : '❚❚'}
          </p>
        )}
        <div className="flex flex-wrap gap-2">
          <button type="button" className="btn-secondary" onClick={() => post({ type: 'command', action: 'previous' })}>
            {t('videos.present.previous')}
          </button>
          <button type="button" className="btn-primary" onClick={() => post({ type: 'command', action: 'continue' })}>
            {t('videos.present.continue')}
          </button>
          <button type="button" className="btn-secondary" onClick={() => post({ type: 'command', action: 'pause' })}>
            {t('videos.present.pause')}
          </button>
          <button type="button" className="btn-secondary" onClick={() => post({ type: 'command', action: 'next' })}>
            {t('videos.present.nextButton')}
          </button>
        </div>
        <div className="grid gap-4 md:grid-cols-2">
          {[
            { label: t('videos.present.current'), bp: current, testid: 'presenter-current' },
            { label: t('videos.present.next'), bp: upcoming, testid: 'presenter-next' },
          ].map(({ label, bp, testid }) => (
            <section key={testid} className="card" data-testid={testid}>
              <h2 className="text-sm text-slate-600">{label}</h2>
              {bp ? (
                <>
                  <p className="mt-1 font-semibold">
                    {formatTime(bp.time)} · {bp.title}
                  </p>
                  <p className="mt-1 text-sm">{bp.commentary}</p>
                </>
              ) : (
                <p className="mt-1 text-sm text-slate-600">—</p>
              )}
            </section>
          ))}
        </div>
        <section className="card space-y-3">
          <NoteForm
            videoId={video.id}
            time={() => time}
            onSaved={(note) => {
              setNotes((prev) => [...prev, note].sort((a, b) => a.time - b.time))
              post({ type: 'note', note })
            }}
          />
        </section>
        <section className="card">
          <h2>{t('videos.present.notes')}</h2>
          {notes.length === 0 ? <p className="text-sm text-slate-600">{t('videos.present.noNotes')}</p> : null}
          <ul className="mt-2 space-y-1 text-sm" data-testid="presenter-notes">
            {notes.map((n) => (
              <li key={n.id} className={Math.abs(n.time - time) < 10 ? 'rounded bg-amber-50 px-1' : 'px-1'}>
                <span className="mr-2 font-mono">{formatTime(n.time, true)}</span>
                {n.visibility === 'private' ? <span className="badge mr-1">{t('videos.present.private')}</span> : null}
                {n.text}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  )
}
