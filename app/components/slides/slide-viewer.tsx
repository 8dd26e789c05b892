import { useCallback, useEffect, useRef, useState } from 'react'
import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist'
import { useT } from '~/i18n/use-t'

type Pdfjs = typeof import('pdfjs-dist')
let pdfjsPromise: Promise<Pdfjs> | undefined

/**
 * pdf.js, loaded on first use in its own chunk; its worker is a same-origin module file (Vite
 * `?url`), which the nonce CSP allows under worker-src 'self'. No eval (isEvalSupported: false).
 */
function loadPdfjs() {
  pdfjsPromise ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(([pdfjs, worker]) => {
    pdfjs.GlobalWorkerOptions.workerSrc = worker.default
    return pdfjs
  })
  return pdfjsPromise
}

const NEXT = new Set(['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter', 'n'])
const PREVIOUS = new Set(['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace', 'p'])

async function renderPage(doc: PDFDocumentProxy, n: number, canvas: HTMLCanvasElement, box: { width: number; height?: number }, previous?: RenderTask | null) {
  previous?.cancel()
  const page = await doc.getPage(n)
  const base = page.getViewport({ scale: 1 })
  const fit = Math.min(box.width / base.width, box.height ? box.height / base.height : Infinity)
  const ratio = window.devicePixelRatio || 1
  const viewport = page.getViewport({ scale: fit * ratio })
  canvas.width = Math.floor(viewport.width)
  canvas.height = Math.floor(viewport.height)
  canvas.style.width = `${Math.floor(viewport.width / ratio)}px`
  canvas.style.height = `${Math.floor(viewport.height / ratio)}px`
  return page.render({ canvas, viewport })
}

function Thumbnail({ doc, n, current, onSelect, label }: { doc: PDFDocumentProxy; n: number; current: boolean; onSelect: () => void; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    let task: RenderTask | null = null
    let cancelled = false
    renderPage(doc, n, ref.current!, { width: 120 })
      .then((t) => {
        task = t
        if (cancelled) t.cancel()
        return t.promise
      })
      .catch(() => {})
    return () => {
      cancelled = true
      task?.cancel()
    }
  }, [doc, n])
  return (
    <li>
      <button
        type="button"
        onClick={onSelect}
        aria-label={label}
        aria-current={current ? 'page' : undefined}
        className={`block rounded border-2 p-0.5 ${current ? 'border-blue-600' : 'border-transparent hover:border-slate-300'}`}
      >
        <canvas ref={ref} className="block bg-white" />
        <span className="block text-center text-xs text-slate-600">{n}</span>
      </button>
    </li>
  )
}

/**
 * Slides of a PDF rendered in the browser: the current slide, thumbnails, previous/next,
 * keyboard (arrows, PageUp/PageDown — what presentation clickers send) and full screen.
 * When `presenting`, the keys work anywhere on the page and the thumbnails are hidden.
 */
