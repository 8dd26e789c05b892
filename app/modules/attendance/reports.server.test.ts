import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { translator } from '~/i18n'
import type { CurrentUser } from '~/modules/auth/permissions'
import { ensureDepartmentPath } from '~/modules/org/departments.server'
import { createCohort } from '~/modules/sessions/cohorts.server'
import { inviteAudience, respondToInvitation } from '~/modules/sessions/invitations.server'
import { cancelSession } from '~/modules/sessions/sessions.server'
import { toCsv, toXlsx } from '~/modules/exports/spreadsheet.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { scheduleSession } from '../../../tests/setup/sessions'
import { markAttendance } from './attendance.server'
import { AttendanceReportFilters } from './reports'
import {
  attendanceExport,
  attendanceReportPage,
  departmentAttendanceReport,
  listReportSessions,
  personAttendanceReport,
  sessionAttendanceReport,
} from './reports.server'

/** The sessions here start in the coming days: marks of late or absent are made as if after the start. */
const AFTER_START = { now: new Date(Date.now() + 60 * 86_400_000) }

const DAY = 86_400_000
const filters = (input: Record<string, string> = {}) => AttendanceReportFilters.parse(input)
/** The reports run "three days from now": sessions scheduled for tomorrow have started by then. */
const later = { now: new Date(Date.now() + 3 * DAY) }

let hr: CurrentUser
let trainer: CurrentUser
beforeAll(async () => {
  hr = await createPerson({ roles: ['hr_admin'] })
  trainer = await createPerson({ roles: ['trainer'] })
})

async function sessionFor(
  people: CurrentUser[],
  options: { inDays?: number; trainerIds?: string[]; capacity?: number; title?: string; cohortId?: string } = {},
) {
  const { sessionId } = await scheduleSession(hr, {
    startsAt: new Date(Date.now() + (options.inDays ?? 1) * DAY),
    trainerIds: options.trainerIds ?? [trainer.id],
    ...(options.capacity ? { capacity: options.capacity } : {}),
    ...(options.title ? { title: options.title } : {}),
    ...(options.cohortId ? { cohortId: options.cohortId } : {}),
  })
  await inviteAudience(hr, sessionId, { userIds: people.map((p) => p.id) })
  return sessionId
}

describe('the attendance rate', () => {
  it('counts only required sessions: unmarked past stays unmarked, future, cancelled, declined and wait-listed are not required, excused on its own', async () => {
    const [ann, other] = await Promise.all([createPerson({ name: 'Ann Rate' }), createPerson()])
    const present = await sessionFor([ann])
    await markAttendance(trainer, present, ann.id, 'present')
    await sessionFor([ann]) // started, nobody marked
    const excused = await sessionFor([ann])
    await markAttendance(trainer, excused, ann.id, 'excused')
    const late = await sessionFor([ann])
    await markAttendance(trainer, late, ann.id, 'late', AFTER_START)
    const cancelled = await sessionFor([ann])
    await markAttendance(trainer, cancelled, ann.id, 'present')
    await cancelSession(hr, cancelled)
    const declined = await sessionFor([ann])
    await respondToInvitation(ann, declined, 'decline')
    const full = await sessionFor([other, ann], { capacity: 1 })
    await respondToInvitation(other, full, 'accept')
    expect(await respondToInvitation(ann, full, 'accept')).toMatchObject({ ok: true, status: 'waitlisted' })
    const future = await sessionFor([ann], { inDays: 10 })
    await markAttendance(trainer, future, ann.id, 'present')

    const [row] = (await personAttendanceReport(hr, filters(), later)).filter((r) => r.userId === ann.id)
    expect(row).toMatchObject({ required: 4, present: 1, late: 1, excused: 1, absent: 0, unmarked: 1, rate: 50 })
  })

  it('marks nobody required before a session starts, and has no rate without required sessions', async () => {
    const bo = await createPerson()
    await sessionFor([bo], { inDays: 10 })
    const rows = await personAttendanceReport(hr, filters(), later)
    expect(rows.find((r) => r.userId === bo.id)).toBeUndefined()
  })

  it('filters by period (China days) and cohort', async () => {
    const cy = await createPerson()
    const cohort = await createCohort(hr, { name: '2027 Q1 managers, cohort A' })
    const first = await sessionFor([cy], { inDays: 1, cohortId: cohort.id })
    const second = await sessionFor([cy], { inDays: 2 })
    await markAttendance(trainer, first, cy.id, 'present')
    await markAttendance(trainer, second, cy.id, 'absent', AFTER_START)
    const day = (offset: number) => new Date(Date.now() + offset * DAY + 8 * 3600_000).toISOString().slice(0, 10)
    const firstDay = await personAttendanceReport(hr, filters({ from: day(1), to: day(1) }), later)
    expect(firstDay.find((r) => r.userId === cy.id)).toMatchObject({ required: 1, present: 1, rate: 100 })
    const secondDay = await personAttendanceReport(hr, filters({ from: day(2) }), later)
    expect(secondDay.find((r) => r.userId === cy.id)).toMatchObject({ required: 1, absent: 1, rate: 0 })
    const inCohort = await personAttendanceReport(hr, filters({ cohort: cohort.id }), later)
    expect(inCohort.map((r) => r.userId)).toEqual([cy.id])
    expect(inCohort[0]).toMatchObject({ required: 1, present: 1 })
    expect((await listReportSessions(hr, filters({ cohort: cohort.id }))).map((s) => s.id)).toEqual([first])
  })
})

