import { randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { attendance, auditEvents, courses, departments, enrolments, invitations, kpiSnapshotRows, notifications, orgHistory, sessions } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { createPerson, settle } from '../../../tests/setup/fixtures'
import { periodForm, savedPeriod, setHistory } from '../../../tests/setup/kpi'
import { PeriodForm } from './kpi'
import { currentPeriodStatus, periodStatus, publishPeriod, savePeriod } from './periods.server'
import { reportPage, rollup, scorecard, trend } from './reports.server'

/*
 * KPI arithmetic with hand-computed expectations (docs/decisions/020, 021). Period 2027-Q1
 * (1 Jan – 31 Mar, China time), computed on 5 April.
 */
const now = new Date('2027-04-05T04:00:00Z')
let hr: CurrentUser
let sales: string
let east: string
let ops: string

async function department(name: string, path: string, parentId?: string) {
  const [row] = await db
    .insert(departments)
    .values({ name, path, parentId: parentId ?? null })
    .returning()
  return row.id
}

async function manager(departmentId: string, managerId?: string) {
  return createPerson({ roles: ['manager'], departmentId, managerId })
}

let sessionCounter = 0
/** A required session on `day` (09:00 China time) for `people`, with each one's attendance (or none: unmarked). */
async function session(day: string, marks: [CurrentUser, 'present' | 'late' | 'excused' | 'absent' | null][]) {
  const startsAt = new Date(`${day}T01:00:00Z`)
  const [s] = await db
    .insert(sessions)
    .values({ title: `Session ${++sessionCounter}`, startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000) })
    .returning()
  for (const [person, status] of marks) {
    await db.insert(invitations).values({ sessionId: s.id, userId: person.id, status: 'accepted' })
    if (status) await db.insert(attendance).values({ sessionId: s.id, userId: person.id, status, method: 'trainer' })
  }
  return s.id
}

let courseCounter = 0
async function course(person: CurrentUser, dueAt: string, completedAt: string | null) {
  const [c] = await db
    .insert(courses)
    .values({
      contentId: `kpi-course-${++courseCounter}`,
      audience: 'managers',
      title: { en: `Course ${courseCounter}`, 'zh-CN': `课程 ${courseCounter}` },
      description: { en: '', 'zh-CN': '' },
      estimatedMinutes: 30,
    })
    .returning()
  await db.insert(enrolments).values({ courseId: c.id, userId: person.id, dueAt: new Date(dueAt), completedAt: completedAt ? new Date(completedAt) : null })
}

let periodCounter = 0
async function period(weights: Record<string, number>, options: Partial<{ lateFraction: number; excused: 'exclude' | 'count' }> = {}) {
  return savedPeriod(hr, { key: `2027-Q1-${++periodCounter}`, startsOn: '2027-01-01', endsOn: '2027-03-31', weights, ...options })
}

const scoreOf = (periodId: string, person: CurrentUser) => scorecard(hr, periodId, person.id, {}, { now })

beforeAll(async () => {
  hr = await createPerson({ roles: ['hr_admin'] })
  sales = await department('Sales', 'Sales')
  east = await department('East', 'Sales/East', sales)
  ops = await department('Ops', 'Ops')
})

