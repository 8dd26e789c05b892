import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react'
import { z } from 'zod'
import lessonStyles from '~/components/courses/lesson.css?url'
import { moduleKindViews } from '~/components/courses/kinds'
import { StatusBadge, useFormatDate } from '~/components/courses/ui'
import { RouteErrorBoundary } from '~/components/route-error'
import { videoShouldRevalidate } from '~/components/video/learner-player'
import { resolveLocale } from '~/i18n/locale.server'
import { useLocale, useT } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { answersFromForm, CompleteLessonForm, pick, PositionForm, QuizForm } from '~/modules/courses/courses'
import {
  completeLesson,
  getModuleForLearner,
  recordPosition,
  savePrepSheet,
  sharePrepSheet,
  startQuizAttempt,
  submitQuizAttempt,
} from '~/modules/courses/learning.server'
import { param, parseOr400, readForm } from '~/shared/forms'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: lessonStyles }]

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (_, locale) => pick(data?.module.title, locale))

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
  const KindView = moduleKindViews[module.kind]
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
      <KindView data={data} />
      <ModuleNavigation data={data} />
    </article>
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
