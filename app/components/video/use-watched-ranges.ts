import { useEffect, useRef } from 'react'
import { mergeRanges, type Range } from '~/modules/videos/ranges'

export type ProgressPayload = { ranges: Range[]; position: number }

// A jump of more than this between two readings while playing is a seek, not viewing.
const MAX_STEP = 3

/**
 * Collects what was actually played (not seeked over) as merged ranges and hands them to
 * `send` every few seconds, plus once through `beacon` when the page is hidden or closed, so
 * closing the tab loses nothing. The whole page-visit's ranges are sent each time: the server
 * merges them, so a repeat or a lost request does no harm.
 */
export function useWatchedRanges(
  video: HTMLVideoElement | null,
  send: (payload: ProgressPayload) => void,
  beacon: (payload: ProgressPayload) => void,
  intervalMs = 5000,
) {
  const sendRef = useRef(send)
  sendRef.current = send
  const beaconRef = useRef(beacon)
  beaconRef.current = beacon

  useEffect(() => {
    const v = video
    if (!v) return
    let closed: Range[] = []
    let open: { start: number; last: number } | null = null
    let started = false
    let lastSent = ''

    const closeSegment = () => {
      if (open && open.last > open.start) closed = mergeRanges([...closed, [open.start, open.last]])
      open = null
    }
    const sample = () => {
      if (v.paused || v.seeking) return
      const t = v.currentTime
      if (open && t >= open.last - 0.05 && t - open.last <= MAX_STEP * Math.max(1, v.playbackRate)) open.last = Math.max(open.last, t)
      else {
        closeSegment()
        open = { start: t, last: t }
      }
    }
    const payload = (): ProgressPayload => {
      const ranges = mergeRanges([...closed, ...(open && open.last > open.start ? [[open.start, open.last] as Range] : [])])
      return { ranges, position: Math.round(v.currentTime * 1000) / 1000 }
    }
    const flush = (force = false) => {
      const p = payload()
      const key = JSON.stringify(p)
      if (!force && key === lastSent) return
      lastSent = key
      sendRef.current(p)
    }
    const onPlay = () => {
      // The first play starts the server's clock for this person and video.
      if (!started) {
        started = true
        sendRef.current({ ranges: [], position: v.currentTime })
      }
      sample()
    }
    const onSeeking = () => {
      closeSegment()
    }
    // A seek while paused moves the resume position: save it soon, not only at the next tick.
    let seekFlush: number | undefined
    const onSeeked = () => {
      if (!started || !v.paused) return
      window.clearTimeout(seekFlush)
      seekFlush = window.setTimeout(() => flush(), 400)
    }
    const onPause = () => {
      sample()
      closeSegment()
      flush()
    }
    const onHide = () => {
      if (document.visibilityState === 'hidden') {
        sample()
        const p = payload()
        if (p.ranges.length || started) beaconRef.current(p)
      }
    }
    const onPageHide = () => {
      sample()
      beaconRef.current(payload())
    }
    v.addEventListener('play', onPlay)
    v.addEventListener('timeupdate', sample)
    v.addEventListener('seeking', onSeeking)
    v.addEventListener('seeked', onSeeked)
    v.addEventListener('pause', onPause)
    v.addEventListener('ended', onPause)
    document.addEventListener('visibilitychange', onHide)
    window.addEventListener('pagehide', onPageHide)
    const tick = window.setInterval(() => {
      sample()
      if (started) flush()
    }, intervalMs)
    return () => {
      // Leaving the player inside the app (client-side navigation) fires no pagehide: send now.
      if (started) {
        sample()
        beaconRef.current(payload())
      }
      window.clearInterval(tick)
      window.clearTimeout(seekFlush)
      v.removeEventListener('seeked', onSeeked)
      v.removeEventListener('play', onPlay)
      v.removeEventListener('timeupdate', sample)
      v.removeEventListener('seeking', onSeeking)
      v.removeEventListener('pause', onPause)
      v.removeEventListener('ended', onPause)
      document.removeEventListener('visibilitychange', onHide)
      window.removeEventListener('pagehide', onPageHide)
    }
  }, [video, intervalMs])
}
