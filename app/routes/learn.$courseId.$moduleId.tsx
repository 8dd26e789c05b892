import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, type ShouldRevalidateFunction } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { z } from 'zod'
import lessonStyles from '~/components/courses/lesson.css?url'
import { StatusBadge, useFormatDate } from '~/components/courses/ui'
import { CaseAnalysisModule } from '~/components/cases/case-analysis-module'
import { RouteErrorBoundary } from '~/components/route-error'
import { AttendanceBadge, InvitationBadge, useSessionTime } from '~/components/sessions/badges'
import { LearnerPlayer, videoShouldRevalidate } from '~/components/video/learner-player'
import { FieldErrors } from '~/components/ui/field'
import { resolveLocale } from '~/i18n/locale.server'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { answersFromForm, CompleteLessonForm, parseOr400, pick, PositionForm, QuizForm } from '~/modules/courses/courses'
import {
  completeLesson,
  getModuleForLearner,
  recordPosition,
  savePrepSheet,
  sharePrepSheet,
  startQuizAttempt,
  submitQuizAttempt,
} from '~/modules/courses/learning.server'
import { param, readForm, requireValid } from '~/shared/forms'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: lessonStyles }]

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.module.title['zh-CN'] ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const locale = await resolveLocale(request, user)
  return getModuleForLearner(user, param(params, 'courseId'), param(params, 'moduleId'), locale)
}

const Intent = z.object({ intent: z.enum(['position', 'complete', 'start', 'submit', 'save', 'share']) })

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const courseKey = param(params, 'courseId')
  const moduleKey = param(params, 'moduleId')
  const formData = await readForm(request)
  const fields = Object.fromEntries(formData)
  const { intent } = parseOr400(Intent, fields)
  const here = `/learn/${courseKey}/${moduleKey}`

  if (intent === 'position') {
    const { position } = parseOr400(PositionForm, fields)
    await recordPosition(user, courseKey, moduleKey, position)
    return { intent } as const
  }
  if (intent === 'complete') {
    parseOr400(CompleteLessonForm, fields)
    const result = await completeLesson(user, courseKey, moduleKey)
    return { intent, ...result } as const
  }
  if (intent === 'start' || intent === 'submit') {
    const form = parseOr400(QuizForm, fields)
    if (form.intent === 'start') {
      const started = await startQuizAttempt(user, courseKey, moduleKey)
      if (!started.ok) return { intent, ok: false as const, error: started.error, questions: [] as string[], answers: {} }
      throw redirect(`${here}#quiz`)
    }
    const answers = answersFromForm(formData)
    const submitted = await submitQuizAttempt(user, form.attemptId, answers)
    if (!submitted.ok) return { intent, ok: false as const, error: submitted.error, questions: submitted.questions, answers }
    throw redirect(`${here}#result`)
  }
  // The sheet's fields arrive as `field.<id>`.
  const sheet = Object.fromEntries(Object.entries(fields).flatMap(([k, v]) => (k.startsWith('field.') ? [[k.slice(6), v]] : [])))
  if (intent === 'save') {
    const saved = await savePrepSheet(user, courseKey, moduleKey, sheet)
    return { intent, ...saved } as const
  }
  const shared = await sharePrepSheet(user, courseKey, moduleKey, sheet, clientIp(context))
  return { intent, ...shared } as const
}

