import { asc, eq, isNull, sql, type SQL } from 'drizzle-orm'
import { inDepartmentSubtree } from '~/modules/org/audience.server'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { courseModules, courses, departments, prepSheets, users, type Localized } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { progressStatuses, type ProgressFilters, type ProgressStatus } from './courses'
import { listAssignments, syncEnrolments } from './enrolment.server'

export const PROGRESS_PAGE_SIZE = 50
/** An export is one file in memory; beyond this HR should filter (by course or department). */
export const EXPORT_MAX_ROWS = 100_000

const CourseSummaryRow = z.object({
  key: column.text,
  title: column.localized,
  audience: z.enum(['managers', 'employees']),
  status: z.enum(['draft', 'published']),
  retiredAt: column.dateOrNull,
  estimatedMinutes: column.number,
  modules: column.number,
  enrolled: column.number,
  completed: column.number,
  overdue: column.number,
})

/** Every course with its module count and enrolment figures, in one query. */
export async function listCourseSummaries(actor: CurrentUser) {
  await assertCan(actor, 'read:progress:all')
  const result = await db.execute(sql`
    select c.content_id as "key", c.title, c.audience, c.status, c.retired_at as "retiredAt", c.estimated_minutes as "estimatedMinutes",
      (select count(*) from course_modules m where m.course_id = c.id and m.retired_at is null)::int as modules,
      count(e.id) filter (where e.unenrolled_at is null)::int as enrolled,
      count(e.id) filter (where e.completed_at is not null and e.unenrolled_at is null)::int as completed,
      count(e.id) filter (where e.unenrolled_at is null and e.completed_at is null and e.due_at < now())::int as overdue
    from courses c
    left join enrolments e on e.course_id = c.id
    group by c.id
    order by c.retired_at is not null, c.content_id`)
  return parseRows(CourseSummaryRow, result)
}

async function courseByKey(key: string) {
  const [course] = await db.select().from(courses).where(eq(courses.contentId, key))
  if (!course) throw new Response('Not found', { status: 404 })
  return course
}

/** One course for HR: its modules (with versions), assignments, and what the assign form offers. */
export async function getCourseAdmin(actor: CurrentUser, key: string) {
  await assertCan(actor, 'read:progress:all')
  const course = await courseByKey(key)
  const [modules, assignments, depts] = await Promise.all([
    db
      .select({
        key: courseModules.contentId,
        kind: courseModules.kind,
        title: courseModules.title,
        required: courseModules.required,
        version: courseModules.version,
        position: courseModules.position,
        retiredAt: courseModules.retiredAt,
      })
      .from(courseModules)
      .where(eq(courseModules.courseId, course.id))
      .orderBy(sql`${courseModules.retiredAt} is not null`, asc(courseModules.position)),
    listAssignments(actor, course.id),
    db.select({ id: departments.id, path: departments.path }).from(departments).orderBy(asc(departments.path)),
  ])
  return {
    course: {
      id: course.id,
      key: course.contentId,
      title: course.title,
      description: course.description,
      audience: course.audience,
      status: course.status,
      retiredAt: course.retiredAt,
    },
    modules,
    assignments,
    departments: depts,
  }
}

/** Publishes or unpublishes a course (HR admins). Unpublished courses cannot be opened or assigned. */
export async function setCourseStatus(actor: CurrentUser, key: string, status: 'draft' | 'published', ip?: string) {
  await assertCan(actor, 'manage:courses:all')
  const course = await courseByKey(key)
  if (course.status === status) return { ok: true as const }
  await db.transaction(async (tx) => {
    await tx.update(courses).set({ status, updatedAt: new Date() }).where(eq(courses.id, course.id))
    // Publishing enrols whoever its assignments already name (pages only read enrolments).
    if (status === 'published') await syncEnrolments(tx, { courseId: course.id })
    await audit(
      {
        actorId: actor.id,
        action: 'course.status_changed',
        entityType: 'course',
        entityId: course.id,
        before: { status: course.status },
        after: { status },
        ip,
      },
      tx,
    )
  })
  return { ok: true as const }
}

export type ProgressRow = {
  enrolmentId: string
  userId: string
  name: string
  email: string
  employeeNumber: string | null
  department: string | null
  courseKey: string
  courseTitle: Localized
  dueAt: Date | null
  enrolledAt: Date
  completedAt: Date | null
  lastActivity: Date | null
  requiredCount: number
  doneCount: number
  percent: number
  quizAverage: number | null
  status: ProgressStatus
  overdue: boolean
}

