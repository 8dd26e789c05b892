import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react'
import type { DetailedError, Upload } from 'tus-js-client'
import type { Translate } from '~/i18n'
import type { Locale } from '~/i18n/define'
import { useLocale, useT } from '~/i18n/use-t'
import { ACCEPTED_MIMES, MAX_UPLOAD_BYTES, UPLOAD_TYPE_NAMES, wrongTypeCode, type UploadPurpose } from '~/modules/files/files'

export const TUS_ENDPOINT = '/uploads/tus'

type State =
  | { kind: 'idle' }
  | { kind: 'uploading'; name: string; sent: number; total: number }
  | { kind: 'paused'; name: string; sent: number; total: number }
  | { kind: 'done'; name: string; total: number; uploadId: string }
  | { kind: 'error'; message: string; retry: boolean }

/** Human size in the locale: 1.2 MB. */
function formatBytes(bytes: number) {
  const mb = bytes / 1024 / 1024
  if (bytes >= 1024 * 1024) return `${Number.isInteger(mb) || mb >= 100 ? Math.round(mb) : mb.toFixed(1)} MB`
  return `${Math.max(1, Math.round(bytes / 1024))} KB`
}

/** The line under the button: the types this upload takes, in the locale's words ("MP4, MOV, or WebM"), and its limit. */
export function uploadHint(t: Translate, locale: Locale, purpose: UploadPurpose, maxBytes = MAX_UPLOAD_BYTES[purpose]) {
  const types = new Intl.ListFormat(locale, { style: 'long', type: 'disjunction' }).format(ACCEPTED_MIMES[purpose].map((m) => UPLOAD_TYPE_NAMES[m] ?? m))
  return t('files.upload.hint', { types, limit: formatBytes(maxBytes) })
}

/** Our words for what went wrong, never the library's ("Server responded with 415"). */
function errorMessage(t: Translate, error: Error, maxBytes: number) {
  const response = (error as DetailedError).originalResponse
  const status = response?.getStatus()
  const body = response?.getBody?.() ?? ''
  if (status === 401) return t('files.upload.signedOut')
  if (status === 413) return t('files.rejected.too-large-limit', { limit: formatBytes(maxBytes) })
  if (status === 400 && body.trim() === 'empty') return t('files.rejected.empty')
  if (status === 404 || status === 410) return t('files.rejected.not-found')
  return t('files.upload.failed')
}

/**
 * The key under which the upload URL is remembered: the purpose, size and a hash of the file's
 * first and last 256 KB. Not its modification time, which some phones report as "now" each time
 * a file is picked, so the same file would never resume.
 */
async function fingerprint(file: File, purpose: string) {
  // crypto.subtle exists only in secure contexts (HTTPS, localhost).
  if (!globalThis.crypto?.subtle) return `genjin-${purpose}-${file.size}-${file.name}-${file.lastModified}`
  const edge = 256 * 1024
  const head = await file.slice(0, edge).arrayBuffer()
  const tail = await file.slice(Math.max(edge, file.size - edge)).arrayBuffer()
  const both = new Uint8Array(head.byteLength + tail.byteLength)
  both.set(new Uint8Array(head), 0)
  both.set(new Uint8Array(tail), head.byteLength)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', both))
  const hex = Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('')
  return `genjin-${purpose}-${file.size}-${hex}`
}

function percent(sent: number, total: number) {
  return total ? Math.floor((sent / total) * 100) : 0
}

/**
 * A resumable upload (tus) inside a form: a progress bar, resumes after a dropped connection
 * and — when the same file is chosen again — after a reload (tus-js-client keeps the upload's
 * URL under the file's fingerprint in localStorage). When done, the hidden input `name` holds
 * the upload id for the form's action to claim.
 */
