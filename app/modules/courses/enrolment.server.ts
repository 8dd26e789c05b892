import { and, asc, count, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { courseAssignments, courses, departments, enrolments, users } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser, Role } from '~/modules/auth/permissions'
import { endOfDayInChina, splitIdentifiers, type AssignFormValue } from './courses'
import { syncLinkedModules } from './linked-modules.server'
import { audienceCondition } from '~/modules/org/audience.server'

export type AssignInput = { roles?: Role[]; departmentId?: string; userIds?: string[]; dueAt?: Date | null }

/** Whether person `u` is in the audience of assignment `a` (SQL over aliases `a` and `u`). */
const matches = audienceCondition(
  { id: sql`u.id`, departmentId: sql`u.department_id` },
  { roles: sql`a.roles`, departmentId: sql`a.department_id`, userIds: sql`a.user_ids` },
)
/**
 * Brings enrolments in line with the assignments, both ways, in two statements.
 *
 * Withdraws first: an active, unfinished enrolment whose person no longer matches any active
 * assignment of the course (moved out of the department subtree, lost the role, deactivated,
 * or the assignment was removed) gets `unenrolled_at` — "withdrawn". Nothing is deleted: its
 * progress, attempts and prep sheets stay, and reports leave it out. Finished enrolments are
 * history and stay as they are. Enrolments without an assignment are not the sync's to end.
 *
 * Then enrols everyone who matches an active assignment of a published course and is not
 * enrolled yet; someone withdrawn earlier is enrolled again (the same row, so their progress is
 * still there). When several assignments of a course match a person, the oldest one (and its
 * due date) wins. A person who left one assignment's audience but is still in another's is
 * withdrawn and at once re-enrolled under the other, as `unassign` does.
 *
 * A person matches an assignment when listed in its user ids, or when they hold one of its roles
 * (if any) and sit in its department subtree (if any). Only active people match.
 *
 * Call it whenever someone may have joined or left an audience: after an org import, a person's
 * creation, change of roles/department, deactivation or reactivation, and a new assignment.
 */
export async function syncEnrolments(executor: Executor, scope: { userIds?: string[]; courseId?: string; assignmentId?: string } = {}): Promise<number> {
  if (scope.userIds && scope.userIds.length === 0) return 0
  await executor.execute(sql`
    update enrolments e set unenrolled_at = now()
    where e.unenrolled_at is null and e.completed_at is null and e.assignment_id is not null
      ${scope.userIds ? sql`and e.user_id in ${scope.userIds}` : sql``}
      ${scope.courseId ? sql`and e.course_id = ${scope.courseId}` : sql``}
      ${scope.assignmentId ? sql`and e.assignment_id = ${scope.assignmentId}` : sql``}
      and not exists (
        select 1 from course_assignments a join users u on u.id = e.user_id and u.active
        where a.course_id = e.course_id and a.unassigned_at is null and ${matches}
      )`)
  const result = await executor.execute(sql`
    insert into enrolments (course_id, user_id, assignment_id, due_at)
    select distinct on (a.course_id, u.id) a.course_id, u.id, a.id, a.due_at
    from course_assignments a
    join courses c on c.id = a.course_id and c.status = 'published' and c.retired_at is null
    join users u on u.active and ${matches}
    where a.unassigned_at is null
      ${scope.userIds ? sql`and u.id in ${scope.userIds}` : sql``}
      ${scope.courseId ? sql`and a.course_id = ${scope.courseId}` : sql``}
      ${scope.assignmentId ? sql`and a.id = ${scope.assignmentId}` : sql``}
    order by a.course_id, u.id, a.created_at, a.id
    on conflict (course_id, user_id) do update
      set assignment_id = excluded.assignment_id, due_at = excluded.due_at, unenrolled_at = null
      where enrolments.unenrolled_at is not null
    returning enrolments.id, enrolments.user_id as "userId"`)
  const rows = parseRows(z.object({ id: column.text, userId: column.text }), result)
  // Someone coming back may have watched the video or attended the class meanwhile.
  if (rows.length > 0) await syncLinkedModules(executor, { userIds: [...new Set(rows.map((r) => r.userId))], courseId: scope.courseId })
  return rows.length
}

type AssignResult =
  | { ok: true; id: string; enrolled: number }
  | { ok: false; errors: Partial<Record<'roles' | 'departmentId' | 'people' | 'dueDate' | 'form', string[]>>; unknown?: string[] }

/** Assigns a published course to an audience (roles, a department subtree, listed people) and enrols who matches now. */
export async function assignCourse(actor: CurrentUser, courseId: string, input: AssignInput, ip?: string): Promise<AssignResult> {
  await assertCan(actor, 'assign:courses:all')
  const roles = input.roles?.length ? [...new Set(input.roles)] : null
  const userIds = input.userIds?.length ? [...new Set(input.userIds)] : null
  if (!roles && !input.departmentId && !userIds) return { ok: false, errors: { roles: ['courses.assign.noAudience'] } }
  return db.transaction(async (tx) => {
    const [course] = await tx.select().from(courses).where(eq(courses.id, courseId))
    if (!course || course.retiredAt) throw new Response('Not found', { status: 404 })
    if (course.status !== 'published') return { ok: false as const, errors: { form: ['courses.assign.notPublished'] } }
    if (input.departmentId) {
      const [dept] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.id, input.departmentId))
      if (!dept) return { ok: false as const, errors: { departmentId: ['errors.invalid'] } }
    }
    if (userIds) {
      const found = await tx.select({ id: users.id }).from(users).where(inArray(users.id, userIds))
      if (found.length !== userIds.length) return { ok: false as const, errors: { people: ['errors.invalid'] } }
    }
    const [assignment] = await tx
      .insert(courseAssignments)
      .values({ courseId, roles, departmentId: input.departmentId ?? null, userIds, dueAt: input.dueAt ?? null, createdBy: actor.id })
      .returning()
    const enrolled = await syncEnrolments(tx, { assignmentId: assignment.id })
    await audit(
      {
        actorId: actor.id,
        action: 'course.assigned',
        entityType: 'course_assignment',
        entityId: assignment.id,
        after: { courseId, roles, departmentId: input.departmentId ?? null, userIds, dueAt: input.dueAt ?? null, enrolled },
        ip,
      },
      tx,
    )
    return { ok: true as const, id: assignment.id, enrolled }
  })
}