describe('departments and scope', () => {
  let manager: CurrentUser
  let direct: CurrentUser
  let indirect: CurrentUser
  let outsider: CurrentUser
  let salesId: string
  let eastId: string
  let sessionId: string
  let outsiderSession: string
  beforeAll(async () => {
    salesId = await ensureDepartmentPath(db, ['Scope Sales'])
    eastId = await ensureDepartmentPath(db, ['Scope Sales', 'East'])
    const rdId = await ensureDepartmentPath(db, ['Scope R&D'])
    manager = await createPerson({ roles: ['manager'], name: 'Mia Manager', departmentId: salesId })
    direct = await createPerson({ roles: ['manager'], name: 'Dan Direct', departmentId: eastId, managerId: manager.id })
    indirect = await createPerson({ name: 'Ivy Indirect', departmentId: eastId, managerId: direct.id })
    outsider = await createPerson({ name: 'Oscar Outsider', departmentId: rdId })
    sessionId = await sessionFor([manager, direct, indirect, outsider], { title: 'Scope class' })
    await markAttendance(trainer, sessionId, manager.id, 'present')
    await markAttendance(trainer, sessionId, direct.id, 'late', AFTER_START)
    await markAttendance(trainer, sessionId, indirect.id, 'absent', AFTER_START)
    await markAttendance(trainer, sessionId, outsider.id, 'present')
    const second = await sessionFor([indirect])
    await markAttendance(trainer, second, indirect.id, 'present')
    outsiderSession = await sessionFor([outsider])
  })

  it('rolls departments up their subtree, or counts own members only', async () => {
    const own = await departmentAttendanceReport(hr, filters({ sort: 'department' }), later)
    const byPath = (rows: typeof own) => Object.fromEntries(rows.filter((r) => r.path.startsWith('Scope')).map((r) => [r.path, r]))
    expect(byPath(own)).toEqual({
      'Scope Sales': expect.objectContaining({ people: 1, required: 1, attended: 1, rate: 100 }),
      'Scope Sales/East': expect.objectContaining({ people: 2, required: 3, attended: 2, absent: 1, rate: 66.7 }),
      'Scope R&D': expect.objectContaining({ people: 1, required: 2, attended: 1, unmarked: 1, rate: 50 }),
    })
    const rolled = await departmentAttendanceReport(hr, filters({ rollup: '1', sort: 'rate-desc' }), later)
    expect(byPath(rolled)['Scope Sales']).toMatchObject({ people: 3, required: 4, attended: 3, rate: 75 })
    expect(byPath(rolled)['Scope Sales/East']).toMatchObject({ people: 2, required: 3 })
    // Sorted by rate, highest first.
    const rates = rolled.map((r) => r.rate ?? -1)
    expect(rates).toEqual([...rates].sort((a, b) => b - a))
  })

  it('shows a manager their reporting line, direct and indirect, and nobody else', async () => {
    const people = await personAttendanceReport(manager, filters(), later)
    expect(people.map((p) => p.name).sort()).toEqual(['Dan Direct', 'Ivy Indirect'])
    const depts = await departmentAttendanceReport(manager, filters({ rollup: '1' }), later)
    expect(depts.map((d) => d.path).sort()).toEqual(['Scope Sales', 'Scope Sales/East'])
    expect(depts.find((d) => d.path === 'Scope Sales')).toMatchObject({ people: 2, required: 3 })
    // The direct report, a manager too, sees only their own report.
    expect((await personAttendanceReport(direct, filters(), later)).map((p) => p.name)).toEqual(['Ivy Indirect'])
  })

  it('shows a manager only their team in a session, and refuses a session without them', async () => {
    const report = await sessionAttendanceReport(manager, sessionId, later)
    expect(report.scope).toBe('team')
    expect(report.people.map((p) => p.name)).toEqual(['Dan Direct', 'Ivy Indirect'])
    await expect(sessionAttendanceReport(manager, outsiderSession, later)).rejects.toMatchObject({ status: 403 })
    const listed = (await listReportSessions(manager, filters())).map((s) => s.id)
    expect(listed).toContain(sessionId)
    expect(listed).not.toContain(outsiderSession)
  })

  it('refuses employees and trainers the person and department views', async () => {
    await expect(personAttendanceReport(indirect, filters(), later)).rejects.toMatchObject({ status: 403 })
    await expect(departmentAttendanceReport(trainer, filters(), later)).rejects.toMatchObject({ status: 403 })
    await expect(sessionAttendanceReport(outsider, sessionId, later)).rejects.toMatchObject({ status: 403 })
  })
})

