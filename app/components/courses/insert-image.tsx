import { useId, useRef, useState } from 'react'
import { useT } from '~/i18n/use-t'
import { imageMarkdown, imageMimes, MAX_IMAGE_BYTES } from '~/modules/courses/media'

type Status = { kind: 'idle' } | { kind: 'uploading'; percent: number } | { kind: 'error'; message: string } | { kind: 'done' }

/**
 * "Insert image" beside a Markdown textarea: uploads the file with XMLHttpRequest (for its
 * progress events) and writes `![alt](/media/images/<id>)` at the cursor. Alt text is required.
 */
export function InsertImage({ textareaId, locale, onInserted }: { textareaId: string; locale: 'zh-CN' | 'en'; onInserted: () => void }) {
  const t = useT()
  const id = useId()
  const [open, setOpen] = useState(false)
  const [status, setStatus] = useState<Status>({ kind: 'idle' })
  const [altError, setAltError] = useState<string | null>(null)
  const [fileError, setFileError] = useState<string | null>(null)
  const fileRef = useRef<HTMLInputElement>(null)
  const altRef = useRef<HTMLInputElement>(null)
  const selection = useRef<{ start: number; end: number } | null>(null)

  const textarea = () => document.getElementById(textareaId) as HTMLTextAreaElement | null

  const openPanel = () => {
    const area = textarea()
    // Where the author was typing: the cursor stays there while they fill in the panel.
    selection.current = area ? { start: area.selectionStart, end: area.selectionEnd } : null
    setStatus({ kind: 'idle' })
    setOpen(true)
    requestAnimationFrame(() => fileRef.current?.focus())
  }

  const close = () => {
    setOpen(false)
    setAltError(null)
    setFileError(null)
    document.getElementById(`${id}-toggle`)?.focus()
  }

  const insert = (markdown: string) => {
    const area = textarea()
    if (!area) return
    const { start, end } = selection.current ?? { start: area.value.length, end: area.value.length }
    const before = area.value.slice(0, start)
    const prefix = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n'
    const text = `${prefix}${markdown}\n\n`
    area.focus()
    area.setRangeText(text, start, end, 'end')
    // Let conform and React see the change as typing.
    area.dispatchEvent(new Event('input', { bubbles: true }))
    onInserted()
  }

  const upload = () => {
    const file = fileRef.current?.files?.[0]
    const alt = altRef.current?.value.trim() ?? ''
    const noFile = !file ? t('authoring.image.chooseFile') : file.size > MAX_IMAGE_BYTES ? t('authoring.image.tooLarge') : null
    setFileError(noFile)
    setAltError(alt ? null : t('authoring.image.altRequired'))
    if (noFile) return fileRef.current?.focus()
    if (!alt) return altRef.current?.focus()
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/media/images')
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) setStatus({ kind: 'uploading', percent: Math.round((event.loaded / event.total) * 100) })
    }
    xhr.onload = () => {
      let body: { id?: string; error?: string } = {}
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        /* not JSON: a failure */
      }
      if (xhr.status >= 200 && xhr.status < 300 && body.id) {
        insert(imageMarkdown(alt, body.id))
        setStatus({ kind: 'done' })
        setOpen(false)
        if (fileRef.current) fileRef.current.value = ''
        if (altRef.current) altRef.current.value = ''
      } else {
        setStatus({ kind: 'error', message: t(body.error ?? 'authoring.image.failed') })
      }
    }
    xhr.onerror = () => setStatus({ kind: 'error', message: t('authoring.image.failed') })
    setStatus({ kind: 'uploading', percent: 0 })
    xhr.send(file!)
  }

  const uploading = status.kind === 'uploading'
  return (
    <>
      <button
        type="button"
        id={`${id}-toggle`}
        className="btn-secondary min-h-9 px-3 py-1 text-xs"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => (open ? close() : openPanel())}
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="1.6">
          <rect x="2.5" y="3.5" width="15" height="13" rx="1.5" />
          <circle cx="7" cy="8" r="1.5" />
          <path d="M3 15l4.5-4.5 3 3 2.5-2.5 4 4" />
        </svg>
        {t('authoring.image.insert')}
        <span className="sr-only"> ({t(`authoring.language.${locale}`)})</span>
      </button>
      {status.kind === 'done' ? (
        <p className="w-full text-xs text-green-800" role="status">
          {t('authoring.image.inserted')}
        </p>
      ) : null}
      {open ? (
        <div
          id={`${id}-panel`}
          role="group"
          aria-labelledby={`${id}-title`}
          className="w-full space-y-3 rounded-md border border-brand-100 bg-brand-50 p-3"
          onKeyDown={(event) => {
            if (event.key === 'Escape' && !uploading) close()
          }}
        >
          <p id={`${id}-title`} className="text-sm font-semibold text-brand-900">
            {t('authoring.image.dialogTitle', { language: t(`authoring.language.${locale}`) })}
          </p>
          <div>
            <label htmlFor={`${id}-file`} className="label">
              {t('authoring.image.file')}
            </label>
            <input
              ref={fileRef}
              id={`${id}-file`}
              type="file"
              accept={imageMimes.join(',')}
              className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5"
              aria-invalid={Boolean(fileError) || undefined}
              aria-describedby={fileError ? `${id}-file-error` : undefined}
              disabled={uploading}
            />
            {fileError ? (
              <p id={`${id}-file-error`} className="field-error" role="alert">
                {fileError}
              </p>
            ) : null}
          </div>
          <div>
            <label htmlFor={`${id}-alt`} className="label">
              {t('authoring.image.alt')}
            </label>
            <input
              ref={altRef}
              id={`${id}-alt`}
              className="input"
              required
              maxLength={300}
              aria-invalid={Boolean(altError) || undefined}
              aria-describedby={`${id}-alt-hint${altError ? ` ${id}-alt-error` : ''}`}
              disabled={uploading}
              onKeyDown={(event) => {
                // Enter here uploads; it must not submit the module form.
                if (event.key === 'Enter') {
                  event.preventDefault()
                  upload()
                }
              }}
            />
            <p id={`${id}-alt-hint`} className="mt-1 text-xs text-slate-600">
              {t('authoring.image.altHint')}
            </p>
            {altError ? (
              <p id={`${id}-alt-error`} className="field-error" role="alert">
                {altError}
              </p>
            ) : null}
          </div>
          {uploading ? (
            <div className="space-y-1">
              <progress
                className="h-2 w-full overflow-hidden rounded accent-brand-700"
                max={100}
                value={status.percent}
                aria-label={t('authoring.image.progress')}
              />
              <p className="text-xs text-slate-700" aria-live="polite">
                {t('authoring.image.uploading', { percent: status.percent })}
              </p>
            </div>
          ) : null}
          {status.kind === 'error' ? (
            <p className="alert" role="alert">
              {status.message}
            </p>
          ) : null}
          <div className="flex flex-wrap gap-2">
            <button type="button" className="btn-primary min-h-9 py-1 text-sm" onClick={upload} disabled={uploading}>
              {t('authoring.image.upload')}
            </button>
            <button type="button" className="btn-secondary min-h-9 py-1 text-sm" onClick={close} disabled={uploading}>
              {t('authoring.image.cancel')}
            </button>
          </div>
        </div>
      ) : null}
    </>
  )
}