describe('KPI policy and arithmetic', () => {
  it('rejects weights that do not sum to 100', () => {
    const result = PeriodForm.safeParse({
      intent: 'save',
      key: 'x',
      startsOn: '2027-01-01',
      endsOn: '2027-03-31',
      lateFraction: '0.5',
      courseLateFraction: '0.5',
      excused: 'exclude',
      bandA: '90',
      bandB: '75',
      bandC: '60',
      weight: { attendance: '60', completion: '30' },
      enabled: { attendance: 'on', completion: 'on' },
    })
    expect(result.success).toBe(false)
  })

  it('leaves excused out of the denominator, or counts it as not attended, as configured; late earns the fraction', async () => {
    const m = await manager(sales)
    await setHistory(m.id, [{ departmentId: sales, isManager: true, from: '2026-01-01T00:00:00Z' }])
    await session('2027-01-10', [[m, 'present']])
    await session('2027-01-20', [[m, 'late']])
    await session('2027-02-10', [[m, 'excused']])
    await session('2027-03-10', [[m, 'absent']])
    // exclude: (1 + 0.5 + 0) / 3 = 0.5 → 50.0
    const excluded = await scoreOf(await period({ attendance: 100 }), m)
    expect(excluded.row.score).toBe(50)
    expect(excluded.row.band).toBe('D')
    expect(excluded.evidence.map((e) => e.status)).toEqual(['present', 'late', 'excused', 'absent'])
    // count: (1 + 0.5 + 0 + 0) / 4 = 0.375 → 37.5
    expect((await scoreOf(await period({ attendance: 100 }, { excused: 'count' }), m)).row.score).toBe(37.5)
    // late fraction 0.25, excluded: (1 + 0.25 + 0) / 3 = 0.41666… → 41.7
    expect((await scoreOf(await period({ attendance: 100 }, { lateFraction: 0.25 }), m)).row.score).toBe(41.7)
  })

  it('drops a component without items and re-normalises the remaining weights', async () => {
    const m = await manager(ops)
    await setHistory(m.id, [{ departmentId: ops, isManager: true, from: '2026-01-01T00:00:00Z' }])
    await session('2027-01-12', [[m, 'present']])
    await session('2027-02-12', [[m, 'late']])
    await course(m, '2027-02-28T15:00:00Z', '2027-02-20T08:00:00Z') // on time: 1
    await course(m, '2027-03-15T15:00:00Z', null) // not done, overdue: 0
    await course(m, '2027-06-30T15:00:00Z', null) // due after the period: not an item
    const periodId = await period({ attendance: 50, completion: 30, learning: 20 })
    const card = await scoreOf(periodId, m)
    // attendance (1 + 0.5) / 2 = 0.75, completion (1 + 0) / 2 = 0.5, learning: no items.
    // (50 × 0.75 + 30 × 0.5) / (50 + 30) = 52.5 / 80 = 0.65625 → 65.6, band C
    expect(card.row.score).toBe(65.6)
    expect(card.row.band).toBe('C')
    const byKey = Object.fromEntries(card.row.components.map((c) => [c.key, c]))
    expect(byKey.attendance).toMatchObject({ score: 75, weight: 50, effectiveWeight: 62.5, items: 2 })
    expect(byKey.completion).toMatchObject({ score: 50, weight: 30, effectiveWeight: 37.5, items: 2 })
    expect(byKey.learning).toBeUndefined()
    expect(card.hints.map((h) => h.key)).toContain('kpi.hint.overdue')
  })

  it('counts only what falls after a manager joined mid-period, and stops when they stop being a manager', async () => {
    const joined = await manager(east)
    await setHistory(joined.id, [{ departmentId: east, isManager: true, from: '2027-02-15T00:00:00Z' }])
    const stopped = await manager(east)
    await setHistory(stopped.id, [
      { departmentId: east, isManager: true, from: '2026-01-01T00:00:00Z', to: '2027-02-01T00:00:00Z' },
      { departmentId: east, isManager: false, from: '2027-02-01T00:00:00Z' },
    ])
    await session('2027-01-15', [
      [joined, 'absent'],
      [stopped, 'present'],
    ])
    await session('2027-03-01', [
      [joined, 'present'],
      [stopped, 'absent'],
    ])
    const periodId = await period({ attendance: 100 })
    // joined: only the March session (present) → 100.0; stopped: only the January one (present) → 100.0
    expect((await scoreOf(periodId, joined)).row.score).toBe(100)
    expect((await scoreOf(periodId, joined)).evidence).toHaveLength(1)
    expect((await scoreOf(periodId, stopped)).row.score).toBe(100)
  })

  it('scores a manager who moved department over the whole period, under the department they ended in', async () => {
    const mover = await manager(ops)
    await setHistory(mover.id, [
      { departmentId: east, isManager: true, from: '2026-01-01T00:00:00Z', to: '2027-02-10T00:00:00Z' },
      { departmentId: ops, isManager: true, from: '2027-02-10T00:00:00Z' },
    ])
    await session('2027-01-25', [[mover, 'absent']])
    await session('2027-03-05', [[mover, 'present']])
    const periodId = await period({ attendance: 100 })
    const card = await scoreOf(periodId, mover)
    // (0 + 1) / 2 → 50.0, in Ops
    expect(card.row.score).toBe(50)
    expect(card.row.departmentPath).toBe('Ops')
    const inSales = await rollup(hr, periodId, { department: sales }, { now })
    expect(inSales.managers.map((m) => m.managerId)).not.toContain(mover.id)
    const inOps = await rollup(hr, periodId, { department: ops }, { now })
    expect(inOps.managers.map((m) => m.managerId)).toContain(mover.id)
  })
})

