import { and, asc, eq, getTableColumns, isNull, sql } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { courseModules, courses, enrolments, moduleProgress, type CourseModule, type CourseRow, type Enrolment } from '#db/schema'
import { deny } from '~/modules/auth/authorize.server'
import { can, type CurrentUser } from '~/modules/auth/permissions'
import { recomputeCompletions } from './completion.server'
import type { ModuleStatus } from './courses'

/** What every module kind's server code shares: the learner's access to a course and the progress rows. */

export const notFound = () => new Response('Not found', { status: 404 })

/**
 * A refusal found inside a transaction. The denial is audited after the transaction ends:
 * writing the audit row through `db` while a PGlite transaction is open would deadlock.
 */
export class Refused {
  constructor(
    readonly permission: string,
    readonly details: Record<string, unknown>,
  ) {}
}

/** Runs `work` in a transaction; a Refused thrown inside becomes an audited 403 afterwards. */
export async function inTransaction<T>(user: CurrentUser, work: (tx: Executor) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(work)
  } catch (error) {
    if (error instanceof Refused) return deny(user, error.permission, error.details)
    throw error
  }
}

/** The same for reads outside a transaction. */
export async function guarded<T>(user: CurrentUser, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof Refused) return deny(user, error.permission, error.details)
    throw error
  }
}

export type LearnerContext = { course: CourseRow; enrolment: Enrolment | null; preview: boolean }

/**
 * The course as this person may see it: their own enrolment, or a read-only preview for HR
 * and trainers. Anyone else is refused (403, audited); a missing course is 404.
 */
function access(user: CurrentUser, courseKey: string, course: CourseRow | undefined, enrolment: Enrolment | null): LearnerContext {
  const previewer = can(user, 'read:progress:all')
  if (!course || (course.retiredAt && !previewer)) throw notFound()
  const active = enrolment && (enrolment.completedAt || (!enrolment.unenrolledAt && course.status === 'published'))
  if (active) return { course, enrolment, preview: false }
  if (previewer) return { course, enrolment: null, preview: true }
  if (course.status !== 'published') throw notFound()
  throw new Refused('take:courses:own', { course: courseKey })
}

/** The course and the person's enrolment in it (one query), as `access` decides. */
export async function learnerContext(executor: Executor, user: CurrentUser, courseKey: string): Promise<LearnerContext> {
  const [row] = await executor
    .select({ course: courses, enrolment: enrolments })
    .from(courses)
    .leftJoin(enrolments, and(eq(enrolments.courseId, courses.id), eq(enrolments.userId, user.id)))
    .where(eq(courses.contentId, courseKey))
  return access(user, courseKey, row?.course, row?.enrolment ?? null)
}

/** Like learnerContext, but for writes: only the person's own active enrolment will do. */
export async function writableContext(executor: Executor, user: CurrentUser, courseKey: string) {
  const ctx = await learnerContext(executor, user, courseKey)
  if (!ctx.enrolment || ctx.enrolment.unenrolledAt) throw new Refused('take:courses:own', { course: courseKey, write: true })
  return { course: ctx.course, enrolment: ctx.enrolment }
}

/** A module as the course outline needs it: everything but its text and settings, which only the module being opened needs. */
export type ModuleOutline = Omit<CourseModule, 'body' | 'settings'>
export type ModuleStatusRow = { module: ModuleOutline; status: ModuleStatus; lastPosition: number; completedAt: Date | null }

const { body: _body, settings: _settings, ...outlineColumns } = getTableColumns(courseModules)

/**
 * What the course and module pages read, in one query (they are the pages learners open most):
 * the course, the person's enrolment, the modules in order with the person's progress in each,
 * and the text and settings of the module `open` (when given) — not every module's text.
 * Access as `learnerContext` decides (404, or an audited 403 through `guarded`).
 */
export async function learnerOutline(executor: Executor, user: CurrentUser, courseKey: string, open?: string) {
  const rows = await executor
    .select({
      course: courses,
      enrolment: enrolments,
      module: outlineColumns,
      status: moduleProgress.status,
      lastPosition: moduleProgress.lastPosition,
      completedAt: moduleProgress.completedAt,
      body: (open === undefined ? sql`null` : sql`case when ${courseModules.contentId} = ${open} then ${courseModules.body} end`).mapWith(courseModules.body),
      settings: (open === undefined ? sql`null` : sql`case when ${courseModules.contentId} = ${open} then ${courseModules.settings} end`).mapWith(
        courseModules.settings,
      ),
    })
    .from(courses)
    .leftJoin(enrolments, and(eq(enrolments.courseId, courses.id), eq(enrolments.userId, user.id)))
    .leftJoin(courseModules, and(eq(courseModules.courseId, courses.id), isNull(courseModules.retiredAt)))
    .leftJoin(moduleProgress, and(eq(moduleProgress.moduleId, courseModules.id), eq(moduleProgress.userId, user.id)))
    .where(eq(courses.contentId, courseKey))
    .orderBy(asc(courseModules.position))
  const ctx = access(user, courseKey, rows[0]?.course, rows[0]?.enrolment ?? null)
  const list: ModuleStatusRow[] = []
  let opened: CourseModule | null = null
  for (const r of rows) {
    if (!r.module) continue
    list.push({ module: r.module, status: (r.status ?? 'not_started') as ModuleStatus, lastPosition: r.lastPosition ?? 0, completedAt: r.completedAt })
    if (r.module.contentId === open) opened = { ...r.module, body: r.body ?? null, settings: r.settings ?? {} }
  }
  return { ...ctx, modules: list, opened }
}

export async function findModule(executor: Executor, courseId: string, moduleKey: string) {
  const [module] = await executor
    .select()
    .from(courseModules)
    .where(and(eq(courseModules.courseId, courseId), eq(courseModules.contentId, moduleKey), isNull(courseModules.retiredAt)))
  if (!module) throw notFound()
  return module
}

/**
 * Upserts a person's progress in a module. Completion is sticky: once completed, later visits
 * only move the reading position and the last-viewed time.
 */
export async function touchProgress(executor: Executor, enrolment: Enrolment, module: CourseModule, change: { position?: number; complete?: boolean }) {
  const completedAt = change.complete ? new Date() : null
  await executor
    .insert(moduleProgress)
    .values({
      enrolmentId: enrolment.id,
      userId: enrolment.userId,
      moduleId: module.id,
      status: change.complete ? 'completed' : 'in_progress',
      lastPosition: change.position ?? 0,
      completedAt,
      completedVersion: change.complete ? module.version : null,
    })
    .onConflictDoUpdate({
      target: [moduleProgress.userId, moduleProgress.moduleId],
      set: {
        lastViewedAt: sql`now()`,
        lastPosition: change.position === undefined ? sql`${moduleProgress.lastPosition}` : change.position,
        status: change.complete ? sql`'completed'` : sql`${moduleProgress.status}`,
        completedAt: sql`coalesce(${moduleProgress.completedAt}, excluded.completed_at)`,
        completedVersion: sql`coalesce(${moduleProgress.completedVersion}, excluded.completed_version)`,
      },
    })
  if (change.complete) await recomputeCompletions(executor, { courseId: enrolment.courseId, userId: enrolment.userId })
}
