import { useEffect, useRef } from 'react'
import { useFetcher } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import { LessonText } from './lesson-text'
import type { ModuleAction, ModuleData } from './types'

/** A lesson: the text, resuming where the reader left off, and completion at the end marker. */
export function LessonView({ data }: { data: ModuleData }) {
  const t = useT()
  const completion = useFetcher<ModuleAction>({ key: 'lesson-complete' })
  const position = useFetcher({ key: 'lesson-position' })
  const textRef = useRef<HTMLDivElement>(null)
  const endRef = useRef<HTMLDivElement>(null)
  const sent = useRef(false)
  const completedHere = completion.data && completion.data.intent === 'complete' && completion.data.ok
  const completed = data.status === 'completed' || Boolean(completedHere)
  const courseDone = Boolean(data.courseCompletedAt) || Boolean(completedHere && 'courseCompleted' in completion.data! && completion.data.courseCompleted)
  const writable = !data.preview

  // Reaching the end marker counts as reading the lesson to the end.
  useEffect(() => {
    if (!writable || completed || !endRef.current || typeof IntersectionObserver === 'undefined') return
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !sent.current) {
        sent.current = true
        completion.submit({ intent: 'complete' }, { method: 'post' })
      }
    })
    observer.observe(endRef.current)
    return () => observer.disconnect()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [writable, completed])

  // Remember how far down the text the reader is, a couple of seconds after they stop scrolling.
  useEffect(() => {
    if (!writable) return
    let timer: ReturnType<typeof setTimeout> | undefined
    let last = -1
    const onScroll = () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        const el = textRef.current
        if (!el) return
        const rect = el.getBoundingClientRect()
        const read = ((window.innerHeight - rect.top) / Math.max(rect.height, 1)) * 100
        const percent = Math.max(0, Math.min(100, Math.round(read)))
        if (Math.abs(percent - last) < 5) return
        last = percent
        position.submit({ intent: 'position', position: String(percent) }, { method: 'post' })
      }, 1500)
    }
    window.addEventListener('scroll', onScroll, { passive: true })
    onScroll()
    return () => {
      clearTimeout(timer)
      window.removeEventListener('scroll', onScroll)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [writable])

  const resumeAt = data.lastPosition
  const canResume = writable && resumeAt >= 10 && resumeAt <= 95
  const resume = () => {
    const el = textRef.current
    if (!el) return
    const top = el.getBoundingClientRect().top + window.scrollY + (el.offsetHeight * resumeAt) / 100 - window.innerHeight * 0.6
    window.scrollTo({ top: Math.max(0, top), behavior: 'smooth' })
  }

  return (
    <>
      {canResume ? (
        <p>
          <button type="button" className="btn-secondary" onClick={resume}>
            {t('lesson.resume', { percent: resumeAt })}
          </button>
        </p>
      ) : null}
      <div ref={textRef} className="card">
        <LessonText html={data.module.html} />
      </div>
      <div ref={endRef} data-end-marker className="flex items-center gap-3 text-sm text-slate-500">
        <span className="h-px flex-1 bg-slate-300" />
        {t('lesson.endMarker')}
        <span className="h-px flex-1 bg-slate-300" />
      </div>
      {writable ? (
        completed ? (
          <p className="notice" role="status" data-lesson-read>
            ✓ {t('lesson.readDone')} {courseDone ? t('lesson.courseDone') : null}
          </p>
        ) : (
          // Without JavaScript, or when reading by keyboard, the button does what the end marker does.
          <completion.Form method="post">
            <button type="submit" name="intent" value="complete" className="btn-secondary" disabled={completion.state !== 'idle'}>
              {t('lesson.markRead')}
            </button>
          </completion.Form>
        )
      ) : null}
    </>
  )
}