/** One row of the progress query, with the filtered set's totals repeated on each. */
const ProgressQueryRow = z.object({
  enrolmentId: column.text,
  userId: column.text,
  name: column.text,
  email: column.text,
  employeeNumber: column.textOrNull,
  department: column.textOrNull,
  courseKey: column.text,
  courseTitle: column.localized,
  dueAt: column.dateOrNull,
  enrolledAt: column.date,
  completedAt: column.dateOrNull,
  lastActivity: column.dateOrNull,
  requiredCount: column.number,
  doneCount: column.number,
  quizAverage: column.numberOrNull,
  status: z.enum(progressStatuses),
  overdue: column.boolean,
  total: column.number,
  totalCompleted: column.number,
  totalInProgress: column.number,
  totalNotStarted: column.number,
  totalOverdue: column.number,
})

export type ProgressTotals = { total: number; completed: number; inProgress: number; notStarted: number; overdue: number }

/**
 * The course × learner matrix: one row per active enrolment with its status, computed in SQL,
 * filtered and paged there too, with totals for the whole filtered set. `managerId` limits it
 * to that manager's direct reports.
 */
async function progressQuery(filters: Omit<ProgressFilters, 'page'>, options: { limit: number; offset: number; managerId?: string }) {
  const where: SQL[] = [sql`e.unenrolled_at is null`]
  if (options.managerId) where.push(sql`u.manager_id = ${options.managerId} and u.active`)
  if (filters.course) where.push(sql`c.content_id = ${filters.course}`)
  if (filters.department) {
    where.push(inDepartmentSubtree(sql`u.department_id`, filters.department))
  }
  if (filters.q) {
    const like = `%${filters.q}%`
    where.push(sql`(u.name ilike ${like} or u.email ilike ${like} or u.employee_number ilike ${like})`)
  }
  const outer: SQL[] = [sql`true`]
  if (filters.status) outer.push(sql`status = ${filters.status}`)
  if (filters.overdue) outer.push(sql`overdue`)

  const result = await db.execute(sql`
    with rows as (
      select e.id as "enrolmentId", u.id as "userId", u.name, u.email, u.employee_number as "employeeNumber", d.path as department,
        c.content_id as "courseKey", c.title as "courseTitle",
        e.due_at as "dueAt", e.enrolled_at as "enrolledAt", e.completed_at as "completedAt",
        act.last_activity as "lastActivity",
        coalesce(req.total, 0)::int as "requiredCount", coalesce(req.done, 0)::int as "doneCount",
        quiz.average as "quizAverage",
        case when e.completed_at is not null then 'completed'
             when act.last_activity is not null then 'in_progress'
             else 'not_started' end as status,
        (e.completed_at is null and e.due_at is not null and e.due_at < now()) as overdue
      from enrolments e
      join users u on u.id = e.user_id
      join courses c on c.id = e.course_id
      left join departments d on d.id = u.department_id
      left join lateral (
        select count(*) as total, count(p.id) as done
        from course_modules m
        left join module_progress p on p.module_id = m.id and p.user_id = e.user_id and p.status = 'completed'
        where m.course_id = e.course_id and m.required and m.retired_at is null
      ) req on true
      left join lateral (select max(p.last_viewed_at) as last_activity from module_progress p where p.enrolment_id = e.id) act on true
      left join lateral (
        select round(avg(best))::int as average from (
          select max(a.score) as best from quiz_attempts a
          join course_modules m on m.id = a.module_id and m.course_id = e.course_id
          where a.user_id = e.user_id and a.submitted_at is not null
          group by a.module_id) s
      ) quiz on true
      where ${sql.join(where, sql` and `)}
    )
    select *,
      count(*) over () as "total",
      count(*) filter (where status = 'completed') over () as "totalCompleted",
      count(*) filter (where status = 'in_progress') over () as "totalInProgress",
      count(*) filter (where status = 'not_started') over () as "totalNotStarted",
      count(*) filter (where overdue) over () as "totalOverdue"
    from rows
    where ${sql.join(outer, sql` and `)}
    order by "courseKey", department nulls last, name, "enrolmentId"
    limit ${options.limit} offset ${options.offset}`)
  const raw = parseRows(ProgressQueryRow, result)
  const rows: ProgressRow[] = raw.map(({ total: _t, totalCompleted: _c, totalInProgress: _i, totalNotStarted: _n, totalOverdue: _o, ...r }) => ({
    ...r,
    percent: r.completedAt ? 100 : r.requiredCount ? Math.floor((r.doneCount * 100) / r.requiredCount) : 0,
  }))
  const first = raw[0]
  const totals: ProgressTotals = first
    ? {
        total: first.total,
        completed: first.totalCompleted,
        inProgress: first.totalInProgress,
        notStarted: first.totalNotStarted,
        overdue: first.totalOverdue,
      }
    : { total: 0, completed: 0, inProgress: 0, notStarted: 0, overdue: 0 }
  return { rows, totals }
}

