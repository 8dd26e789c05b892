import { useCallback, useEffect, useRef } from 'react'

export type StopPoint = { id: string; time: number; blocking: boolean }

export type StopMeasurement = {
  id: string
  annotated: number
  /** video.currentTime right after pause(), before it is set to the annotated time. */
  stoppedAt: number
  overshootMs: number
  /** Wall-clock time between the playhead crossing the annotated time and pause(). */
  wallDelayMs: number
  rate: number
  reason: 'play' | 'seek' | 'jump'
  /** performance.now() at pause(); the overlay adds how long it took to show. */
  pausedAtWall: number
  overlayMs?: number
}

declare global {
  interface Window {
    /** Pause measurements, read by the end-to-end test and the benchmark. */
    __genjinStops?: StopMeasurement[]
  }
}

// A breakpoint counts as "ahead" when it is more than this past the playhead: after stopping at
// a breakpoint the playhead sits exactly on it, and continuing must not stop there again.
const AHEAD = 0.02
// Stop this close (in wall-clock seconds) before the breakpoint rather than risk a late timer.
const EARLY = 0.002

/**
 * Stops the video at breakpoints precisely. `timeupdate` fires only every ~250 ms, so while
 * playing a timer is armed for (time - currentTime) / playbackRate, re-armed on play, seek and
 * rate change, and refined with short timers as the moment approaches; `requestVideoFrameCallback`
 * and `timeupdate` are backstops (throttled background tabs). Seeking past a blocking breakpoint
 * stops at that breakpoint.
 */