describe('KPI publishing', () => {
  it('an unmarked past session shows as unmarked and blocks publication until marked', async () => {
    const m = await manager(sales)
    await setHistory(m.id, [{ departmentId: sales, isManager: true, from: '2026-01-01T00:00:00Z' }])
    // A period of its own so the other tests' managers don't matter: a later quarter.
    const s1 = await session('2027-05-10', [[m, 'present']])
    const s2 = await session('2027-05-20', [[m, null]])
    const periodId = await savedPeriod(hr, { key: '2027-Q2', startsOn: '2027-04-01', endsOn: '2027-06-30', weights: { attendance: 100 } })
    const later = { now: new Date('2027-07-02T04:00:00Z') }
    const card = await scorecard(hr, periodId, m.id, {}, later)
    expect(card.evidence.find((e) => e.ref === s2)).toMatchObject({ status: 'unmarked', score: null, blocking: true })
    // The unmarked session is not counted as present, nor as absent: 1 / 1 → 100.0, but blocked.
    expect(card.row.score).toBe(100)
    expect(card.hints[0]).toEqual({ key: 'kpi.hint.unmarked', vars: { count: 1 } })
    const status = await periodStatus(hr, periodId, later)
    expect(status.blockers).toEqual([expect.objectContaining({ sessionId: s2, unmarked: 1 })])
    expect(await publishPeriod(hr, periodId, {}, later)).toEqual({ ok: false, error: 'kpi.errors.blocked' })
    await db.insert(attendance).values({ sessionId: s2, userId: m.id, status: 'absent', method: 'trainer' })
    expect((await periodStatus(hr, periodId, later)).blockers).toEqual([])
    expect(await publishPeriod(hr, periodId, {}, later)).toEqual({ ok: true, revision: 1 })
    // Published figures: the first session present, the second (now marked absent) 0 → 50.0
    expect((await scorecard(hr, periodId, m.id, {}, later)).evidence.find((e) => e.ref === s1)?.status).toBe('present')
    expect((await scorecard(hr, periodId, m.id, {}, later)).row.score).toBe(50)
  })

  it('a correction creates a new revision and leaves the first snapshot intact; both audited, managers notified', async () => {
    const m = await manager(ops)
    await setHistory(m.id, [{ departmentId: ops, isManager: true, from: '2026-01-01T00:00:00Z' }])
    const s1 = await session('2027-08-10', [[m, 'present']])
    await session('2027-08-20', [[m, 'absent']])
    const periodId = await savedPeriod(hr, { key: '2027-Q3', startsOn: '2027-07-01', endsOn: '2027-09-30', weights: { attendance: 100 } })
    const later = { now: new Date('2027-10-02T04:00:00Z') }
    expect(await publishPeriod(hr, periodId, {}, later)).toEqual({ ok: true, revision: 1 })
    const first = await scorecard(hr, periodId, m.id, {}, later)
    expect(first.row.score).toBe(50)
    // The absence turns out to be an excused one; later data changes alone change nothing published.
    await db
      .update(attendance)
      .set({ status: 'late' })
      .where(and(eq(attendance.userId, m.id), eq(attendance.sessionId, s1)))
    expect((await scorecard(hr, periodId, m.id, {}, later)).row.score).toBe(50)
    expect(await publishPeriod(hr, periodId, { reason: 'Trainer corrected a record' }, later)).toEqual({ ok: true, revision: 2 })
    // Revision 2: (0.5 + 0) / 2 → 25.0; revision 1 still 50.0
    expect((await scorecard(hr, periodId, m.id, {}, later)).row.score).toBe(25)
    const r1 = await scorecard(hr, periodId, m.id, { revision: 1 }, later)
    expect(r1.row.score).toBe(50)
    expect(r1.evidence.map((e) => e.status)).toEqual(['present', 'absent'])
    expect(r1.revisions.map((r) => [r.revision, r.reason])).toEqual([
      [2, 'Trainer corrected a record'],
      [1, null],
    ])
    const audits = await db.select().from(auditEvents).where(eq(auditEvents.entityId, periodId))
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['kpi.published', 'kpi.corrected']))
    const notes = await db.select().from(notifications).where(eq(notifications.userId, m.id))
    expect(notes.map((n) => n.kind).sort()).toEqual(['kpi_corrected', 'kpi_published'])
    const [{ rows }] = await db
      .select({ rows: sql<number>`count(*)::int` })
      .from(kpiSnapshotRows)
      .where(eq(kpiSnapshotRows.managerId, m.id))
    expect(Number(rows)).toBeGreaterThanOrEqual(2)
  })
})