describe('trainers and lecturers', () => {
  it('see the sessions they teach, whole, and no other', async () => {
    const lecturer = await createPerson({ roles: ['lecturer'] })
    const otherTrainer = await createPerson({ roles: ['trainer'] })
    const people = await Promise.all([createPerson(), createPerson()])
    const taught = await sessionFor(people, { trainerIds: [lecturer.id] })
    const notTaught = await sessionFor(people, { trainerIds: [otherTrainer.id] })
    const report = await sessionAttendanceReport(lecturer, taught, later)
    expect(report.scope).toBe('all')
    expect(report.people).toHaveLength(2)
    expect(report.tally).toEqual({ present: 0, late: 0, excused: 0, absent: 0, unmarked: 2 })
    await expect(sessionAttendanceReport(lecturer, notTaught, later)).rejects.toMatchObject({ status: 403 })
    await expect(sessionAttendanceReport(trainer, notTaught, later)).rejects.toMatchObject({ status: 403 })
    const listed = (await listReportSessions(lecturer, filters())).map((s) => s.id)
    expect(listed).toEqual([taught])
  })
})

describe('the report page', () => {
  it('offers each role its views: HR and managers all three, trainers and lecturers sessions, employees nothing', async () => {
    const manager = await createPerson({ roles: ['manager'] })
    const employee = await createPerson()
    expect(await attendanceReportPage(hr, filters(), later)).toMatchObject({ views: ['session', 'person', 'department'], view: 'department' })
    expect(await attendanceReportPage(manager, filters({ view: 'person' }), later)).toMatchObject({
      view: 'person',
      people: [],
      paging: { page: 1, total: 0, pages: 1 },
    })
    const forTrainer = await attendanceReportPage(trainer, filters({ view: 'department' }), later)
    expect(forTrainer).toMatchObject({ views: ['session'], view: 'session', report: null, departments: null })
    await expect(attendanceReportPage(employee, filters(), later)).rejects.toMatchObject({ status: 403 })
  })
})

