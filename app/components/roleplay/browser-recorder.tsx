import { useEffect, useRef, useState } from 'react'
import { useT } from '~/i18n/use-t'

/** What the browser records in, best first: WebM (Chromium, Firefox, Android), else MP4 (Safari on iPhone). */
const RECORDING_TYPES = ['video/webm;codecs=vp9,opus', 'video/webm;codecs=vp8,opus', 'video/webm', 'video/mp4']

/** About 2.5 Mbit/s: a skit of up to 50 minutes stays under the 1 GB limit. */
const VIDEO_BITS_PER_SECOND = 2_500_000

type Failure = 'unsupported' | 'denied' | 'noDevice' | 'failed' | 'tooBig'

type Phase =
  | { kind: 'off' }
  | { kind: 'starting' }
  | { kind: 'live' }
  | { kind: 'recording'; startedAt: number }
  | { kind: 'recorded'; file: File; url: string; seconds: number }
  | { kind: 'failed'; reason: Failure }

function canRecord() {
  return typeof window !== 'undefined' && typeof window.MediaRecorder === 'function' && typeof navigator.mediaDevices?.getUserMedia === 'function'
}

function failureOf(error: unknown): Failure {
  const name = error instanceof DOMException || error instanceof Error ? error.name : ''
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied'
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'noDevice'
  return 'failed'
}

export function formatElapsed(seconds: number) {
  const m = Math.floor(seconds / 60)
  return `${m}:${String(seconds % 60).padStart(2, '0')}`
}

function fileName(type: string, at: Date) {
  const stamp = at.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')
  return `recording-${stamp}.${type.startsWith('video/mp4') ? 'mp4' : 'webm'}`
}

/**
 * Records the skit with the device's camera and microphone (MediaRecorder): a live view, a
 * timer while recording, a preview before anything is sent; then `onRecorded` hands the file
 * to the resumable upload, the same path as a chosen file. Without MediaRecorder or with the
 * camera refused it says so, and the file upload beside it still works.
 */