describe('KPI visibility', () => {
  it('a manager sees their own scorecard and those below them; a department head their subtree; others are refused', async () => {
    // A tree of its own: North (head), lead in North under the head, below and subHead in North/A.
    const north = await department('North', 'North')
    const northA = await department('A', 'North/A', north)
    const head = await manager(north)
    const lead = await manager(north, head.id)
    const below = await manager(northA, lead.id)
    const elsewhere = await manager(ops)
    const eastHead = await manager(northA, head.id)
    for (const p of [head, lead, below, elsewhere, eastHead])
      await setHistory(p.id, [{ departmentId: p.departmentId!, isManager: true, from: '2026-01-01T00:00:00Z' }])
    await session('2027-11-10', [
      [head, 'present'],
      [lead, 'present'],
      [below, 'late'],
      [elsewhere, 'absent'],
      [eastHead, 'present'],
    ])
    const periodId = await savedPeriod(hr, { key: '2027-Q4', startsOn: '2027-10-01', endsOn: '2027-12-31', weights: { attendance: 100 } })
    const later = { now: new Date('2028-01-05T04:00:00Z') }
    expect(await publishPeriod(hr, periodId, {}, later)).toEqual({ ok: true, revision: 1 })
    const seen = async (who: CurrentUser) => (await rollup(who, periodId, {}, later)).managers.map((m) => m.managerId).sort()
    // lead: themself and below (not the head above, not a peer)
    expect(await seen(lead)).toEqual([lead.id, below.id].sort())
    // head of North (no manager): their department's subtree
    expect(await seen(head)).toEqual([head.id, lead.id, below.id, eastHead.id].sort())
    // a manager in Ops whose own manager is outside it heads Ops: the other Ops managers of this quarter too
    expect(await seen(elsewhere)).toContain(elsewhere.id)
    expect(await seen(elsewhere)).not.toContain(lead.id)
    expect(((await settle(() => scorecard(lead, periodId, elsewhere.id, {}, later))) as Response).status).toBe(403)
    expect(((await settle(() => scorecard(lead, periodId, head.id, {}, later))) as Response).status).toBe(403)
    expect((await scorecard(lead, periodId, below.id, {}, later)).row.score).toBe(50)
    const employee = await createPerson({ roles: ['employee'] })
    expect(((await settle(() => rollup(employee, periodId, {}, later))) as Response).status).toBe(403)
    // Managers never see the preview, only the published figures.
    expect((await rollup(lead, periodId, { source: 'preview' }, later)).source).toMatchObject({ kind: 'snapshot' })
  })
})

