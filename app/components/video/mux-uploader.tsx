import { lazy, Suspense, useEffect, useState } from 'react'
import { useT } from '~/i18n/use-t'

// A web component: browser only, in its own chunk.
const Uploader = lazy(() => import('@mux/mux-uploader-react'))

/** What the uploader says when an upload fails (the server's JSON refusal, when there is one, in `response.body`). */
export type MuxUploadFailure = { message?: string; response?: { body?: string } } | undefined

/**
 * Mux's uploader as every upload screen shows it (teaching videos, role-play recordings): loaded
 * after hydration, 4 MB chunks, pausable, in the app's colour. `endpoint` opens the upload and
 * returns its URL (throw to refuse).
 */
export function MuxUploader({
  endpoint,
  onStart,
  onError,
  onSuccess,
}: {
  endpoint: (file?: File) => Promise<string>
  onStart: (file: File) => void
  onError: (failure: MuxUploadFailure) => void
  onSuccess: () => void
}) {
  const t = useT()
  const [mounted, setMounted] = useState(false)
  useEffect(() => setMounted(true), [])
  if (!mounted) return null
  return (
    <Suspense fallback={<p>{t('videos.loadingPlayer')}</p>}>
      <Uploader
        endpoint={endpoint}
        chunkSize={4096}
        pausable
        style={{ '--progress-bar-fill-color': '#0f766e' }}
        onUploadStart={(e) => onStart((e as CustomEvent<{ file: File }>).detail.file)}
        onUploadError={(e) => onError((e as CustomEvent<MuxUploadFailure>).detail)}
        onSuccess={() => onSuccess()}
      />
    </Suspense>
  )
}