export function ResumableUpload({
  purpose,
  name,
  accept,
  maxBytes = MAX_UPLOAD_BYTES[purpose],
  onComplete,
  errors,
  chunkSize = 2 * 1024 * 1024,
  alternative,
}: {
  purpose: UploadPurpose
  name: string
  accept: string
  maxBytes?: number
  onComplete?: (upload: { uploadId: string; name: string; size: number }) => void
  /** Field errors from the form's action, shown under the control. */
  errors?: string[]
  /** Bytes per PATCH: a dropped connection costs at most one chunk. */
  chunkSize?: number
  /**
   * Another source of the file (e.g. recording in the browser): it hands its file to `upload`,
   * which takes the same path as a chosen file, and hides itself while `state` is not idle or error.
   */
  alternative?: (upload: (file: File) => void, state: State['kind']) => ReactNode
}) {
  const t = useT()
  const locale = useLocale()
  const id = useId()
  const [state, setState] = useState<State>({ kind: 'idle' })
  const [announcement, setAnnouncement] = useState('')
  const [interrupted, setInterrupted] = useState<string | null>(null)
  const uploadRef = useRef<Upload | null>(null)
  const lastAnnounced = useRef(-1)
  const lastSent = useRef(0)
  const inputRef = useRef<HTMLInputElement>(null)

  // After a reload: say that an unfinished upload can continue.
  useEffect(() => {
    let cancelled = false
    import('tus-js-client').then(async ({ defaultOptions }) => {
      const previous = await defaultOptions.urlStorage.findAllUploads().catch(() => [])
      const mine = previous.filter((p) => p.metadata?.purpose === purpose)
      if (!cancelled && mine.length) setInterrupted(mine[mine.length - 1].metadata?.filename ?? '')
    })
    return () => {
      cancelled = true
    }
  }, [purpose])

  // Back online: continue where the server stopped (tus asks the offset with HEAD).
  useEffect(() => {
    const resume = () => {
      if (state.kind === 'paused') {
        setState({ ...state, kind: 'uploading' })
        uploadRef.current?.start()
      }
    }
    window.addEventListener('online', resume)
    return () => window.removeEventListener('online', resume)
  }, [state])

  useEffect(() => () => void uploadRef.current?.abort(), [])

  const announce = useCallback((text: string) => setAnnouncement(text), [])

  const start = useCallback(
    async (file: File) => {
      lastAnnounced.current = -1
      lastSent.current = 0
      if (file.size === 0) return setState({ kind: 'error', message: t('files.rejected.empty'), retry: false })
      if (file.size > maxBytes) return setState({ kind: 'error', message: t('files.rejected.too-large-limit', { limit: formatBytes(maxBytes) }), retry: false })
      const extensions = accept
        .split(',')
        .map((a) => a.trim().toLowerCase())
        .filter((a) => a.startsWith('.'))
      if (extensions.length && !extensions.some((ext) => file.name.toLowerCase().endsWith(ext))) {
        return setState({ kind: 'error', message: t(`files.rejected.${wrongTypeCode(purpose)}`), retry: false })
      }
      const tus = await import('tus-js-client')
      await uploadRef.current?.abort()
      const upload = new tus.Upload(file, {
        endpoint: TUS_ENDPOINT,
        chunkSize,
        retryDelays: [0, 1000, 3000, 5000, 10000],
        metadata: { filename: file.name, filetype: file.type, purpose },
        fingerprint: (f) => fingerprint(f as File, purpose),
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onProgress(sent, total) {
          lastSent.current = sent
          setState({ kind: 'uploading', name: file.name, sent, total })
          const p = percent(sent, total)
          // Tell screen readers every quarter, not every chunk.
          if (Math.floor(p / 25) > Math.floor(lastAnnounced.current / 25)) {
            lastAnnounced.current = p
            announce(t('files.upload.uploading', { name: file.name, percent: p }))
          }
        },
        onSuccess() {
          const uploadId = (upload.url ?? '').split('/').pop() ?? ''
          setInterrupted(null)
          setState({ kind: 'done', name: file.name, total: file.size, uploadId })
          announce(t('files.upload.done', { name: file.name, size: formatBytes(file.size) }))
          onComplete?.({ uploadId, name: file.name, size: file.size })
        },
        onError(error) {
          const offline = typeof navigator !== 'undefined' && navigator.onLine === false
          const status = (error as DetailedError).originalResponse?.getStatus()
          if (!status && offline) {
            setState({ kind: 'paused', name: file.name, sent: lastSent.current, total: file.size })
            announce(t('files.upload.paused', { percent: percent(lastSent.current, file.size) }))
            return
          }
          const message = errorMessage(t, error, maxBytes)
          setState({ kind: 'error', message, retry: !status || status >= 500 })
          announce(message)
        },
      })
      uploadRef.current = upload
      setState({ kind: 'uploading', name: file.name, sent: 0, total: file.size })
      const previous = await upload.findPreviousUploads()
      if (previous.length) upload.resumeFromPreviousUpload(previous[previous.length - 1])
      upload.start()
    },
    [accept, announce, chunkSize, maxBytes, onComplete, purpose, t],
  )

  const cancel = () => {
    // Terminates the upload on the server, too: nothing half-done is kept.
    void uploadRef.current?.abort(true)
    uploadRef.current = null
    setState({ kind: 'idle' })
    if (inputRef.current) inputRef.current.value = ''
  }

  const busy = state.kind === 'uploading' || state.kind === 'paused'
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const fieldErrors = errors?.filter(Boolean) ?? []
  return (
    <div className="space-y-2" data-upload-state={state.kind}>
      <input type="hidden" name={name} value={state.kind === 'done' ? state.uploadId : ''} />
      {state.kind !== 'done' && (
        <div className="flex flex-wrap items-center gap-3">
          <label className={`btn-secondary min-h-11 cursor-pointer ${busy ? 'pointer-events-none opacity-60' : ''}`}>
            {t('files.upload.choose')}
            <input
              ref={inputRef}
              type="file"
              accept={accept}
              className="sr-only"
              disabled={busy}
              aria-describedby={`${hintId}${fieldErrors.length || state.kind === 'error' ? ` ${errorId}` : ''}`}
              onChange={(e) => {
                const file = e.currentTarget.files?.[0]
                if (file) void start(file)
              }}
            />
          </label>
          <span id={hintId} className="text-sm text-slate-600">
            {uploadHint(t, locale, purpose, maxBytes)}
          </span>
        </div>
      )}
      {alternative?.((file) => void start(file), state.kind)}
      {interrupted !== null && state.kind === 'idle' && <p className="notice text-sm">{t('files.upload.resumable', { name: interrupted })}</p>}
      {busy && (
        <div className="space-y-1">
          <label htmlFor={`${id}-progress`} className="block text-sm">
            {state.kind === 'paused'
              ? t('files.upload.paused', { percent: percent(state.sent, state.total) })
              : t('files.upload.uploading', { name: state.name, percent: percent(state.sent, state.total) })}
          </label>
          <div className="flex items-center gap-3">
            <progress id={`${id}-progress`} className="h-3 w-full" max={state.total} value={state.sent} aria-label={t('files.upload.progress')} />
            <button type="button" className="btn-secondary min-h-11 shrink-0 whitespace-nowrap" onClick={cancel}>
              {t('files.upload.cancel')}
            </button>
          </div>
        </div>
      )}
      {state.kind === 'done' && (
        <div className="flex flex-wrap items-center gap-3">
          <p className="text-sm">{t('files.upload.done', { name: state.name, size: formatBytes(state.total) })}</p>
          <button type="button" className="btn-secondary min-h-11 shrink-0 whitespace-nowrap" onClick={cancel}>
            {t('files.upload.remove')}
          </button>
        </div>
      )}
      {state.kind === 'error' && (
        <div id={errorId} className="field-error flex flex-wrap items-center gap-3" role="alert">
          <span>{state.message}</span>
          {state.retry && (
            <button type="button" className="btn-secondary min-h-11" onClick={() => uploadRef.current?.start()}>
              {t('files.upload.retry')}
            </button>
          )}
        </div>
      )}
      {state.kind !== 'error' &&
        fieldErrors.map((e) => (
          <p key={e} id={errorId} className="field-error" role="alert">
            {e}
          </p>
        ))}
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
    </div>
  )
}