describe('effective-dated history', () => {
  it('records joining, a department move and stopping being a manager, whatever wrote the change', async () => {
    const m = await manager(east)
    await db.execute(sql`update users set department_id = ${ops} where id = ${m.id}`)
    await db.execute(sql`delete from user_roles where user_id = ${m.id} and role = 'manager'`)
    const rows = await db.select().from(orgHistory).where(eq(orgHistory.userId, m.id)).orderBy(orgHistory.id)
    // Created (not yet a manager), granted the role, moved, role removed: each stretch closes the one before.
    expect(rows.map((r) => [r.departmentId, r.isManager, r.validTo === null])).toEqual([
      [east, false, false],
      [east, true, false],
      [ops, true, false],
      [ops, false, true],
    ])
  })

  it('keeps two changes made at the same instant in separate transactions as two stretches', async () => {
    const m = await manager(east)
    // The clock of the next transaction may read the same as the open stretch's start (PGlite ticks in ms).
    await db.execute(sql`update org_history set valid_from = now() + interval '1 hour' where user_id = ${m.id} and valid_to is null`)
    await db.execute(sql`update users set department_id = ${ops} where id = ${m.id}`)
    const rows = await db.select().from(orgHistory).where(eq(orgHistory.userId, m.id)).orderBy(orgHistory.id)
    expect(rows.map((r) => [r.departmentId, r.isManager])).toEqual([
      [east, false],
      [east, true],
      [ops, true],
    ])
    // Microseconds are lost in a JS Date: compare in SQL.
    const empty = await db.execute(sql`select id from org_history where user_id = ${m.id} and valid_to is not null and valid_to <= valid_from`)
    expect(parseRows(z.object({ id: column.text }), empty)).toEqual([])
  })
})

describe('policy changes', () => {
  it('updates a period policy and audits the change', async () => {
    const periodId = await period({ attendance: 100 })
    const form = periodForm({
      key: 'renamed-Q1',
      startsOn: '2027-01-01',
      endsOn: '2027-03-31',
      lateFraction: 0.25,
      excused: 'count',
      weights: { attendance: 70, completion: 30 },
    })
    expect(await savePeriod(hr, periodId, form)).toEqual({ ok: true, periodId })
    const audits = await db.select().from(auditEvents).where(eq(auditEvents.entityId, periodId))
    expect(audits.map((a) => a.action).sort()).toEqual(['kpi.period_created', 'kpi.policy_changed'])
  })
})

