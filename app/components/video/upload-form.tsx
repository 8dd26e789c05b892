import { useSubmit } from '@remix-run/react'
import { useState } from 'react'
import { MuxUploader } from '~/components/video/mux-uploader'
import type { Translate } from '~/i18n'
import { useT } from '~/i18n/use-t'
import { formatTime } from '~/modules/videos/videos'
import { checkWebVtt } from '~/modules/videos/webvtt'

type Measured = { duration: number; poster: Blob | null; posterUrl: string | null }

const once = (target: EventTarget, event: string) =>
  new Promise<void>((resolve, reject) => {
    target.addEventListener(event, () => resolve(), { once: true })
    target.addEventListener('error', () => reject(new Error('media error')), { once: true })
  })

/** Duration and a poster frame, measured from the chosen file in the browser (no server-side ffmpeg needed). */
async function measure(file: File): Promise<Measured> {
  const url = URL.createObjectURL(file)
  const video = document.createElement('video')
  video.muted = true
  video.preload = 'auto'
  video.src = url
  try {
    await once(video, 'loadedmetadata')
    const duration = video.duration
    video.currentTime = Math.min(1, duration / 10)
    await once(video, 'seeked')
    const scale = Math.min(1, 1280 / (video.videoWidth || 1280))
    const canvas = document.createElement('canvas')
    canvas.width = Math.round((video.videoWidth || 1280) * scale)
    canvas.height = Math.round((video.videoHeight || 720) * scale)
    canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height)
    const poster = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85))
    return { duration, poster, posterUrl: poster ? URL.createObjectURL(poster) : null }
  } finally {
    URL.revokeObjectURL(url)
  }
}

const errorText = (t: Translate, message: string) => {
  const [key, line] = message.split('|')
  return t(key, { line: line ?? '' })
}