/** HR's and trainers' progress report, one page at a time, with the filter choices. */
export async function listProgress(actor: CurrentUser, filters: ProgressFilters) {
  await assertCan(actor, 'read:progress:all')
  const [{ rows, totals }, courseOptions, departmentOptions] = await Promise.all([
    progressQuery(filters, { limit: PROGRESS_PAGE_SIZE, offset: (filters.page - 1) * PROGRESS_PAGE_SIZE }),
    db.select({ key: courses.contentId, title: courses.title }).from(courses).where(isNull(courses.retiredAt)).orderBy(asc(courses.contentId)),
    db.select({ id: departments.id, path: departments.path }).from(departments).orderBy(asc(departments.path)),
  ])
  // A page past the end (after filters changed) still reports the totals of the filtered set.
  const pages = Math.max(1, Math.ceil(totals.total / PROGRESS_PAGE_SIZE))
  return { rows, totals, page: filters.page, pages, courses: courseOptions, departments: departmentOptions }
}

/** Every filtered row (no paging) for CSV/XLSX export. */
export async function progressForExport(actor: CurrentUser, filters: ProgressFilters, ip?: string) {
  await assertCan(actor, 'read:progress:all')
  const { rows } = await progressQuery(filters, { limit: EXPORT_MAX_ROWS, offset: 0 })
  await audit({ actorId: actor.id, action: 'progress.exported', details: { filters, rows: rows.length }, ip })
  return rows
}

/** A manager's direct reports and their courses (HR may look at any manager's team). */
export async function listTeamProgress(actor: CurrentUser, managerId = actor.id) {
  await assertCan(actor, 'read:progress:team')
  if (managerId !== actor.id) await assertCan(actor, 'read:progress:all', { managerId })
  const { rows } = await progressQuery({ overdue: false }, { limit: 5_000, offset: 0, managerId })
  return rows
}

const SharedPrepSheetRow = z.object({
  id: column.text,
  userId: column.text,
  name: column.text,
  answers: z.record(z.string()),
  sharedAt: column.date,
  updatedAt: column.date,
  moduleTitle: column.localized,
  // Only the fields' ids and labels are shown next to the answers.
  settings: z.object({ fields: z.array(z.object({ id: column.text, label: column.localized })).optional() }),
  courseKey: column.text,
})

/**
 * The latest preparation sheet each of the manager's direct reports shared with this manager: the
 * snapshot taken when sharing (never the draft since), with the sheet's field labels, newest first.
 * A sheet shared with a previous manager stays invisible to the new one.
 */
export async function listSharedPrepSheets(actor: CurrentUser) {
  await assertCan(actor, 'read:progress:team')
  const result = await db.execute(sql`
    select distinct on (p.user_id) p.id, p.user_id as "userId", u.name, p.shared_answers as answers, p.shared_with_manager_at as "sharedAt",
      p.updated_at as "updatedAt", m.title as "moduleTitle", m.settings, c.content_id as "courseKey"
    from ${prepSheets} p
    join ${users} u on u.id = p.user_id
    join ${courseModules} m on m.id = p.module_id
    join ${courses} c on c.id = m.course_id
    where u.manager_id = ${actor.id} and p.shared_with_manager_id = ${actor.id} and u.active
      and p.shared_with_manager_at is not null and p.shared_answers is not null
    order by p.user_id, p.shared_with_manager_at desc`)
  return parseRows(SharedPrepSheetRow, result)
    .map((r) => ({
      id: r.id,
      userId: r.userId,
      name: r.name,
      sharedAt: r.sharedAt,
      updatedAt: r.updatedAt,
      moduleTitle: r.moduleTitle,
      fields: (r.settings.fields ?? []).map((f) => ({ id: f.id, label: f.label, value: r.answers[f.id] ?? '' })),
    }))
    .sort((a, b) => b.sharedAt.getTime() - a.sharedAt.getTime())
}
