import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { auditEvents, courses, enrolments } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { createPerson } from '../../../tests/setup/fixtures'
import { department, fixtureCourse } from '../../../tests/setup/courses'
import { certificatePdf, findCjkFont } from './certificate.server'
import { ProgressFilters } from './courses'
import { assignCourse } from './enrolment.server'
import { completeLesson, savePrepSheet, sharePrepSheet, startQuizAttempt, submitQuizAttempt } from './learning.server'
import { listCourseSummaries, listProgress, listSharedPrepSheets, listTeamProgress, progressForExport } from './progress.server'

const COURSE = 'good-course'
const ALL_RIGHT = { q1: ['a'], q2: ['a', 'b'], q3: ['true'], q4: ['b'] }
const filters = (over: Record<string, string> = {}) => ProgressFilters.parse({ course: COURSE, ...over })

let hr: CurrentUser
let manager: CurrentUser
let finisher: CurrentUser
let starter: CurrentUser
let idle: CurrentUser
let late: CurrentUser
let elsewhere: CurrentUser

beforeAll(async () => {
  await fixtureCourse()
  const [course] = await db.select().from(courses).where(eq(courses.contentId, COURSE))
  hr = await createPerson({ roles: ['hr_admin'] })
  const sales = await department('Sales')
  const east = await department('Sales/East', sales.id)
  const rnd = await department('R&D')
  manager = await createPerson({ roles: ['manager'], name: 'Manager M', departmentId: sales.id })
  finisher = await createPerson({ name: 'Finisher', departmentId: east.id, managerId: manager.id })
  starter = await createPerson({ name: 'Starter', departmentId: east.id, managerId: manager.id })
  idle = await createPerson({ name: 'Idle', departmentId: sales.id, managerId: manager.id })
  late = await createPerson({ name: '=HYPERLINK("http://evil.test")', departmentId: rnd.id })
  elsewhere = await createPerson({ name: 'Elsewhere', departmentId: rnd.id })
  const result = await assignCourse(hr, course.id, {
    userIds: [finisher.id, starter.id, idle.id, late.id, elsewhere.id],
    dueAt: new Date(Date.now() + 7 * 86400_000),
  })
  if (!result.ok) throw new Error('assign failed')
  await db
    .update(enrolments)
    .set({ dueAt: new Date(Date.now() - 86400_000) })
    .where(eq(enrolments.userId, late.id))

  await completeLesson(finisher, COURSE, 'welcome')
  const started = await startQuizAttempt(finisher, COURSE, 'check')
  if (!started.ok) throw new Error('quiz not started')
  await submitQuizAttempt(finisher, started.attemptId, ALL_RIGHT)
  await sharePrepSheet(finisher, COURSE, 'prep', { progress: 'On track: 2 of 3 contracts', asks: 'Budget decision by Friday' })
  await completeLesson(starter, COURSE, 'welcome')
  await savePrepSheet(starter, COURSE, 'prep', { progress: 'Draft, not shared' })
})