export function SlideViewer({
  src,
  page,
  onPageChange,
  presenting = false,
}: {
  src: string
  page?: number
  onPageChange?(n: number): void
  presenting?: boolean
}) {
  const t = useT()
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null)
  const [failed, setFailed] = useState(false)
  const [current, setCurrent] = useState(page ?? 1)
  const [fullscreen, setFullscreen] = useState(false)
  const [size, setSize] = useState<{ width: number; height: number } | null>(null)
  const rootRef = useRef<HTMLDivElement>(null)
  const stageRef = useRef<HTMLDivElement>(null)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const taskRef = useRef<RenderTask | null>(null)
  const pages = doc?.numPages ?? 0

  useEffect(() => {
    if (page !== undefined) setCurrent(page)
  }, [page])

  useEffect(() => {
    let cancelled = false
    let loaded: PDFDocumentProxy | null = null
    setDoc(null)
    setFailed(false)
    loadPdfjs()
      .then((pdfjs) => pdfjs.getDocument({ url: src, isEvalSupported: false, withCredentials: true }).promise)
      .then((d) => {
        loaded = d
        if (cancelled) void d.destroy()
        else setDoc(d)
      })
      .catch(() => !cancelled && setFailed(true))
    return () => {
      cancelled = true
      void loaded?.destroy()
    }
  }, [src])

  const go = useCallback(
    (n: number) => {
      if (!pages) return
      const next = Math.min(Math.max(1, n), pages)
      setCurrent((c) => {
        if (c !== next) onPageChange?.(next)
        return next
      })
    },
    [onPageChange, pages],
  )

  const onKey = useCallback(
    (e: KeyboardEvent | React.KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return
      const target = e.target as HTMLElement | null
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return
      if (target?.isContentEditable) return
      if ((e.key === ' ' || e.key === 'Enter') && target?.tagName === 'BUTTON') return
      if (NEXT.has(e.key)) go(current + 1)
      else if (PREVIOUS.has(e.key)) go(current - 1)
      else if (e.key === 'Home') go(1)
      else if (e.key === 'End') go(pages)
      else return
      e.preventDefault()
    },
    [current, go, pages],
  )

  // Presenting: a clicker talks to the whole page, not to a focused element.
  useEffect(() => {
    if (!presenting && !fullscreen) return
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [fullscreen, onKey, presenting])

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === rootRef.current)
    document.addEventListener('fullscreenchange', onChange)
    return () => document.removeEventListener('fullscreenchange', onChange)
  }, [])

  useEffect(() => {
    const stage = stageRef.current
    if (!stage) return
    const observer = new ResizeObserver(([entry]) => setSize({ width: entry.contentRect.width, height: entry.contentRect.height }))
    observer.observe(stage)
    return () => observer.disconnect()
  }, [doc])

  useEffect(() => {
    if (!doc || !size || !canvasRef.current) return
    const big = presenting || fullscreen
    let cancelled = false
    renderPage(
      doc,
      Math.min(current, doc.numPages),
      canvasRef.current,
      { width: size.width, height: big ? size.height : window.innerHeight * 0.75 },
      taskRef.current,
    )
      .then((task) => {
        if (cancelled) return task.cancel()
        taskRef.current = task
        return task.promise
      })
      .catch(() => {})
    return () => {
      cancelled = true
    }
  }, [current, doc, fullscreen, presenting, size])

  const toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen()
    else void rootRef.current?.requestFullscreen?.()
  }

  if (failed) {
    return (
      <div className="notice space-y-1" role="alert">
        <p>{t('files.viewer.error')}</p>
        <a href={src}>{t('files.download')}</a>
      </div>
    )
  }

  const big = presenting || fullscreen
  return (
    <div
      ref={rootRef}
      className={`slide-viewer flex flex-col gap-2 ${big ? 'bg-black text-white' : ''} ${presenting && !fullscreen ? 'h-full min-h-[70vh]' : ''} ${fullscreen ? 'h-screen p-2' : ''}`}
      data-page={current}
      data-pages={pages}
      data-presenting={presenting ? 'true' : undefined}
    >
      <div className="flex min-h-0 flex-1 gap-3">
        {!big && doc && (
          <nav aria-label={t('files.viewer.thumbnails')} className="hidden max-h-[75vh] w-36 shrink-0 overflow-y-auto sm:block">
            <ol className="space-y-2">
              {Array.from({ length: pages }, (_, i) => (
                <Thumbnail
                  key={i + 1}
                  doc={doc}
                  n={i + 1}
                  current={current === i + 1}
                  onSelect={() => go(i + 1)}
                  label={t('files.viewer.goTo', { page: i + 1 })}
                />
              ))}
            </ol>
          </nav>
        )}
        <div
          ref={stageRef}
          // The slide stage takes focus so arrow keys, PageUp/PageDown and clickers page through it.
          // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
          tabIndex={0}
          onKeyDown={big ? undefined : onKey}
          className={`relative flex min-w-0 flex-1 items-center justify-center rounded focus:outline-2 focus:outline-blue-600 ${big ? 'min-h-0' : 'min-h-48 bg-slate-100'}`}
          aria-roledescription="slides"
          aria-label={pages ? t('files.viewer.page', { page: current, pages }) : t('files.viewer.loading')}
        >
          {!doc && <p role="status">{t('files.viewer.loading')}</p>}
          <canvas ref={canvasRef} className={`${doc ? 'block' : 'hidden'} max-w-full bg-white shadow`} />
        </div>
      </div>
      <div className="flex flex-wrap items-center justify-center gap-2">
        <button
          type="button"
          className="btn-secondary min-h-11"
          onClick={() => go(current - 1)}
          disabled={current <= 1}
          aria-label={t('files.viewer.previous')}
        >
          ‹
        </button>
        <span className="min-w-28 text-center text-sm" aria-live="polite">
          {pages ? t('files.viewer.page', { page: current, pages }) : ''}
        </span>
        <button
          type="button"
          className="btn-secondary min-h-11"
          onClick={() => go(current + 1)}
          disabled={!pages || current >= pages}
          aria-label={t('files.viewer.next')}
        >
          ›
        </button>
        <button type="button" className="btn-secondary min-h-11" onClick={toggleFullscreen}>
          {fullscreen ? t('files.viewer.exitFullscreen') : t('files.viewer.fullscreen')}
        </button>
        {!big && (
          <a className="btn-secondary min-h-11" href={src} download>
            {t('files.download')}
          </a>
        )}
      </div>
    </div>
  )
}