// Reading-position pings, autosaves and the video player's own posts change nothing on the page; don't reload it for them.
export const shouldRevalidate: ShouldRevalidateFunction = (args) => {
  const intent = args.formData?.get('intent')
  if (intent === 'position' || intent === 'save') return false
  return videoShouldRevalidate(args)
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function ModulePage() {
  const t = useT()
  const locale = useLocale()
  const data = useLoaderData<typeof loader>()
  const { course, module } = data
  return (
    <article className="mx-auto max-w-3xl space-y-5" data-kind={module.kind} data-status={data.status}>
      <nav className="flex flex-wrap items-center justify-between gap-2 text-sm" aria-label={t('course.back')}>
        <Link to={`/learn/${course.key}`}>← {pick(course.title, locale)}</Link>
        <span className="text-slate-600">{t('course.position', { index: data.position.index, of: data.position.of })}</span>
      </nav>
      <header className="space-y-2">
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <span className="badge">{t(`module.kind.${module.kind}`)}</span>
          <span>{t('learn.minutes', { minutes: module.estimatedMinutes })}</span>
          {!module.required ? <span>· {t('course.optional')}</span> : null}
          {!data.preview ? <StatusBadge status={data.status} /> : null}
        </p>
        <h1>{pick(module.title, locale)}</h1>
        {module.keyPoints.length ? <p className="text-sm text-slate-600">{t('module.keyPoints', { points: module.keyPoints.join(', ') })}</p> : null}
      </header>
      {data.preview ? (
        <p className="notice" role="status">
          {t('course.preview')}
        </p>
      ) : null}
      {module.kind === 'lesson' ? <Lesson data={data} /> : null}
      {module.kind === 'quiz' ? <Quiz data={data} /> : null}
      {module.kind === 'prep_sheet' ? <PrepSheet data={data} /> : null}
      {module.kind === 'video' ? <VideoModule data={data} /> : null}
      {module.kind === 'session' ? <SessionModule data={data} /> : null}
      {module.kind === 'case_study' ? <CaseAnalysisModule groups={data.caseAnalysis} /> : null}
      {module.placeholder ? <Placeholder data={data} /> : null}
      <ModuleNavigation data={data} />
    </article>
  )
}

function LessonText({ html }: { html: string }) {
  if (!html) return null
  // Rendered on the server by markdown-it with raw HTML escaped and links restricted.
  return <div className="lesson-text" dangerouslySetInnerHTML={{ __html: html }} />
}

function Lesson({ data }: { data: Data }) {
  const t = useT()
  const completion = useFetcher<typeof action>({ key: 'lesson-complete' })
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

function Quiz({ data }: { data: Data }) {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const quiz = data.quiz!
  const failure = actionData && (actionData.intent === 'submit' || actionData.intent === 'start') && !actionData.ok ? actionData : null
  const flagged = new Set(failure?.questions ?? [])
  const busy = navigation.state !== 'idle'
  return (
    <section id="quiz" className="space-y-4" aria-labelledby="quiz-rules">
      {data.module.html ? (
        <div className="card">
          <LessonText html={data.module.html} />
        </div>
      ) : null}
      <div id="quiz-rules" className="card flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700">
        <span>{t('quiz.questions', { count: quiz.questionCount })}</span>
        <span>{t('quiz.passMark', { mark: quiz.passMark })}</span>
        <span data-attempts>
          {quiz.maxAttempts === 0 ? t('quiz.attemptsUnlimited', { used: quiz.attemptsUsed }) : t('quiz.attempts', { used: quiz.attemptsUsed, limit: quiz.maxAttempts })}
        </span>
        <span>{t(`quiz.scoring.${quiz.scoring}`)}</span>
        {quiz.countedScore !== null ? <span className="font-medium">{t('quiz.counted', { score: quiz.countedScore })}</span> : null}
      </div>
      {failure ? (
        <div className="alert" role="alert">
          {t(failure.error)}
        </div>
      ) : null}

      {quiz.open ? (
        <Form method="post" className="space-y-4" aria-label={t('quiz.attemptN', { number: quiz.open.number })}>
          <input type="hidden" name="intent" value="submit" />
          <input type="hidden" name="attemptId" value={quiz.open.id} />
          <h2>{t('quiz.attemptN', { number: quiz.open.number })}</h2>
          <ol className="space-y-4">
            {quiz.open.questions.map((q, i) => {
              const multiple = q.type === 'multiple'
              const chosen = failure?.answers?.[q.id] ?? []
              return (
                <li key={q.id} className={`card space-y-3 ${flagged.has(q.id) ? 'border-red-400' : ''}`} data-question={q.id}>
                  {/* Not a <legend>: browsers always draw it first, and the scenario must come before the question. */}
                  <fieldset
                    className="space-y-3"
                    aria-labelledby={`${q.scenario ? `${q.id}-scenario ` : ''}${q.id}-prompt`}
                    aria-describedby={flagged.has(q.id) ? `${q.id}-error` : undefined}
                  >
                    {q.scenario ? (
                      <div className="rounded-md border-l-4 border-brand-600 bg-brand-50 px-3 py-2 text-slate-800">
                        <p className="text-xs font-semibold uppercase tracking-wide text-brand-800">{t('quiz.scenario')}</p>
                        <p id={`${q.id}-scenario`} className="mt-1 whitespace-pre-line">
                          {pick(q.scenario, locale)}
                        </p>
                      </div>
                    ) : null}
                    <p id={`${q.id}-prompt`} className="font-medium">
                      {i + 1}. {pick(q.prompt, locale)}
                    </p>
                    <p className="text-xs text-slate-600">{multiple ? t('quiz.chooseMany') : t('quiz.chooseOne')}</p>
                    <div className="space-y-2">
                      {q.options.map((o) => (
                        <label key={o.id} className="flex cursor-pointer items-start gap-3 rounded-md border border-slate-200 px-3 py-2 hover:bg-slate-50">
                          <input
                            type={multiple ? 'checkbox' : 'radio'}
                            name={`q.${q.id}`}
                            value={o.id}
                            defaultChecked={chosen.includes(o.id)}
                            className="mt-1 h-4 w-4 shrink-0 accent-brand-700"
                          />
                          <span>{pick(o.text, locale)}</span>
                        </label>
                      ))}
                    </div>
                    {flagged.has(q.id) ? (
                      <p id={`${q.id}-error`} className="field-error">
                        {t('courses.quiz.unanswered')}
                      </p>
                    ) : null}
                  </fieldset>
                </li>
              )
            })}
          </ol>
          <button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>
            {t('quiz.submit')}
          </button>
        </Form>
      ) : null}

      {!quiz.open && quiz.latest ? <QuizResult data={data} /> : null}

      {quiz.canStart ? (
        <Form method="post">
          <button type="submit" name="intent" value="start" className="btn-primary w-full sm:w-auto" disabled={busy}>
            {quiz.attemptsUsed > 0 ? t('quiz.retry') : t('quiz.start')}
          </button>
        </Form>
      ) : null}
      {!data.preview && !quiz.open && !quiz.passed && quiz.remaining === 0 ? (
        <p className="alert" role="status">
          {t('quiz.noAttemptsLeft')}
        </p>
      ) : null}

      {quiz.history.length > 1 ? (
        <section className="card" aria-labelledby="history">
          <h2 id="history">{t('quiz.history')}</h2>
          <ul className="mt-2 divide-y divide-slate-200 text-sm">
            {quiz.history.map((h) => (
              <li key={h.number} className="flex flex-wrap justify-between gap-2 py-2">
                <span>{t('quiz.attemptN', { number: h.number })}</span>
                <span className="tabular-nums">
                  {h.score}% · {h.passed ? t('quiz.passed') : t('quiz.failed')} · {formatDateTime(h.submittedAt)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {quiz.preview ? (
        <section className="space-y-3" aria-labelledby="preview-questions">
          <h2 id="preview-questions">{t('quiz.previewQuestions')}</h2>
          <ol className="space-y-3">
            {quiz.preview.map((q, i) => (
              <li key={q.id} className="card space-y-2 text-sm">
                {q.scenario ? <p className="whitespace-pre-line text-slate-700">{pick(q.scenario, locale)}</p> : null}
                <p className="font-medium">
                  {i + 1}. {pick(q.prompt, locale)}
                </p>
                <ul className="list-disc pl-5">
                  {q.options.map((o) => (
                    <li key={o.id}>{pick(o.text, locale)}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </section>
  )
}

function QuizResult({ data }: { data: Data }) {
  const t = useT()
  const locale = useLocale()
  const quiz = data.quiz!
  const latest = quiz.latest!
  const optionText = (q: (typeof latest.questions)[number], ids: string[]) =>
    ids.map((id) => pick(q.options.find((o) => o.id === id)?.text, locale)).join(locale === 'en' ? '; ' : '；') || '—'
  return (
    <section id="result" className="space-y-4" aria-labelledby="result-title">
      <div className={`card ${latest.passed ? 'border-emerald-300 bg-emerald-50' : 'border-amber-300 bg-amber-50'}`} role="status">
        <h2 id="result-title">
          {t('quiz.attemptN', { number: latest.number })}: {latest.passed ? t('quiz.passed') : t('quiz.failed')}
        </h2>
        <p className="mt-1 text-lg font-semibold tabular-nums" data-score={latest.score}>
          {t('quiz.yourScore', { score: latest.score, mark: quiz.passMark })}
        </p>
      </div>
      <ol className="space-y-3">
        {latest.questions.map((q, i) => (
          <li key={q.id} className={`card space-y-2 border-l-4 ${q.correct ? 'border-l-emerald-600' : 'border-l-red-600'}`} data-feedback={q.correct ? 'correct' : 'incorrect'}>
            {q.scenario ? <p className="whitespace-pre-line text-sm text-slate-700">{pick(q.scenario, locale)}</p> : null}
            <p className="font-medium">
              {i + 1}. {pick(q.prompt, locale)}
            </p>
            <p className={`text-sm font-semibold ${q.correct ? 'text-emerald-800' : 'text-red-800'}`}>{q.correct ? `✓ ${t('quiz.correct')}` : `✗ ${t('quiz.incorrect')}`}</p>
            <p className="text-sm">
              <span className="text-slate-600">{t('quiz.yourAnswer')}</span>{' '}
              {optionText(q, q.chosen)}
            </p>
            {!q.correct ? (
              <p className="text-sm">
                <span className="text-slate-600">{t('quiz.rightAnswer')}</span>{' '}
                {optionText(q, q.answer)}
              </p>
            ) : null}
            <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-800">
              <span className="font-medium">{t('quiz.explanation')}</span>{' '}
              {pick(q.explanation, locale)}
            </p>
          </li>
        ))}
      </ol>
    </section>
  )
}

function PrepSheet({ data }: { data: Data }) {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  const formRef = useRef<HTMLFormElement>(null)
  const autosave = useFetcher<typeof action>({ key: 'prep-autosave' })
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [dirty, setDirty] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const sheet = data.prepSheet
  const fields = data.prepFields ?? []

  const lastSave = autosave.data && autosave.data.intent === 'save' ? autosave.data : null
  const submitted = actionData && (actionData.intent === 'save' || actionData.intent === 'share') ? actionData : null
  const errors: Record<string, string[]> = (submitted && !submitted.ok ? submitted.errors : lastSave && !lastSave.ok ? lastSave.errors : {}) ?? {}
  // The newest of: the last autosave, the last Save/Share button press, what the page loaded with.
  const savedAt =
    [lastSave?.ok ? lastSave.updatedAt : null, submitted?.intent === 'save' && submitted.ok ? submitted.updatedAt : null, sheet?.updatedAt ?? null]
      .filter((d): d is Date => Boolean(d))
      .sort((a, b) => new Date(b).getTime() - new Date(a).getTime())[0] ?? null

  useEffect(() => () => clearTimeout(timer.current), [])
  useEffect(() => {
    if (autosave.state === 'idle' && lastSave?.ok) setDirty(false)
  }, [autosave.state, lastSave])

  const scheduleSave = () => {
    setDirty(true)
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      if (!formRef.current) return
      const formData = new FormData(formRef.current)
      formData.set('intent', 'save')
      autosave.submit(formData, { method: 'post' })
    }, 1200)
  }

  if (!sheet) {
    // Preview: the fields without a form.
    return (
      <div className="space-y-3">
        {data.module.html ? (
          <div className="card">
            <LessonText html={data.module.html} />
          </div>
        ) : null}
        {fields.map((f) => (
          <div key={f.id} className="card">
            <p className="font-medium">{pick(f.label, locale)}</p>
            <p className="text-sm text-slate-600">{pick(f.help, locale)}</p>
          </div>
        ))}
      </div>
    )
  }

  const status =
    autosave.state !== 'idle' ? t('prep.saving') : dirty ? t('prep.unsaved') : savedAt ? t('prep.savedAt', { time: formatDateTime(savedAt) }) : ''
  const sharedNow = submitted && submitted.intent === 'share' && submitted.ok
  return (
    <section className="space-y-4">
      {data.module.html ? (
        <div className="card">
          <LessonText html={data.module.html} />
        </div>
      ) : null}
      <p className="text-slate-700">{t('prep.intro')}</p>
      {sheet.sharedAt ? (
        <p className="notice" role="status" data-shared>
          {t('prep.sharedAt', { manager: sheet.managerName ?? '', time: formatDateTime(sheet.sharedAt) })}
        </p>
      ) : sharedNow || (data.status === 'completed' && !sheet.managerName) ? (
        <p className="notice" role="status">
          {sheet.managerName ? t('prep.sharedNow') : t('prep.finished')}
        </p>
      ) : null}
      {!sheet.managerName ? <p className="text-sm text-slate-600">{t('prep.noManager')}</p> : null}
      {submitted && !submitted.ok ? (
        <p className="alert" role="alert">
          {t('prep.saveFailed')}
        </p>
      ) : null}
      <Form
        method="post"
        ref={formRef}
        className="space-y-4"
        onChange={scheduleSave}
        onSubmit={() => {
          // The button press saves everything now; a pending autosave would only repeat it.
          clearTimeout(timer.current)
          setDirty(false)
        }}
      >
        {fields.map((f) => {
          const id = `field-${f.id}`
          const value = sheet.answers[f.id] ?? ''
          const fieldErrors = errors[f.id]
          const common = {
            id,
            name: `field.${f.id}`,
            defaultValue: value,
            maxLength: 5000,
            className: 'input',
            'aria-describedby': `${id}-help${fieldErrors ? ` ${id}-error` : ''}`,
            'aria-invalid': fieldErrors ? true : undefined,
          }
          return (
            <div key={f.id} className="card space-y-1">
              <label htmlFor={id} className="label">
                {pick(f.label, locale)}
              </label>
              <p id={`${id}-help`} className="text-sm text-slate-600">
                {pick(f.help, locale)}
              </p>
              {f.multiline ? <textarea {...common} rows={5} /> : <input type="text" {...common} />}
              <FieldErrors id={`${id}-error`} errors={fieldErrors} />
            </div>
          )
        })}
        <div className="sticky bottom-0 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-slate-50/95 py-3">
          <button type="submit" name="intent" value="save" className="btn-secondary" disabled={navigation.state !== 'idle'}>
            {t('prep.save')}
          </button>
          <button type="submit" name="intent" value="share" className="btn-primary" disabled={navigation.state !== 'idle'}>
            {!sheet.managerName ? t('prep.finish') : sheet.sharedAt ? t('prep.shareUpdate') : t('prep.share')}
          </button>
          <span className="text-sm text-slate-600" role="status" aria-live="polite" data-save-status>
            {status}
          </span>
        </div>
        <p className="text-xs text-slate-600">{t('prep.shareNote')}</p>
      </Form>
    </section>
  )
}

function Placeholder({ data }: { data: Data }) {
  const t = useT()
  return (
    <div className="space-y-3">
      {data.module.html ? (
        <div className="card">
          <LessonText html={data.module.html} />
        </div>
      ) : null}
      <div className="card border-dashed border-amber-400 bg-amber-50" role="note">
        <p className="font-semibold text-amber-900">{t(`module.comingWith.${data.module.kind}`)}</p>
        <p className="mt-1 text-sm text-amber-900">
          {t('module.placeholderNote')} {data.module.required ? t('module.placeholderRequired') : t('module.placeholderOptional')}
        </p>
      </div>
    </div>
  )
}

/** A teaching video: the module's introduction, the learner's player, and the rule that completes it. */
function VideoModule({ data }: { data: Data }) {
  const t = useT()
  const video = data.video
  const player = video?.player ?? null
  return (
    <div className="space-y-3">
      {data.module.html ? (
        <div className="card">
          <LessonText html={data.module.html} />
        </div>
      ) : null}
      <p className="text-sm text-slate-700" data-rule="video">
        {t('module.video.rule')}
      </p>
      {data.status === 'completed' ? (
        <p className="notice" role="status" data-video-module-done>
          {t('module.video.done')}
        </p>
      ) : null}
      {player ? (
        <section className="space-y-2" aria-label={player.video.title} data-video-module={player.video.id}>
          <div className="flex flex-wrap items-baseline gap-2">
            <h2 className="mr-auto text-lg font-semibold">{player.video.title}</h2>
            {player.video.pair ? (
              <Link to={`/videos/compare/${player.video.id}`} className="text-sm">
                {t('module.video.compare', { kind: t(`videos.kind.${player.video.pair.kind}`) })}
              </Link>
            ) : null}
            <Link to={`/videos/${player.video.id}`} className="text-sm">
              {t('module.video.openFull')}
            </Link>
          </div>
          <LearnerPlayer key={player.video.id} data={player} />
        </section>
      ) : (
        <p className="alert" role="alert">
          {t(video?.unavailable === 'forbidden' ? 'module.video.forbidden' : 'module.video.missing')}
        </p>
      )}
    </div>
  )
}

/** A classroom programme: the person's sessions of it, to answer the invitation, and the attendance that completes it. */
function SessionModule({ data }: { data: Data }) {
  const t = useT()
  const sessionTime = useSessionTime()
  const list = data.sessions?.sessions ?? []
  return (
    <div className="space-y-3">
      {data.module.html ? (
        <div className="card">
          <LessonText html={data.module.html} />
        </div>
      ) : null}
      <p className="text-sm text-slate-700" data-rule="session">
        {t('module.session.rule')}
      </p>
      {data.preview ? null : list.length === 0 ? (
        <p className="notice" role="status" data-no-sessions>
          {t('module.session.none')}
        </p>
      ) : (
        <ul className="space-y-3">
          {list.map((s) => (
            <SessionItem key={s.sessionId} s={s} sessionTime={sessionTime} />
          ))}
        </ul>
      )}
      <p className="text-sm">
        <Link to="/my/sessions">{t('module.session.mySessions')}</Link>
      </p>
    </div>
  )
}

type ModuleSession = NonNullable<Data['sessions']>['sessions'][number]

function SessionItem({ s, sessionTime }: { s: ModuleSession; sessionTime: ReturnType<typeof useSessionTime> }) {
  const t = useT()
  // Answers go to My sessions' action (same rules, same e-mails); this page just reloads its data.
  const respond = useFetcher<{ sessionId: string; error?: string; notice?: string }>({ key: `respond-${s.sessionId}` })
  const busy = respond.state !== 'idle'
  const cancelled = s.sessionStatus === 'cancelled'
  const attended = !cancelled && (s.attendance === 'present' || s.attendance === 'late')
  return (
    <li className="card space-y-2 !p-4" data-session={s.sessionId} data-invitation={s.status} data-attendance={s.attendance ?? 'unmarked'}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="mr-auto text-base font-semibold">{s.title}</h3>
        {cancelled ? <span className="badge bg-red-100 text-red-900">{t('module.session.cancelled')}</span> : <InvitationBadge status={s.status} rank={s.waitlistRank} />}
      </div>
      <p className="text-sm text-slate-700" suppressHydrationWarning>
        {sessionTime(s)}
      </p>
      {s.place || s.onlineUrl ? (
        <p className="text-sm text-slate-700">
          {s.place}
          {s.place && s.onlineUrl ? ' · ' : ''}
          {s.onlineUrl ? (
            <a href={s.onlineUrl} target="_blank" rel="noreferrer">
              {t('module.session.online')}
            </a>
          ) : null}
        </p>
      ) : null}
      {s.attendance ? (
        <p className="text-sm">
          {t('mySessions.attendance')}: <AttendanceBadge status={s.attendance} />
        </p>
      ) : null}
      {attended ? <p className="text-sm text-emerald-800">{t('module.session.attended')}</p> : null}
      {s.attendance === 'excused' ? <p className="text-sm text-slate-700">{t('module.session.excused')}</p> : null}
      {respond.data?.notice ? (
        <p className="notice" role="status">
          {t(respond.data.notice)}
        </p>
      ) : null}
      {respond.data?.error ? <FieldErrors errors={[respond.data.error]} /> : null}
      {s.answerable ? (
        <>
          <respond.Form method="post" action="/my/sessions" className="flex flex-wrap gap-2">
            <input type="hidden" name="sessionId" value={s.sessionId} />
            {s.status !== 'accepted' && s.status !== 'waitlisted' ? (
              <button type="submit" name="intent" value="accept" className="btn-primary min-w-28" disabled={busy}>
                {t('mySessions.accept')}
              </button>
            ) : null}
            {s.status !== 'declined' ? (
              <button type="submit" name="intent" value="decline" className="btn-secondary min-w-28" disabled={busy}>
                {s.status === 'waitlisted' ? t('mySessions.leaveWaitlist') : t('mySessions.decline')}
              </button>
            ) : null}
          </respond.Form>
          {s.status !== 'declined' && !s.absence ? <p className="text-xs text-slate-600">{t('module.session.askExcused')}</p> : null}
        </>
      ) : null}
    </li>
  )
}

function ModuleNavigation({ data }: { data: Data }) {
  const t = useT()
  const locale = useLocale()
  const formatDate = useFormatDate()
  const { course } = data
  return (
    <nav className="grid gap-3 border-t border-slate-200 pt-4 sm:grid-cols-2" aria-label={t('course.modules')}>
      {data.previous ? (
        <Link to={`/learn/${course.key}/${data.previous.key}`} className="btn-secondary justify-start" rel="prev">
          ← {t('module.previous')}: {pick(data.previous.title, locale)}
        </Link>
      ) : (
        <span />
      )}
      {data.next ? (
        <Link to={`/learn/${course.key}/${data.next.key}`} className="btn-primary justify-end text-right" rel="next">
          {t('module.next')}: {pick(data.next.title, locale)} →
        </Link>
      ) : (
        <Link to={`/learn/${course.key}`} className="btn-secondary justify-end">
          {data.courseCompletedAt ? t('course.completed', { date: formatDate(data.courseCompletedAt) }) : t('course.back')}
        </Link>
      )}
    </nav>
  )
}

export const ErrorBoundary = RouteErrorBoundary
