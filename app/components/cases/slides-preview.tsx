import { useEffect, useRef } from 'react'
import { useRevalidator } from '@remix-run/react'
import { SlideViewer } from '~/components/slides/slide-viewer'
import { useT } from '~/i18n/use-t'

type Submission = { fileId: string; fileName: string; mime: string } | null
type Preview = { status: string; pdfFileId: string | null } | null

/** The current submission in the slide viewer: a PDF as it is, a PPTX through its PDF rendering. */
export function SlidesPreview({
  submission,
  preview,
  page,
  onPageChange,
  presenting = false,
}: {
  submission: Submission
  preview: Preview
  page: number
  onPageChange: (page: number) => void
  presenting?: boolean
}) {
  const t = useT()
  useRevalidateWhile(Boolean(submission && submission.mime !== 'application/pdf' && preview?.status === 'pending'))
  if (!submission)
    return (
      <p className="notice" data-no-slides>
        {t('cases.submission.none')}
      </p>
    )
  const pdf = submission.mime === 'application/pdf' ? submission.fileId : preview?.status === 'ready' ? preview.pdfFileId : null
  if (!pdf) {
    const status = preview?.status ?? 'pending'
    return (
      <div className="notice space-y-1" role="status" data-preview-status={status}>
        <p>{t(`cases.preview.${status === 'ready' ? 'pending' : status}`)}</p>
        <a href={`/files/${submission.fileId}`}>{t('cases.preview.download', { name: submission.fileName })}</a>
      </div>
    )
  }
  return <SlideViewer src={`/files/${pdf}`} page={page} onPageChange={onPageChange} presenting={presenting} />
}

/** While a PPTX is being converted, asks the loader again every few seconds, so the slides appear without a reload. */
function useRevalidateWhile(waiting: boolean) {
  const revalidator = useRevalidator()
  const latest = useRef(revalidator)
  latest.current = revalidator
  useEffect(() => {
    if (!waiting) return
    const timer = setInterval(() => {
      if (latest.current.state === 'idle') latest.current.revalidate()
    }, 3000)
    return () => clearInterval(timer)
  }, [waiting])
}