describe('published roll-up totals', () => {
  it('adds up per-department totals written at publication: the same figures as the live preview, hand-computed, and frozen', async () => {
    const retail = await department('Retail', 'Retail')
    const north = await department('North', 'Retail/North', retail)
    const people = await Promise.all([manager(retail), manager(retail), manager(north), manager(north), manager(north)])
    for (const m of people) await setHistory(m.id, [{ departmentId: m.departmentId ?? retail, isManager: true, from: '2026-01-01T00:00:00Z' }])
    const [m1, m2, m3, , m5] = people
    // m1 100 (A), m2 (1 + 0.5) / 2 = 75 (B), m3 (0.5 + 0) / 2 = 25 (D), m4 nothing (no score), m5 50 (D)
    await session('2028-02-10', [
      [m1, 'present'],
      [m2, 'present'],
      [m3, 'late'],
      [m5, 'present'],
    ])
    const absentOne = await session('2028-02-20', [
      [m1, 'present'],
      [m2, 'late'],
      [m3, 'absent'],
      [m5, 'absent'],
    ])
    const periodId = await savedPeriod(hr, { key: '2028-Q1', startsOn: '2028-01-01', endsOn: '2028-03-31', weights: { attendance: 100 } })
    const later = { now: new Date('2028-04-05T04:00:00Z') }
    const figures = async (filters: { source?: 'preview' }) => {
      const r = await rollup(hr, periodId, { ...filters, department: retail }, later)
      return { totals: r.totals, departments: r.departments }
    }
    const expected = {
      totals: { managers: 5, average: 62.5, bands: { A: 1, B: 1, C: 0, D: 2, none: 1 }, blocking: 0 },
      departments: [
        { path: 'Retail', managers: 2, average: 87.5, bands: { A: 1, B: 1, C: 0, D: 0, none: 0 } },
        { path: 'Retail/North', managers: 3, average: 37.5, bands: { A: 0, B: 0, C: 0, D: 2, none: 1 } },
      ],
    }
    expect(await figures({ source: 'preview' })).toEqual(expected)
    expect(await publishPeriod(hr, periodId, {}, later)).toEqual({ ok: true, revision: 1 })
    const published = await rollup(hr, periodId, { department: retail }, later)
    expect(published.source).toMatchObject({ kind: 'snapshot', revision: 1 })
    expect({ totals: published.totals, departments: published.departments }).toEqual(expected)
    // m5's absence was an excusal: the preview changes at once, the published totals only with a correction.
    await db
      .update(attendance)
      .set({ status: 'excused' })
      .where(and(eq(attendance.userId, m5.id), eq(attendance.sessionId, absentOne)))
    expect(await figures({})).toEqual(expected)
    const corrected = {
      totals: { managers: 5, average: 75, bands: { A: 2, B: 1, C: 0, D: 1, none: 1 }, blocking: 0 },
      departments: [expected.departments[0], { path: 'Retail/North', managers: 3, average: 62.5, bands: { A: 1, B: 0, C: 0, D: 1, none: 1 } }],
    }
    expect(await figures({ source: 'preview' })).toEqual(corrected)
    expect(await publishPeriod(hr, periodId, { reason: 'Excused' }, later)).toEqual({ ok: true, revision: 2 })
    expect(await figures({})).toEqual(corrected)
    const first = await rollup(hr, periodId, { department: retail, revision: 1 }, later)
    expect({ totals: first.totals, departments: first.departments }).toEqual(expected)
    // The whole organisation (no department) adds up every department's line, Retail's included.
    const whole = await rollup(hr, periodId, {}, later)
    expect(whole.departments.find((d) => d.path === 'Retail')).toEqual({ path: 'Retail', managers: 5, average: 75, bands: { A: 2, B: 1, C: 0, D: 1, none: 1 } })
    expect(whole.totals?.managers).toBe(whole.departments.reduce((sum, d) => sum + d.managers, 0))
  })
})

describe('the report page', () => {
  it("shows the roll-up's lines (only the fields it shows, from the snapshot's indexes) and the department's trend found by its id", async () => {
    const depot = await department('Depot', 'Depot')
    const yard = await department('Yard', 'Depot/Yard', depot)
    const people = await Promise.all([manager(depot), manager(yard), manager(yard)])
    for (const m of people) await setHistory(m.id, [{ departmentId: m.departmentId ?? depot, isManager: true, from: '2026-01-01T00:00:00Z' }])
    const [head, late, absent] = people
    // head 100 (A), late 50 (D), absent 0 (D): average 50.
    await session('2029-02-10', [
      [head, 'present'],
      [late, 'late'],
      [absent, 'absent'],
    ])
    const periodId = await savedPeriod(hr, { key: '2029-Q1', startsOn: '2029-01-01', endsOn: '2029-03-31', weights: { attendance: 100 } })
    const later = { now: new Date('2029-04-05T04:00:00Z') }
    expect(await publishPeriod(hr, periodId, {}, later)).toEqual({ ok: true, revision: 1 })
    const lines = (rows: Awaited<ReturnType<typeof rollup>>['managers']) =>
      rows.map(({ managerId, name, departmentPath, score, band, blocking }) => ({ managerId, name, departmentPath, score, band, blocking }))
    const filterSets = [
      { department: depot },
      { department: depot, sort: 'score-asc' as const },
      { department: depot, sort: 'name' as const },
      { department: yard, band: 'D' as const },
      { department: depot, q: late.name },
      { department: depot, source: 'preview' as const },
    ]
    for (const filters of filterSets) {
      const page = await reportPage(hr, periodId, filters, later)
      const full = await rollup(hr, periodId, filters, later)
      expect(page.report?.managers).toEqual(lines(full.managers))
      expect(page.report?.totals).toEqual(full.totals)
    }
    const page = await reportPage(hr, periodId, { department: depot }, later)
    expect(page.report?.managers.map((m) => [m.managerId, m.score, m.band])).toEqual([
      [head.id, 100, 'A'],
      [late.id, 50, 'D'],
      [absent.id, 0, 'D'],
    ])
    expect(page.trend.find((t) => t.period === '2029-Q1')).toEqual({ period: '2029-Q1', average: 50, managers: 3 })
    expect(page.trend).toEqual(await trend(hr, { departmentPath: 'Depot' }))
    // An unknown department: the whole organisation, in the roll-up and the trend alike.
    const unknown = await reportPage(hr, periodId, { department: randomUUID() }, later)
    expect(unknown.report?.root).toBeNull()
    expect(unknown.trend).toEqual(await trend(hr))
    // The department's head (a limited scope, read once): the same lines and trend over their subtree.
    const headPage = await reportPage(head, periodId, { department: depot }, later)
    expect(headPage.report?.managers).toEqual(page.report?.managers)
    expect(headPage.trend.find((t) => t.period === '2029-Q1')).toEqual({ period: '2029-Q1', average: 50, managers: 3 })
  })
})

