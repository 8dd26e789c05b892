import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { auditEvents, courseAssignments, courses, enrolments, moduleProgress, userRoles, users } from '#db/schema'
import { createPerson } from '../../../tests/setup/fixtures'
import { department, fixtureCourse } from '../../../tests/setup/courses'
import { assignCourse, assignCourseFromForm, listAssignments, syncEnrolments, unassign } from './enrolment.server'

async function enrolmentOf(courseId: string, userId: string) {
  const [row] = await db
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.courseId, courseId), eq(enrolments.userId, userId)))
  return row
}

/** A fresh published copy of the fixture course, so each test has its own enrolments. */
async function freshCourse() {
  const { course } = await fixtureCourse()
  const [copy] = await db
    .insert(courses)
    .values({
      contentId: `copy-${crypto.randomUUID().slice(0, 8)}`,
      audience: course.audience,
      title: course.title,
      description: course.description,
      estimatedMinutes: 10,
      status: 'published',
    })
    .returning()
  return copy
}

describe('assigning courses', () => {
  it('enrols the active holders of a role, and nobody else', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const course = await freshCourse()
    const manager = await createPerson({ roles: ['manager'] })
    const employee = await createPerson({ roles: ['employee'] })
    const gone = await createPerson({ roles: ['manager'], active: false })
    const dueAt = new Date('2030-01-31T15:59:59Z')
    const result = await assignCourse(hr, course.id, { roles: ['manager'], dueAt })
    expect(result).toMatchObject({ ok: true })
    expect(await enrolmentOf(course.id, manager.id)).toMatchObject({ dueAt, unenrolledAt: null })
    expect(await enrolmentOf(course.id, employee.id)).toBeUndefined()
    expect(await enrolmentOf(course.id, gone.id)).toBeUndefined()
  })

  it('enrols a department with its whole subtree, but not a sibling department', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const course = await freshCourse()
    const sales = await department('Sales')
    const east = await department('Sales/East', sales.id)
    const rnd = await department('R&D')
    const salesPerson = await createPerson({ departmentId: sales.id })
    const eastPerson = await createPerson({ departmentId: east.id })
    const engineer = await createPerson({ departmentId: rnd.id })
    // "Sales Ops" shares the prefix "Sales" but is not under it.
    const salesOps = await department('Sales Ops')
    const opsPerson = await createPerson({ departmentId: salesOps.id })
    await assignCourse(hr, course.id, { departmentId: sales.id })
    expect(await enrolmentOf(course.id, salesPerson.id)).toBeDefined()
    expect(await enrolmentOf(course.id, eastPerson.id)).toBeDefined()
    expect(await enrolmentOf(course.id, engineer.id)).toBeUndefined()
    expect(await enrolmentOf(course.id, opsPerson.id)).toBeUndefined()
  })

  it('combines role and department as "managers in this subtree"', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const course = await freshCourse()
    const ops = await department('Operations')
    const opsManager = await createPerson({ roles: ['manager'], departmentId: ops.id })
    const opsEmployee = await createPerson({ roles: ['employee'], departmentId: ops.id })
    const otherManager = await createPerson({ roles: ['manager'] })
    await assignCourse(hr, course.id, { roles: ['manager'], departmentId: ops.id })
    expect(await enrolmentOf(course.id, opsManager.id)).toBeDefined()
    expect(await enrolmentOf(course.id, opsEmployee.id)).toBeUndefined()
    expect(await enrolmentOf(course.id, otherManager.id)).toBeUndefined()
  })

  it('enrols an explicit list of people given by email or employee number', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    const course = await freshCourse()
    const a = await createPerson({ employeeNumber: `N${Date.now()}` })
    const b = await createPerson()
    const c = await createPerson()
    const [aRow] = await db.select().from(users).where(eq(users.id, a.id))
    const result = await assignCourseFromForm(trainer, course.id, {
      intent: 'assign',
      people: `${aRow.employeeNumber}\n${b.email.toUpperCase()}`,
      dueDate: '2030-06-30',
    })
    expect(result).toMatchObject({ ok: true, enrolled: 2 })
    expect((await enrolmentOf(course.id, a.id)).dueAt).toEqual(new Date('2030-06-30T15:59:59Z'))
    expect(await enrolmentOf(course.id, b.id)).toBeDefined()
    expect(await enrolmentOf(course.id, c.id)).toBeUndefined()
    const unknown = await assignCourseFromForm(trainer, course.id, { intent: 'assign', people: `${b.email} nobody@example.test` })
    expect(unknown).toEqual({ ok: false, errors: { people: ['courses.assign.unknownPeople'] }, unknown: ['nobody@example.test'] })
  })

  it('enrols a person who joins the audience later when syncEnrolments runs for them', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const course = await freshCourse()
    const support = await department('Support')
    await assignCourse(hr, course.id, { roles: ['manager'], departmentId: support.id })
    // A new hire (as the org import or HR's person form would create them) …
    const newcomer = await createPerson({ roles: ['manager'], departmentId: support.id })
    expect(await enrolmentOf(course.id, newcomer.id)).toBeUndefined()
    // (Other tests' manager assignments match them too.)
    expect(await syncEnrolments(db, { userIds: [newcomer.id] })).toBeGreaterThanOrEqual(1)
    expect(await enrolmentOf(course.id, newcomer.id)).toMatchObject({ unenrolledAt: null })
    // … and someone who moves into the department and is promoted.
    const mover = await createPerson({ roles: ['employee'] })
    await db.update(users).set({ departmentId: support.id }).where(eq(users.id, mover.id))
    await db.insert(userRoles).values({ userId: mover.id, role: 'manager' })
    await syncEnrolments(db, { userIds: [mover.id] })
    expect(await enrolmentOf(course.id, mover.id)).toBeDefined()
    // Running it again changes nothing.
    expect(await syncEnrolments(db, { userIds: [newcomer.id, mover.id] })).toBe(0)
  })

  it("lists each assignment's roles and listed people as arrays on either driver", async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const course = await freshCourse()
    const listed = await createPerson({ name: 'Listed Person' })
    await assignCourse(hr, course.id, { roles: ['manager', 'trainer'] })
    await assignCourse(hr, course.id, { userIds: [listed.id] })
    const shown = await listAssignments(hr, course.id)
    expect(shown.map((a) => ({ roles: a.roles, people: a.people })).sort((x, y) => x.roles.length - y.roles.length)).toEqual([
      { roles: [], people: ['Listed Person'] },
      { roles: ['manager', 'trainer'], people: [] },
    ])
  })

  it('does not enrol anyone in a draft course', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const course = await freshCourse()
    await db.update(courses).set({ status: 'draft' }).where(eq(courses.id, course.id))
    expect(await assignCourse(hr, course.id, { roles: ['employee'] })).toEqual({ ok: false, errors: { form: ['courses.assign.notPublished'] } })
  })

  it('refuses people without the permission with 403 and records the denial', async () => {
    const course = await freshCourse()
    const employee = await createPerson({ roles: ['employee'] })
    const thrown = await assignCourse(employee, course.id, { roles: ['employee'] }).catch((e: unknown) => e)
    expect(thrown).toBeInstanceOf(Response)
    expect((thrown as Response).status).toBe(403)
    const denials = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, employee.id), eq(auditEvents.action, 'access.denied')))
    expect(denials).toHaveLength(1)
    expect(denials[0].details).toMatchObject({ permission: 'assign:courses:all' })
    expect(await db.select().from(courseAssignments).where(eq(courseAssignments.courseId, course.id))).toHaveLength(0)
  })
})