export function BrowserRecorder({ onRecorded, hidden, maxBytes }: { onRecorded: (file: File) => void; hidden: boolean; maxBytes: number }) {
  const t = useT()
  const [phase, setPhase] = useState<Phase>({ kind: 'off' })
  const [supported, setSupported] = useState(true)
  const [elapsed, setElapsed] = useState(0)
  const stream = useRef<MediaStream | null>(null)
  const recorder = useRef<MediaRecorder | null>(null)
  const liveView = useRef<HTMLVideoElement | null>(null)

  useEffect(() => setSupported(canRecord()), [])

  const stopCamera = () => {
    stream.current?.getTracks().forEach((track) => track.stop())
    stream.current = null
  }

  // Leaving the page (or the upload finishing) turns the camera off and frees the preview.
  useEffect(() => () => stopCamera(), [])
  const previewUrl = phase.kind === 'recorded' ? phase.url : null
  useEffect(() => () => (previewUrl ? URL.revokeObjectURL(previewUrl) : undefined), [previewUrl])

  useEffect(() => {
    if (phase.kind !== 'recording') return
    const tick = () => setElapsed(Math.floor((Date.now() - phase.startedAt) / 1000))
    tick()
    const timer = window.setInterval(tick, 250)
    return () => window.clearInterval(timer)
  }, [phase])

  useEffect(() => {
    if ((phase.kind === 'live' || phase.kind === 'recording') && liveView.current && stream.current && liveView.current.srcObject !== stream.current) {
      liveView.current.srcObject = stream.current
      void liveView.current.play().catch(() => {})
    }
  }, [phase])

  const turnOn = async () => {
    if (!canRecord()) return setPhase({ kind: 'failed', reason: 'unsupported' })
    setPhase({ kind: 'starting' })
    try {
      stream.current = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: true,
      })
      setPhase({ kind: 'live' })
    } catch (error) {
      stopCamera()
      setPhase({ kind: 'failed', reason: failureOf(error) })
    }
  }

  const record = () => {
    const media = stream.current
    if (!media) return
    const mimeType = RECORDING_TYPES.find((type) => MediaRecorder.isTypeSupported(type))
    let rec: MediaRecorder
    try {
      rec = new MediaRecorder(media, { ...(mimeType ? { mimeType } : {}), videoBitsPerSecond: VIDEO_BITS_PER_SECOND })
    } catch {
      return setPhase({ kind: 'failed', reason: 'unsupported' })
    }
    const chunks: Blob[] = []
    const startedAt = Date.now()
    rec.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data)
    }
    rec.onstop = () => {
      stopCamera()
      const type = (rec.mimeType || mimeType || 'video/webm').split(';')[0]
      const blob = new Blob(chunks, { type })
      if (blob.size > maxBytes) return setPhase({ kind: 'failed', reason: 'tooBig' })
      const file = new File([blob], fileName(type, new Date(startedAt)), { type })
      setPhase({ kind: 'recorded', file, url: URL.createObjectURL(file), seconds: Math.round((Date.now() - startedAt) / 1000) })
    }
    recorder.current = rec
    // A chunk every second: a long take is not held as one piece until the end.
    rec.start(1000)
    setElapsed(0)
    setPhase({ kind: 'recording', startedAt })
  }

  const stop = () => recorder.current?.state === 'recording' && recorder.current.stop()

  const turnOff = () => {
    stopCamera()
    setPhase({ kind: 'off' })
  }

  if (hidden) return null
  if (!supported)
    return (
      <p className="notice text-sm" role="status" data-recorder="unsupported">
        {t('rp.recorder.unsupported')}
      </p>
    )
  return (
    <div className="space-y-2 border-t border-slate-200 pt-3" data-recorder={phase.kind}>
      <p className="text-sm text-slate-700">{t('rp.recorder.or')}</p>
      {phase.kind === 'failed' ? (
        <p className="field-error" role="alert" data-recorder-error={phase.reason}>
          {t(`rp.recorder.${phase.reason}`)}
        </p>
      ) : null}
      {phase.kind === 'live' || phase.kind === 'recording' ? (
        <div className="relative overflow-hidden rounded bg-black">
          <video ref={liveView} className="block aspect-video w-full object-cover" muted playsInline autoPlay aria-label={t('rp.recorder.live')} />
          {phase.kind === 'recording' ? (
            <p
              className="absolute left-2 top-2 flex items-center gap-2 rounded bg-black/70 px-2 py-1 text-sm font-medium text-white"
              role="timer"
              aria-live="off"
              aria-label={t('rp.recorder.elapsed', { time: formatElapsed(elapsed) })}
              data-elapsed={elapsed}
            >
              <span className="inline-block h-3 w-3 animate-pulse rounded-full bg-red-600" aria-hidden />
              {t('rp.recorder.recording')} {formatElapsed(elapsed)}
            </p>
          ) : null}
        </div>
      ) : null}
      {phase.kind === 'recorded' ? (
        <div className="space-y-1">
          <p className="text-sm font-medium">
            {t('rp.recorder.preview')} · {formatElapsed(phase.seconds)}
          </p>
          <video src={phase.url} className="block aspect-video w-full rounded bg-black" controls playsInline preload="metadata" data-recorder-preview />
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {phase.kind === 'off' || phase.kind === 'failed' || phase.kind === 'starting' ? (
          <button type="button" className="btn-secondary min-h-11" onClick={() => void turnOn()} disabled={phase.kind === 'starting'}>
            {t('rp.recorder.start')}
          </button>
        ) : null}
        {phase.kind === 'live' ? (
          <>
            <button type="button" className="btn-primary min-h-11" onClick={record}>
              {t('rp.recorder.record')}
            </button>
            <button type="button" className="btn-secondary min-h-11" onClick={turnOff}>
              {t('rp.recorder.cancel')}
            </button>
          </>
        ) : null}
        {phase.kind === 'recording' ? (
          <button type="button" className="btn-primary min-h-11 bg-red-700 hover:bg-red-800" onClick={stop}>
            {t('rp.recorder.stop')}
          </button>
        ) : null}
        {phase.kind === 'recorded' ? (
          <>
            <button type="button" className="btn-primary min-h-11" onClick={() => onRecorded(phase.file)}>
              {t('rp.recorder.use')}
            </button>
            <button type="button" className="btn-secondary min-h-11" onClick={() => void turnOn()}>
              {t('rp.recorder.again')}
            </button>
          </>
        ) : null}
      </div>
    </div>
  )
}