/** The admin form: people are typed as emails or employee numbers; unknown ones are a field error. */
export async function assignCourseFromForm(actor: CurrentUser, courseId: string, value: AssignFormValue, ip?: string): Promise<AssignResult> {
  await assertCan(actor, 'assign:courses:all')
  const identifiers = splitIdentifiers(value.people)
  let userIds: string[] = []
  if (identifiers.length) {
    const lowered = identifiers.map((i) => i.toLowerCase())
    const found = await db
      .select({ id: users.id, email: users.email, employeeNumber: users.employeeNumber })
      .from(users)
      .where(or(inArray(users.email, lowered), inArray(users.employeeNumber, identifiers)))
    const unknown = identifiers.filter((i) => !found.some((f) => f.email === i.toLowerCase() || f.employeeNumber === i))
    if (unknown.length) return { ok: false, errors: { people: ['courses.assign.unknownPeople'] }, unknown }
    userIds = found.map((f) => f.id)
  }
  return assignCourse(
    actor,
    courseId,
    { roles: value.roles, departmentId: value.departmentId, userIds, dueAt: value.dueDate ? endOfDayInChina(value.dueDate) : null },
    ip,
  )
}

/**
 * Ends an assignment. Nothing is deleted: its unfinished enrolments get `unenrolled_at` (their
 * progress stays), finished ones stay as they are, and anyone another active assignment of the
 * course still covers is moved over to it instead.
 */
export async function unassign(actor: CurrentUser, assignmentId: string, ip?: string) {
  await assertCan(actor, 'assign:courses:all')
  return db.transaction(async (tx) => {
    const [assignment] = await tx.select().from(courseAssignments).where(eq(courseAssignments.id, assignmentId))
    if (!assignment) throw new Response('Not found', { status: 404 })
    if (assignment.unassignedAt) return { ok: true as const, unenrolled: 0 }
    await tx.update(courseAssignments).set({ unassignedAt: new Date(), unassignedBy: actor.id }).where(eq(courseAssignments.id, assignmentId))
    const ended = await tx
      .update(enrolments)
      .set({ unenrolledAt: new Date() })
      .where(and(eq(enrolments.assignmentId, assignmentId), isNull(enrolments.unenrolledAt), isNull(enrolments.completedAt)))
      .returning({ userId: enrolments.userId })
    const kept = await syncEnrolments(tx, { courseId: assignment.courseId, userIds: ended.map((e) => e.userId) })
    await audit(
      {
        actorId: actor.id,
        action: 'course.unassigned',
        entityType: 'course_assignment',
        entityId: assignmentId,
        after: { unenrolled: ended.length - kept, kept },
        ip,
      },
      tx,
    )
    return { ok: true as const, unenrolled: ended.length - kept }
  })
}

/** A course's assignments, newest first, with how many people each enrolled and how many finished. */
export async function listAssignments(actor: CurrentUser, courseId: string) {
  await assertCan(actor, 'assign:courses:all')
  const rows = await db
    .select({
      id: courseAssignments.id,
      roles: courseAssignments.roles,
      departmentPath: departments.path,
      userIds: courseAssignments.userIds,
      dueAt: courseAssignments.dueAt,
      createdAt: courseAssignments.createdAt,
      unassignedAt: courseAssignments.unassignedAt,
      createdByName: users.name,
      enrolled: sql<number>`(select count(*)::int from ${enrolments} e where e.assignment_id = ${courseAssignments.id} and e.unenrolled_at is null)`,
      completed: sql<number>`(select count(*)::int from ${enrolments} e where e.assignment_id = ${courseAssignments.id} and e.completed_at is not null)`,
    })
    .from(courseAssignments)
    .leftJoin(departments, eq(departments.id, courseAssignments.departmentId))
    .leftJoin(users, eq(users.id, courseAssignments.createdBy))
    .where(eq(courseAssignments.courseId, courseId))
    .orderBy(asc(sql`${courseAssignments.unassignedAt} is not null`), desc(courseAssignments.createdAt))
  // Names of explicitly listed people, in one query for all assignments.
  const listed = [...new Set(rows.flatMap((r) => r.userIds ?? []))]
  const names = listed.length ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, listed)) : []
  const nameOf = new Map(names.map((n) => [n.id, n.name]))
  return rows.map((r) => ({
    ...r,
    roles: r.roles ?? [],
    people: (r.userIds ?? []).map((id) => nameOf.get(id) ?? id),
  }))
}

export async function countActiveEnrolments(executor: Executor, courseId: string) {
  const [row] = await executor
    .select({ n: count() })
    .from(enrolments)
    .where(and(eq(enrolments.courseId, courseId), isNull(enrolments.unenrolledAt)))
  return Number(row.n)
}