describe('unassigning', () => {
  it('keeps history: unfinished enrolments are marked unenrolled with their progress; finished ones stay', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const { modules } = await fixtureCourse()
    const course = await freshCourse()
    const started = await createPerson({ roles: ['employee'] })
    const finished = await createPerson({ roles: ['employee'] })
    const result = await assignCourse(hr, course.id, { userIds: [started.id, finished.id] })
    if (!result.ok) throw new Error('assign failed')
    const startedEnrolment = await enrolmentOf(course.id, started.id)
    await db.insert(moduleProgress).values({ enrolmentId: startedEnrolment.id, userId: started.id, moduleId: modules.welcome.id, lastPosition: 40 })
    const finishedAt = new Date('2029-01-01T00:00:00Z')
    await db
      .update(enrolments)
      .set({ completedAt: finishedAt })
      .where(and(eq(enrolments.courseId, course.id), eq(enrolments.userId, finished.id)))

    expect(await unassign(hr, result.id)).toEqual({ ok: true, unenrolled: 1 })
    const [assignment] = await db.select().from(courseAssignments).where(eq(courseAssignments.id, result.id))
    expect(assignment.unassignedAt).not.toBeNull()
    expect((await enrolmentOf(course.id, started.id)).unenrolledAt).not.toBeNull()
    expect(await enrolmentOf(course.id, finished.id)).toMatchObject({ completedAt: finishedAt, unenrolledAt: null })
    const progress = await db.select().from(moduleProgress).where(eq(moduleProgress.userId, started.id))
    expect(progress).toMatchObject([{ lastPosition: 40 }])

    // Assigned again later: the same enrolment comes back with its progress.
    await assignCourse(hr, course.id, { userIds: [started.id] })
    expect(await enrolmentOf(course.id, started.id)).toMatchObject({ id: startedEnrolment.id, unenrolledAt: null })
  })

  it('moves people another active assignment still covers instead of unenrolling them', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const course = await freshCourse()
    const person = await createPerson({ roles: ['manager'] })
    const first = await assignCourse(hr, course.id, { userIds: [person.id], dueAt: new Date('2030-01-01T00:00:00Z') })
    const second = await assignCourse(hr, course.id, { roles: ['manager'], dueAt: new Date('2031-01-01T00:00:00Z') })
    if (!first.ok || !second.ok) throw new Error('assign failed')
    expect((await enrolmentOf(course.id, person.id)).assignmentId).toBe(first.id)
    await unassign(hr, first.id)
    expect(await enrolmentOf(course.id, person.id)).toMatchObject({ assignmentId: second.id, unenrolledAt: null, dueAt: new Date('2031-01-01T00:00:00Z') })
  })
})