describe('progress report', () => {
  it('counts enrolments and completions per course in the course list', async () => {
    const list = await listCourseSummaries(hr)
    expect(list.find((c) => c.key === COURSE)).toMatchObject({ modules: 4, enrolled: 5, completed: 1, overdue: 1, status: 'published' })
  })

  it('classifies each learner as completed, in progress or not started, with totals', async () => {
    const { rows, totals } = await listProgress(hr, filters())
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]))
    expect(byName.Finisher).toMatchObject({ status: 'completed', doneCount: 2, requiredCount: 2, percent: 100, quizAverage: 100 })
    expect(byName.Starter).toMatchObject({ status: 'in_progress', doneCount: 1, percent: 50, quizAverage: null })
    expect(byName.Idle).toMatchObject({ status: 'not_started', doneCount: 0 })
    expect(byName['=HYPERLINK("http://evil.test")']).toMatchObject({ overdue: true })
    expect(totals).toEqual({ total: 5, completed: 1, inProgress: 1, notStarted: 3, overdue: 1 })
  })

  it('filters by department subtree, status and overdue, keeping totals for the filtered set', async () => {
    const [sales] = (await listProgress(hr, filters())).departments.filter((d) => d.path === 'Sales')
    const inSales = await listProgress(hr, filters({ department: sales.id }))
    expect(inSales.rows.map((r) => r.name).sort()).toEqual(['Finisher', 'Idle', 'Starter'])
    const notStarted = await listProgress(hr, filters({ status: 'not_started' }))
    expect(notStarted.rows.map((r) => r.name).sort()).toEqual(['=HYPERLINK("http://evil.test")', 'Elsewhere', 'Idle'])
    expect(notStarted.totals.total).toBe(3)
    const overdue = await listProgress(hr, filters({ overdue: '1' }))
    expect(overdue.rows.map((r) => r.name)).toEqual(['=HYPERLINK("http://evil.test")'])
    const searched = await listProgress(hr, filters({ q: 'finish' }))
    expect(searched.rows.map((r) => r.name)).toEqual(['Finisher'])
  })

  it('pages the rows', async () => {
    const page = await listProgress(hr, filters({ page: '2' }))
    expect(page.rows).toEqual([])
    expect(page.totals.total).toBe(0)
    expect(page.pages).toBe(1)
  })

  it('exports every filtered row and records the export', async () => {
    const rows = await progressForExport(hr, filters({ status: 'completed' }))
    expect(rows.map((r) => r.name)).toEqual(['Finisher'])
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, hr.id), eq(auditEvents.action, 'progress.exported')))
    expect(events).toHaveLength(1)
  })

  it('refuses learners and managers with 403 and records the denial', async () => {
    for (const person of [finisher, manager]) {
      const thrown = await listProgress(person, filters()).catch((e: unknown) => e)
      expect((thrown as Response).status).toBe(403)
      const denied = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.actorId, person.id), eq(auditEvents.action, 'access.denied')))
      expect(denied.length).toBeGreaterThan(0)
    }
  })
})

describe('a manager’s team', () => {
  it('shows the progress of direct reports only', async () => {
    const rows = await listTeamProgress(manager)
    expect(rows.map((r) => r.name).sort()).toEqual(['Finisher', 'Idle', 'Starter'])
  })

  it('shows the latest shared preparation sheet of each report, never an unshared draft', async () => {
    const sheets = await listSharedPrepSheets(manager)
    expect(sheets).toHaveLength(1)
    expect(sheets[0]).toMatchObject({
      name: 'Finisher',
      fields: [
        { id: 'progress', value: 'On track: 2 of 3 contracts' },
        { id: 'asks', value: 'Budget decision by Friday' },
      ],
    })
    const other = await createPerson({ roles: ['manager'] })
    expect(await listSharedPrepSheets(other)).toEqual([])
  })

  it('refuses an employee and another manager’s team', async () => {
    expect(((await listTeamProgress(finisher).catch((e: unknown) => e)) as Response).status).toBe(403)
    const other = await createPerson({ roles: ['manager'] })
    expect(((await listTeamProgress(other, manager.id).catch((e: unknown) => e)) as Response).status).toBe(403)
  })
})

describe('certificates', () => {
  it('makes a PDF for a completed course, with the CJK font when there is one', async () => {
    const { pdf, filename } = await certificatePdf(finisher, COURSE, 'zh-CN')
    expect(filename).toBe('certificate-good-course.pdf')
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    if (findCjkFont()) expect(pdf.toString('latin1')).toMatch(/NotoSansCJK|WenQuanYi/)
  })

  it('has no certificate for a course not completed', async () => {
    expect(((await certificatePdf(starter, COURSE, 'en').catch((e: unknown) => e)) as Response).status).toBe(404)
  })
})