export function useBreakpointStops(
  video: HTMLVideoElement | null,
  points: StopPoint[],
  onStop: (id: string, measurement: StopMeasurement) => void,
  onLeave?: (id: string) => void,
) {
  const onLeaveRef = useRef(onLeave)
  onLeaveRef.current = onLeave
  const pointsRef = useRef(points)
  pointsRef.current = points
  const onStopRef = useRef(onStop)
  onStopRef.current = onStop
  const held = useRef<string | null>(null)
  // Where our own last seek went (null: none running). Not a counter: the browser fires one `seeked`
  // for seeks that overlap, and a person's seek made while ours runs must not pass for ours.
  const internalSeek = useRef<number | null>(null)
  const timer = useRef<number | undefined>(undefined)
  const armed = useRef<{ id: string; time: number; expectedWall: number } | null>(null)

  const clear = () => {
    if (timer.current !== undefined) window.clearTimeout(timer.current)
    timer.current = undefined
  }

  const seekInternally = useCallback((v: HTMLVideoElement, time: number) => {
    v.currentTime = time
    // What the element reports back for that position (it may round).
    internalSeek.current = v.currentTime
  }, [])

  const stop = useCallback(
    (v: HTMLVideoElement, point: StopPoint, reason: StopMeasurement['reason']) => {
      clear()
      const expectedWall = armed.current?.id === point.id ? armed.current.expectedWall : performance.now()
      v.pause()
      const now = performance.now()
      const stoppedAt = v.currentTime
      armed.current = null
      held.current = point.id
      if (Math.abs(stoppedAt - point.time) > 0.0005) seekInternally(v, point.time)
      const measurement: StopMeasurement = {
        id: point.id,
        annotated: point.time,
        stoppedAt,
        overshootMs: Math.round((stoppedAt - point.time) * 1000 * 10) / 10,
        wallDelayMs: reason === 'play' ? Math.round((now - expectedWall) * 10) / 10 : 0,
        rate: v.playbackRate,
        reason,
        pausedAtWall: now,
      }
      window.__genjinStops ??= []
      window.__genjinStops.push(measurement)
      onStopRef.current(point.id, measurement)
    },
    [seekInternally],
  )

  const arm = useCallback(() => {
    clear()
    armed.current = null
    const v = video
    if (!v || v.paused || v.seeking || held.current) return
    const now = v.currentTime
    const next = pointsRef.current.find((p) => p.time > now + AHEAD)
    if (!next) return
    const check = () => {
      timer.current = undefined
      // A seek is under way (set just now, its `seeking` event not yet delivered): the playhead is
      // its target, not where playback got to. Stopping here would take it for ours and swallow it;
      // `seeked` arms again from wherever it lands.
      if (v.paused || v.seeking || held.current) return
      const remaining = (next.time - v.currentTime) / v.playbackRate
      const wall = performance.now()
      armed.current = { id: next.id, time: next.time, expectedWall: wall + remaining * 1000 }
      if (remaining <= EARLY) {
        stop(v, next, 'play')
        return
      }
      // Far away: wake up 20 ms early and measure again; close: sleep exactly the rest.
      const wait = remaining > 0.06 ? remaining * 1000 - 20 : (remaining - EARLY) * 1000
      timer.current = window.setTimeout(check, Math.max(0, wait))
    }
    check()
  }, [video, stop])

  useEffect(() => {
    const v = video
    if (!v) return
    let frameHandle: number | undefined
    const onFrame = (_now: number, meta: { mediaTime: number }) => {
      const a = armed.current
      if (a && !v.paused && !v.seeking && !held.current && meta.mediaTime >= a.time) {
        const p = pointsRef.current.find((x) => x.id === a.id)
        if (p) stop(v, p, 'play')
      }
      if (!v.paused) frameHandle = v.requestVideoFrameCallback?.(onFrame)
    }
    const onPlay = () => {
      const h = held.current ? pointsRef.current.find((p) => p.id === held.current) : null
      // A blocking breakpoint holds the video, whatever control was used to press play.
      if (h?.blocking) {
        v.pause()
        return
      }
      held.current = null
      arm()
      if (v.requestVideoFrameCallback) frameHandle = v.requestVideoFrameCallback(onFrame)
    }
    const onSeeking = () => {
      // Ours: the position is still where we sent it. Anything else is the person's seek, even while ours runs.
      if (internalSeek.current !== null && Math.abs(v.currentTime - internalSeek.current) < 0.0005) return
      const target = v.currentTime
      const skipped = pointsRef.current.find((p) => p.blocking && p.time < target - AHEAD && p.id !== held.current)
      const h = held.current ? pointsRef.current.find((p) => p.id === held.current) : null
      if (skipped && (!h?.blocking || skipped.time < h.time)) {
        v.pause()
        held.current = skipped.id
        seekInternally(v, skipped.time)
        const measurement: StopMeasurement = {
          id: skipped.id,
          annotated: skipped.time,
          stoppedAt: target,
          overshootMs: 0,
          wallDelayMs: 0,
          rate: v.playbackRate,
          reason: 'seek',
          pausedAtWall: performance.now(),
        }
        onStopRef.current(skipped.id, measurement)
        return
      }
      // Going back (or, for an optional one, anywhere) leaves the breakpoint; it stops there again when reached.
      if (h && (!h.blocking || target < h.time - AHEAD)) {
        held.current = null
        onLeaveRef.current?.(h.id)
      }
      clear()
    }
    const onSeeked = () => {
      // One `seeked` ends every seek that was running: ours is over, done or overtaken.
      internalSeek.current = null
      // Also after our own seek: `play` and `playing` may have fired while it was still running
      // (continue pressed right after a stop, on a busy machine), when arm() cannot measure and
      // gives up; without this the video played on past the next breakpoint (issue 10 item 9).
      // arm() does nothing while paused or held.
      arm()
    }
    const onTimeUpdate = () => {
      const a = armed.current
      if (a && !v.paused && !v.seeking && !held.current && v.currentTime >= a.time) {
        const p = pointsRef.current.find((x) => x.id === a.id)
        if (p) stop(v, p, 'play')
      }
    }
    const onPause = () => clear()
    v.addEventListener('play', onPlay)
    v.addEventListener('playing', arm)
    v.addEventListener('ratechange', arm)
    v.addEventListener('seeking', onSeeking)
    v.addEventListener('seeked', onSeeked)
    v.addEventListener('timeupdate', onTimeUpdate)
    v.addEventListener('pause', onPause)
    return () => {
      clear()
      if (frameHandle !== undefined) v.cancelVideoFrameCallback?.(frameHandle)
      v.removeEventListener('play', onPlay)
      v.removeEventListener('playing', arm)
      v.removeEventListener('ratechange', arm)
      v.removeEventListener('seeking', onSeeking)
      v.removeEventListener('seeked', onSeeked)
      v.removeEventListener('timeupdate', onTimeUpdate)
      v.removeEventListener('pause', onPause)
    }
  }, [video, arm, stop, seekInternally])

  /** Lets the video go on from the breakpoint it is held at. */
  const release = useCallback(
    (play = true) => {
      held.current = null
      if (video && play) void video.play().catch(() => {})
    },
    [video],
  )

  /** Jumps to a breakpoint and holds there (clicking a marker). */
  const jumpTo = useCallback(
    (id: string) => {
      const v = video
      const p = pointsRef.current.find((x) => x.id === id)
      if (!v || !p) return
      clear()
      v.pause()
      // Jumping over a blocking breakpoint lands on that one instead.
      const blocker = pointsRef.current.find((x) => x.blocking && x.time < p.time - AHEAD && x.id !== held.current)
      const target = blocker ?? p
      held.current = target.id
      seekInternally(v, target.time)
      onStopRef.current(target.id, {
        id: target.id,
        annotated: target.time,
        stoppedAt: target.time,
        overshootMs: 0,
        wallDelayMs: 0,
        rate: v.playbackRate,
        reason: blocker ? 'seek' : 'jump',
        pausedAtWall: performance.now(),
      })
    },
    [video, seekInternally],
  )

  /** Holds at a breakpoint without an event (resuming at an unfinished one). */
  const holdAt = useCallback((id: string) => {
    held.current = id
  }, [])

  return { release, jumpTo, holdAt, rearm: arm }
}