export function UploadForm({ mux, errors }: { mux: boolean; errors?: Record<string, string[]> }) {
  const t = useT()
  const submit = useSubmit()
  const [upload, setUpload] = useState<{ id: string | null; file: File | null; done: boolean; error: string | null }>({
    id: null,
    file: null,
    done: false,
    error: null,
  })
  const [measured, setMeasured] = useState<Measured | null>(null)
  const [captions, setCaptions] = useState<{ 'zh-CN': string; en: string }>({ 'zh-CN': '', en: '' })
  const [form, setForm] = useState({ kind: 'lecture', titleZh: '', titleEn: '', descZh: '', descEn: '' })

  const endpoint = async (file?: File) => {
    const response = await fetch('/videos/uploads', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ size: file?.size ?? 0 }),
    })
    const body = (await response.json()) as { url?: string; id?: string; videoId?: string; error?: string }
    if (!response.ok || !body.url) {
      setUpload((u) => ({ ...u, error: body.error ?? 'videos.upload.unknown' }))
      throw new Error(body.error ?? 'upload refused')
    }
    // Local uploads are finished by upload id; Mux uploads already have their video row.
    setUpload((u) => ({ ...u, id: body.id ?? body.videoId ?? null }))
    return body.url
  }

  const vttError = (locale: 'zh-CN' | 'en') => {
    const text = captions[locale].trim()
    if (!text) return null
    const check = checkWebVtt(text, measured?.duration)
    return check.ok ? null : errorText(t, `${check.error}|${check.line ?? ''}`)
  }
  const fieldError = (name: string) => (errors?.[name]?.length ? errors[name].map((m) => errorText(t, m)).join(' ') : null)

  return (
    <div className="space-y-6">
      <section className="card space-y-3" aria-labelledby="upload-step1">
        <h2 id="upload-step1">{t('videos.upload.step1')}</h2>
        {mux ? <p className="notice">{t('videos.upload.mux')}</p> : null}
        <MuxUploader
          endpoint={endpoint}
          onStart={(file) => {
            setUpload({ id: null, file, done: false, error: null })
            measure(file)
              .then(setMeasured)
              .catch(() => setMeasured(null))
          }}
          onError={(failure) => {
            let key = failure?.message ?? ''
            try {
              key = (JSON.parse(failure?.response?.body ?? '{}') as { error?: string }).error ?? key
            } catch {
              // not JSON: keep the uploader's message
            }
            setUpload((u) => ({ ...u, error: key }))
          }}
          onSuccess={() => setUpload((u) => ({ ...u, done: true }))}
        />
        {upload.error ? (
          <p className="alert" role="alert" data-testid="upload-error">
            {t('videos.upload.failed', { message: t(upload.error) })}
          </p>
        ) : null}
        {upload.done && upload.file ? (
          <p className="notice" role="status" data-testid="upload-done">
            {t('videos.upload.uploaded', { name: upload.file.name })}
          </p>
        ) : null}
      </section>

      {upload.done && upload.id ? (
        <form
          className="card space-y-4"
          aria-labelledby="upload-step2"
          data-testid="upload-metadata"
          onSubmit={(e) => {
            e.preventDefault()
            const data = new FormData()
            data.set(
              'meta',
              JSON.stringify({
                ...(mux ? { videoId: upload.id } : { uploadId: upload.id }),
                kind: form.kind,
                title: { 'zh-CN': form.titleZh, en: form.titleEn },
                description: { 'zh-CN': form.descZh, en: form.descEn },
                durationSeconds: measured?.duration ?? 0,
                captions: { ...(captions['zh-CN'].trim() ? { 'zh-CN': captions['zh-CN'] } : {}), ...(captions.en.trim() ? { en: captions.en } : {}) },
              }),
            )
            if (measured?.poster && !mux) data.set('poster', new File([measured.poster], 'poster.jpg', { type: 'image/jpeg' }))
            submit(data, { method: 'post', encType: 'multipart/form-data' })
          }}
        >
          <h2 id="upload-step2">{t('videos.upload.step2')}</h2>
          {measured ? (
            <div className="flex flex-wrap items-start gap-4">
              {measured.posterUrl ? <img src={measured.posterUrl} alt={t('videos.upload.poster')} className="w-64 rounded-md border" /> : null}
              <p className="text-sm" data-testid="measured-duration" data-duration={measured.duration.toFixed(3)}>
                {t('videos.upload.measured', { time: formatTime(measured.duration, true) })}
              </p>
            </div>
          ) : null}
          <label className="block">
            <span className="label">{t('videos.upload.kind')}</span>
            <select className="input w-auto" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
              {(['lecture', 'positive', 'negative'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`videos.kind.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <div className="grid gap-3 sm:grid-cols-2">
            {(
              [
                ['titleZh', `${t('videos.editor.titleField')} (中文)`, 'title.zh-CN'],
                ['titleEn', `${t('videos.editor.titleField')} (English)`, 'title.en'],
                ['descZh', '简介 (中文)', 'description.zh-CN'],
                ['descEn', 'Description (English)', 'description.en'],
              ] as const
            ).map(([key, label, errorName]) => (
              <label key={key} className="block">
                <span className="label">{label}</span>
                <input
                  className="input"
                  name={errorName}
                  value={form[key]}
                  onChange={(e) => setForm({ ...form, [key]: e.target.value })}
                  required={key.startsWith('title')}
                />
                {fieldError(errorName) ? <span className="field-error block">{fieldError(errorName)}</span> : null}
              </label>
            ))}
          </div>
          {(['zh-CN', 'en'] as const).map((locale) => (
            <div key={locale}>
              <label htmlFor={`vtt-${locale}`} className="label">
                {t('videos.upload.captions', { locale: locale === 'zh-CN' ? '中文' : 'English' })}
              </label>
              <textarea
                id={`vtt-${locale}`}
                name={`captions.${locale}`}
                className="input min-h-28 font-mono text-sm"
                value={captions[locale]}
                placeholder={'WEBVTT\n\n00:00.000 --> 00:02.500\n…'}
                onChange={(e) => setCaptions({ ...captions, [locale]: e.target.value })}
              />
              <div className="mt-1 flex flex-wrap items-center gap-2 text-sm">
                <label className="btn-secondary cursor-pointer">
                  {t('videos.upload.loadFile')}
                  <input
                    type="file"
                    accept=".vtt,text/vtt"
                    className="sr-only"
                    onChange={async (e) => {
                      const file = e.target.files?.[0]
                      if (file) setCaptions((c) => ({ ...c, [locale]: '' }))
                      if (file) {
                        const text = await file.text()
                        setCaptions((c) => ({ ...c, [locale]: text }))
                      }
                    }}
                  />
                </label>
                <span className="text-slate-600">{t('videos.upload.captionsHint')}</span>
              </div>
              {vttError(locale) || fieldError(`captions.${locale}`) ? (
                <p className="field-error" role="alert">
                  {vttError(locale) ?? fieldError(`captions.${locale}`)}
                </p>
              ) : null}
            </div>
          ))}
          <button
            type="submit"
            className="btn-primary"
            disabled={(!measured && !mux) || Boolean(vttError('zh-CN') || vttError('en'))}
            data-testid="create-video"
          >
            {t('videos.upload.save')}
          </button>
        </form>
      ) : null}
    </div>
  )
}
