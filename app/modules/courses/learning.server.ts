import { eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { users } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { isPlaceholder, pick, placeholderKinds, type ModuleStatus, type UiLocale } from './courses'
import { loadKindState } from './kinds/registry.server'
import { guarded, learnerContext, learnerOutline, notFound, type ModuleOutline } from './learner.server'
import { renderMarkdown } from '~/shared/markdown.server'

export type { ModuleStatus }
// Each kind's actions live in its file (kinds/<kind>.server.ts); re-exported for the routes.
export { completeLesson, recordPosition } from './kinds/lesson.server'
export { checkAnswers, scoreOf, startQuizAttempt, submitQuizAttempt, type QuizError } from './kinds/quiz.server'
export { savePrepSheet, sharePrepSheet } from './kinds/prep-sheet.server'

const MyLearningRow = z.object({
  courseKey: column.text,
  title: column.localized,
  description: column.localized,
  estimatedMinutes: column.number,
  dueAt: column.dateOrNull,
  enrolledAt: column.date,
  completedAt: column.dateOrNull,
  requiredCount: column.number,
  completedCount: column.number,
  nextModuleKey: column.textOrNull,
  nextModuleTitle: column.localized.nullable(),
  nextModuleKind: column.textOrNull,
  overdue: column.boolean,
})

/**
 * The courses a person is taking (or has finished), with progress and what comes next, in one
 * query. A read: enrolments and linked modules are brought up to date where their sources change
 * (assignments, org changes, publishing, attendance, videos, grading), never on a page view.
 */
export async function listMyLearning(user: CurrentUser) {
  const result = await db.execute(sql`
    select c.content_id as "courseKey", c.title, c.description, c.estimated_minutes as "estimatedMinutes",
      e.due_at as "dueAt", e.enrolled_at as "enrolledAt", e.completed_at as "completedAt",
      coalesce(req.total, 0)::int as "requiredCount", coalesce(req.done, 0)::int as "completedCount",
      nxt.content_id as "nextModuleKey", nxt.title as "nextModuleTitle", nxt.kind as "nextModuleKind",
      (e.completed_at is null and e.due_at is not null and e.due_at < now()) as overdue
    from enrolments e
    join courses c on c.id = e.course_id
    left join lateral (
      select count(*) as total,
        count(*) filter (where exists (select 1 from module_progress p where p.module_id = m.id and p.user_id = e.user_id and p.status = 'completed')) as done
      from course_modules m where m.course_id = c.id and m.required and m.retired_at is null
    ) req on true
    left join lateral (
      select m.content_id, m.title, m.kind from course_modules m
      where m.course_id = c.id and m.retired_at is null
        ${
          placeholderKinds.length
            ? sql`and (m.required or m.kind::text not in (${sql.join(
                placeholderKinds.map((k) => sql`${k}`),
                sql`, `,
              )}))`
            : sql``
        }
        and not exists (select 1 from module_progress p where p.module_id = m.id and p.user_id = e.user_id and p.status = 'completed')
      order by m.position limit 1
    ) nxt on true
    where e.user_id = ${user.id}
      and (e.completed_at is not null or (e.unenrolled_at is null and c.status = 'published' and c.retired_at is null))
    order by (e.completed_at is not null), e.due_at asc nulls last, c.content_id`)
  return parseRows(MyLearningRow, result).map((r) => ({
    ...r,
    percent: r.completedAt ? 100 : r.requiredCount === 0 ? 0 : Math.floor((r.completedCount * 100) / r.requiredCount),
  }))
}

function summary(m: ModuleOutline) {
  return {
    key: m.contentId,
    kind: m.kind,
    title: m.title,
    required: m.required,
    estimatedMinutes: m.estimatedMinutes,
    keyPoints: m.keyPoints,
    placeholder: isPlaceholder(m.kind),
  }
}

/** The first module worth opening next: unfinished, and not an optional placeholder nobody can finish yet. */
function resumeTarget(list: { module: ModuleOutline; status: ModuleStatus }[]) {
  const open = list.filter((m) => m.status !== 'completed' && (m.module.required || !isPlaceholder(m.module.kind)))
  return open[0]?.module.contentId ?? null
}

/** A course's modules in order with the person's status in each, and where to resume. */
export async function getCourseOverview(user: CurrentUser, courseKey: string) {
  const ctx = await guarded(user, () => learnerOutline(db, user, courseKey))
  const list = ctx.modules
  const required = list.filter((m) => m.module.required)
  return {
    course: {
      key: ctx.course.contentId,
      title: ctx.course.title,
      description: ctx.course.description,
      estimatedMinutes: ctx.course.estimatedMinutes,
      audience: ctx.course.audience,
    },
    preview: ctx.preview,
    enrolment: ctx.enrolment && { dueAt: ctx.enrolment.dueAt, enrolledAt: ctx.enrolment.enrolledAt, completedAt: ctx.enrolment.completedAt },
    overdue: Boolean(ctx.enrolment && !ctx.enrolment.completedAt && ctx.enrolment.dueAt && ctx.enrolment.dueAt < new Date()),
    modules: list.map((m) => ({ ...summary(m.module), status: ctx.preview ? ('not_started' as const) : m.status })),
    requiredCount: required.length,
    completedCount: ctx.preview ? 0 : required.filter((m) => m.status === 'completed').length,
    resume: ctx.preview ? (list[0]?.module.contentId ?? null) : resumeTarget(list),
    started: !ctx.preview && list.some((m) => m.status !== 'not_started'),
  }
}

/** One module for the learner: its text rendered, their progress, and the quiz, prep sheet, video or sessions. */
export async function getModuleForLearner(user: CurrentUser, courseKey: string, moduleKey: string, locale: UiLocale) {
  const ctx = await guarded(user, () => learnerOutline(db, user, courseKey, moduleKey))
  const list = ctx.modules
  const index = list.findIndex((m) => m.module.contentId === moduleKey)
  const module = ctx.opened
  if (index === -1 || !module) throw notFound()
  const current = list[index]
  const status = ctx.preview ? 'not_started' : current.status
  const neighbour = (i: number) => (list[i] ? { key: list[i].module.contentId, title: list[i].module.title, kind: list[i].module.kind } : null)
  return {
    course: { key: ctx.course.contentId, title: ctx.course.title },
    preview: ctx.preview,
    courseCompletedAt: ctx.enrolment?.completedAt ?? null,
    module: { ...summary(module), version: module.version, html: renderMarkdown(pick(module.body, locale)), ref: module.settings.ref ?? null },
    position: { index: index + 1, of: list.length },
    status,
    lastPosition: ctx.preview ? 0 : current.lastPosition,
    previous: neighbour(index - 1),
    next: neighbour(index + 1),
    ...(await loadKindState({ executor: db, user, module, status, preview: ctx.preview, locale })),
  }
}

/** Whether the person may download a certificate for this course: only once it is complete. */
export async function getCompletedEnrolment(user: CurrentUser, courseKey: string) {
  const ctx = await guarded(user, () => learnerContext(db, user, courseKey))
  if (!ctx.enrolment?.completedAt) throw notFound()
  const [person] = await db.select({ name: users.name }).from(users).where(eq(users.id, user.id))
  return { course: ctx.course, completedAt: ctx.enrolment.completedAt, name: person.name }
}
