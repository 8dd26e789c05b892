import { useRevalidator } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { BrowserRecorder } from '~/components/roleplay/browser-recorder'
import { MuxUploader } from '~/components/video/mux-uploader'
import { useT } from '~/i18n/use-t'

/**
 * A group's recording sent straight to Mux (decision 053), with Mux's uploader and progress bar:
 * the server checks the member and opens a direct upload (a 'processing' version), the browser
 * sends the file to Mux's URL, and Mux's webhook makes the version ready. While a version is
 * processing, the page reloads its data now and then so the list shows it ready when it is.
 */
export function MuxRecordingUpload({ groupId, maxBytes, help, processing }: { groupId: string; maxBytes: number; help: string; processing: boolean }) {
  const t = useT()
  const revalidator = useRevalidator()
  const box = useRef<HTMLDivElement | null>(null)
  const [state, setState] = useState<{ file: File | null; version: number | null; done: boolean; error: string | null }>({
    file: null,
    version: null,
    done: false,
    error: null,
  })
  useEffect(() => {
    if (!processing) return
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate()
    }, 15_000)
    return () => clearInterval(timer)
  }, [processing, revalidator])

  const endpoint = async (file?: File) => {
    if (file && file.size > maxBytes) {
      setState((s) => ({ ...s, error: 'rp.recorder.tooBig' }))
      throw new Error('too big')
    }
    const response = await fetch(`/groups/${groupId}/roleplay/mux-upload`, { method: 'POST' })
    const body = (await response.json().catch(() => ({}))) as { url?: string; version?: number; error?: string }
    if (!response.ok || !body.url) {
      setState((s) => ({ ...s, error: body.error ?? 'errors.invalid' }))
      throw new Error(body.error ?? 'upload refused')
    }
    setState((s) => ({ ...s, version: body.version ?? null }))
    // The new version is listed (processing) at once.
    revalidator.revalidate()
    return body.url
  }

  return (
    <div className="space-y-2" data-mux-upload ref={box}>
      <p className="text-sm text-slate-700">{t('rp.recording.muxHelp')}</p>
      <MuxUploader
        endpoint={endpoint}
        onStart={(file) => setState({ file, version: null, done: false, error: null })}
        onError={(failure) => setState((s) => ({ ...s, error: s.error ?? failure?.message ?? 'errors.invalid' }))}
        onSuccess={() => {
          setState((s) => ({ ...s, done: true }))
          revalidator.revalidate()
        }}
      />
      {/* A take recorded in the browser goes through the same uploader, as if the file had been dropped on it. */}
      <BrowserRecorder
        hidden={Boolean(state.file) && !state.done && !state.error}
        maxBytes={maxBytes}
        onRecorded={(file) =>
          box.current?.querySelector('mux-uploader')?.dispatchEvent(new CustomEvent('file-ready', { composed: true, bubbles: true, detail: file }))
        }
      />
      {state.error ? (
        <p className="alert" role="alert" data-testid="upload-error">
          {t('rp.recording.muxFailed', { message: t(state.error) })}
        </p>
      ) : null}
      {state.done && state.file ? (
        <p className="notice" role="status" data-testid="upload-done">
          {t('rp.recording.muxUploaded', { name: state.file.name, version: state.version ?? '' })}
        </p>
      ) : null}
      <p className="text-xs text-slate-600">{help}</p>
    </div>
  )
}