describe("HR home's period status", () => {
  it('counts unmarked sessions and managers without a score as the live report does, and follows data changes', async () => {
    const field = await department('Field', 'Field')
    const [m1, m2, m3] = await Promise.all([manager(field), manager(field), manager(field)])
    for (const m of [m1, m2, m3]) await setHistory(m.id, [{ departmentId: field, isManager: true, from: '2026-01-01T00:00:00Z' }])
    const a = await session('2028-05-10', [
      [m1, 'present'],
      [m2, null],
    ])
    const b = await session('2028-05-20', [[m1, null]])
    const periodId = await savedPeriod(hr, { key: '2028-Q2', startsOn: '2028-04-01', endsOn: '2028-06-30', weights: { attendance: 100, completion: 0 } })
    const later = { now: new Date('2028-07-02T04:00:00Z') }
    // The same figures as the live report: every manager in the period, those without a score.
    const check = async (blockers: { sessionId: string; unmarked: number }[]) => {
      const status = await currentPeriodStatus(hr, later)
      const live = await rollup(hr, periodId, { source: 'preview' }, later)
      expect(status).toMatchObject({ periodId: periodId, published: false, managers: live.totals?.managers, unscored: live.totals?.bands.none })
      expect(status?.blockers.map((x) => ({ sessionId: x.sessionId, unmarked: x.unmarked }))).toEqual(blockers)
      expect(status?.blockers.reduce((sum, x) => sum + x.unmarked, 0)).toBe(live.totals?.blocking)
      return status!
    }
    const before = await check([
      { sessionId: a, unmarked: 1 },
      { sessionId: b, unmarked: 1 },
    ])
    // m2's only session is unmarked (not counted): no score; m3 has nothing in the period.
    expect((await rollup(hr, periodId, { source: 'preview', department: field }, later)).totals?.bands.none).toBe(2)
    await db.insert(attendance).values({ sessionId: a, userId: m2.id, status: 'absent', method: 'trainer' })
    const marked = await check([{ sessionId: b, unmarked: 1 }])
    expect(marked.unscored).toBe(before.unscored - 1)
    // A completed course counts an item, but the component weighs 0: m3 still has no score.
    await course(m3, '2028-05-31T00:00:00Z', '2028-05-15T00:00:00Z')
    expect((await check([{ sessionId: b, unmarked: 1 }])).unscored).toBe(marked.unscored)
    await session('2028-06-10', [[m3, 'late']])
    await db.insert(attendance).values({ sessionId: b, userId: m1.id, status: 'present', method: 'trainer' })
    const after = await check([])
    expect(after.unscored).toBe(marked.unscored - 1)
    expect(after.managers).toBe(before.managers)
  })
})