describe('exports', () => {
  it('writes the session view as CSV with a BOM and localised headers, and as Excel with the same cells', async () => {
    const wei = await createPerson({ name: '张伟 Export', employeeNumber: `E-${Date.now()}` })
    const evil = await createPerson({ name: '=HYPERLINK("http://evil.test")' })
    const sessionId = await sessionFor([wei, evil])
    await markAttendance(trainer, sessionId, wei.id, 'late', AFTER_START)
    const t = translator('zh-CN')
    const { table, filename, sheet } = await attendanceExport(hr, filters({ view: 'session', session: sessionId }), t, later)
    expect(filename).toMatch(/^genjin-attendance-session-\d{4}-\d{2}-\d{2}$/)
    expect(table.header).toEqual(['工号', '姓名', '邮箱', '部门', '邀请状态', '出勤', '记录方式', '时间', '记录人'])
    const csv = toCsv(table)
    expect(csv.startsWith('\uFEFF工号,姓名')).toBe(true)
    const lines = csv.slice(1).trim().split('\r\n')
    expect(lines).toHaveLength(3)
    expect(lines.find((l) => l.includes('张伟 Export'))).toContain(',未回复,迟到,培训师,')
    expect(lines.find((l) => l.includes('HYPERLINK'))).toContain(`"'=HYPERLINK(""http://evil.test"")"`)
    expect(lines.find((l) => l.includes('HYPERLINK'))).toContain(',未记录,')

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await toXlsx(table, sheet)) as unknown as ArrayBuffer)
    const ws = workbook.getWorksheet(1)!
    expect(ws.name).toBe('按课次')
    const cells = (r: number) => (ws.getRow(r).values as unknown[]).slice(1).map((v) => v ?? '')
    expect(cells(1)).toEqual(table.header)
    const rowsOut = [cells(2), cells(3)]
    expect(rowsOut).toEqual(table.body.map((row) => row.map((c) => c ?? '')))
    expect(rowsOut.find((r) => r[1] === '张伟 Export')?.[5]).toBe('迟到')
  })

  it('writes the person and department views with counts and rate as numbers', async () => {
    const deptId = await ensureDepartmentPath(db, ['Export Dept'])
    const [a, b] = await Promise.all([createPerson({ name: 'Export A', departmentId: deptId }), createPerson({ name: 'Export B', departmentId: deptId })])
    const sessionId = await sessionFor([a, b])
    await markAttendance(trainer, sessionId, a.id, 'present')
    const t = translator('en')
    const people = await attendanceExport(hr, filters({ view: 'person', department: deptId }), t, later)
    expect(people.table.header).toEqual([
      'Employee no.',
      'Name',
      'Email',
      'Department',
      'Required',
      'Present',
      'Late',
      'Excused',
      'Absent',
      'Not marked',
      'Rate (%)',
    ])
    expect(people.table.body.map((r) => [r[1], ...r.slice(4)])).toEqual([
      ['Export A', 1, 1, 0, 0, 0, 0, 100],
      ['Export B', 1, 0, 0, 0, 0, 1, 0],
    ])
    const departments = await attendanceExport(hr, filters({ view: 'department', department: deptId }), t, later)
    expect(departments.table.body).toEqual([['Export Dept', 2, 1, 2, 1, 0, 0, 0, 1, 50]])
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await toXlsx(departments.table, departments.sheet)) as unknown as ArrayBuffer)
    expect(workbook.getWorksheet(1)!.getRow(2).getCell(10).value).toBe(50)
  })
})
