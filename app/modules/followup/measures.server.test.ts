import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { courses, enrolments } from '#db/schema'
import { sql } from 'drizzle-orm'
import type { CurrentUser } from '~/modules/auth/permissions'
import { department } from '../../../tests/setup/courses'
import { createPerson } from '../../../tests/setup/fixtures'
import { all, checkIn, plan, rate } from '../../../tests/setup/followup'
import { followUpMeasures } from './measures.server'
import { allMeasures } from './reports.server'

// Today is 15 June 2026 in Shanghai; the manager completed the course on 10 March (the "during" month).
const NOW = new Date('2026-06-15T04:00:00Z')
const RANGE = { from: '2026-01-01', to: '2026-06-01', now: NOW, minimum: 3 }

let manager: CurrentUser
let other: CurrentUser
let hr: CurrentUser
let deptA: string

beforeAll(async () => {
  deptA = (await department('Sales')).id
  const deptB = (await department('Research')).id
  manager = await createPerson({ roles: ['manager'], name: 'A Manager', departmentId: deptA })
  other = await createPerson({ roles: ['manager'], name: 'B Manager', departmentId: deptB })
  hr = await createPerson({ roles: ['hr_admin'] })
  const [e1, e2, e3] = await Promise.all([1, 2, 3, 4].map(() => createPerson({ managerId: manager.id })))
  const [course] = await db
    .insert(courses)
    .values({
      contentId: 'managers-course',
      audience: 'managers',
      title: { en: 'c', 'zh-CN': 'c' },
      description: { en: '', 'zh-CN': '' },
      estimatedMinutes: 60,
      status: 'published',
    })
    .returning()
  await db.insert(enrolments).values({ courseId: course.id, userId: manager.id, completedAt: new Date('2026-03-10T02:00:00Z') })

  const p1 = await plan(manager.id, e1.id, '2026-01-05T02:00:00Z')
  const p2 = await plan(manager.id, e2.id, '2026-02-20T02:00:00Z')
  await plan(manager.id, e3.id, '2026-04-02T02:00:00Z')
  // E1
  await checkIn(p1, '2026-01-10', { heldOn: '2026-01-20', happened: true }) // late
  await checkIn(p1, '2026-01-25', { missed: true })
  await checkIn(p1, '2026-02-10', { heldOn: '2026-02-11' }) // on time (grace), unconfirmed
  await checkIn(p1, '2026-04-05', { heldOn: '2026-04-05', happened: true })
  await checkIn(p1, '2026-04-20', { heldOn: '2026-04-22', happened: false }) // on time; employee says it did not happen
  await checkIn(p1, '2026-05-10', { heldOn: '2026-05-13', happened: true }) // late
  await checkIn(p1, '2026-06-14', {}) // open, still within the grace days: outcome unknown
  // E2
  await checkIn(p2, '2026-02-25', { missed: true })
  await checkIn(p2, '2026-04-15', { heldOn: '2026-04-15', happened: true })
  await checkIn(p2, '2026-06-01', {}) // open and overdue

  for (const r of [
    { two_way: 4, feedback: 2, obstacles: 5, autonomy: 1 },
    { two_way: 5, feedback: 2, obstacles: 5, autonomy: 2 },
    { two_way: 3, feedback: 2, obstacles: 5, autonomy: 3 },
  ])
    await rate(manager.id, '2026-02-01', r)
  for (let i = 0; i < 3; i++) await rate(manager.id, '2026-03-01', all(5))
  await rate(manager.id, '2026-04-01', all(1))
  await rate(manager.id, '2026-04-01', all(2))
  for (const n of [3, 4, 5, 1]) await rate(manager.id, '2026-05-01', all(n))
  // The other manager: two raters in April, never enough.
  await rate(other.id, '2026-04-01', all(1))
  await rate(other.id, '2026-04-01', all(5))
})

describe('follow-up measures', () => {
  it('computes coverage, adherence, confirmation rate and the rating per month, by hand', async () => {
    const [m] = await followUpMeasures(db, { ...RANGE, managerIds: [manager.id] })
    expect(m.completedOn).toBe('2026-03-10')
    const byMonth = Object.fromEntries(m.months.map((x) => [x.period, x]))
    expect(m.months.map((x) => x.phase)).toEqual(['before', 'before', 'during', 'after', 'after', 'after'])
    expect(m.months.map((x) => x.coverage)).toEqual([1 / 4, 2 / 4, 2 / 4, 3 / 4, 3 / 4, 3 / 4])
    expect(m.months.map((x) => [x.onTime, x.due])).toEqual([
      [0, 2],
      [1, 2],
      [0, 0],
      [3, 3],
      [0, 1],
      [0, 1],
    ])
    expect(m.months.map((x) => x.adherence)).toEqual([0, 0.5, null, 1, 0, 0])
    expect(m.months.map((x) => [x.confirmed, x.held])).toEqual([
      [1, 1],
      [0, 1],
      [0, 0],
      [2, 3],
      [1, 1],
      [0, 0],
    ])
    expect(byMonth['2026-02-01'].rating).toEqual({ raters: 3, two_way: 4, feedback: 2, obstacles: 5, autonomy: 2 })
    expect(byMonth['2026-03-01'].rating).toEqual({ raters: 3, two_way: 5, feedback: 5, obstacles: 5, autonomy: 5 })
    expect(byMonth['2026-04-01'].rating).toBeNull() // two raters
    // Four raters in May: still the three that were published, not the fourth.
    expect(byMonth['2026-05-01'].rating).toEqual({ raters: 3, two_way: 4, feedback: 4, obstacles: 4, autonomy: 4 })
  })

  it('pools whole months before and after the course, leaving out the month of completion', async () => {
    const [m] = await followUpMeasures(db, { ...RANGE, managerIds: [manager.id] })
    expect(m.before).toEqual({
      months: 2,
      coverage: 3 / 8,
      adherence: 1 / 4,
      confirmationRate: 1 / 2,
      rating: { raters: 3, two_way: 4, feedback: 2, obstacles: 5, autonomy: 2 },
      teamResult: null,
    })
    expect(m.after).toEqual({
      months: 3,
      coverage: 9 / 12,
      adherence: 3 / 5,
      confirmationRate: 3 / 4,
      rating: { raters: 3, two_way: 4, feedback: 4, obstacles: 4, autonomy: 4 },
      teamResult: null,
    })
  })

  it('computes many managers in one call, and no rating for a manager below the minimum', async () => {
    const managers = await followUpMeasures(db, RANGE)
    const b = managers.find((x) => x.managerId === other.id)!
    expect(b.completedOn).toBeNull()
    expect(b.months.every((x) => x.rating === null && x.phase === null)).toBe(true)
    expect(b.before).toBeNull()
    expect(managers.find((x) => x.managerId === manager.id)!.months).toHaveLength(6)
  })
})

describe('anonymity of upward ratings', () => {
  it('stores ratings without a person, a time, an id or a per-answer row', async () => {
    const columns = parseRows(
      z.object({ table_name: column.text, column_name: column.text }),
      await db.execute(sql`select table_name, column_name from information_schema.columns
        where table_name in ('follow_up_rating_tallies', 'follow_up_rating_periods') order by table_name, ordinal_position`),
    )
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`)).toEqual([
      'follow_up_rating_periods.manager_id',
      'follow_up_rating_periods.period',
      'follow_up_rating_periods.raters',
      'follow_up_rating_periods.published_raters',
      'follow_up_rating_tallies.manager_id',
      'follow_up_rating_tallies.period',
      'follow_up_rating_tallies.statement',
      'follow_up_rating_tallies.score',
      'follow_up_rating_tallies.count',
      'follow_up_rating_tallies.published_count',
    ])
    const confirmationColumns = parseRows(
      z.object({ column_name: column.text }),
      await db.execute(sql`select column_name from information_schema.columns where table_name = 'check_in_confirmations'`),
    ).map((c) => c.column_name)
    expect(confirmationColumns.some((c) => /score|rating_id|two_way|feedback|obstacles|autonomy/.test(c))).toBe(false)
  })

  it('does not reveal an answer by differencing the same month over time', async () => {
    const period = '2026-05-01'
    const shown = async () => (await followUpMeasures(db, { ...RANGE, managerIds: [manager.id] }))[0].months.find((x) => x.period === period)!.rating
    const first = await shown()
    expect(first).toEqual({ raters: 3, two_way: 4, feedback: 4, obstacles: 4, autonomy: 4 })
    // A fifth person rates: what is shown does not move, so the 4th and 5th answers stay hidden.
    await rate(manager.id, period, all(1))
    expect(await shown()).toEqual(first)
    // The sixth: three new people since the last publication, so the month is published again.
    await rate(manager.id, period, all(1))
    expect(await shown()).toEqual({ raters: 6, two_way: 15 / 6, feedback: 15 / 6, obstacles: 15 / 6, autonomy: 15 / 6 })
  })

  it('does not reveal a below-minimum month by differencing two overlapping periods', async () => {
    // April has two raters. Pooled April–June and pooled May–June must be the same.
    const aprToJun = (await followUpMeasures(db, { ...RANGE, from: '2026-04-01', managerIds: [manager.id] }))[0]
    const mayToJun = (await followUpMeasures(db, { ...RANGE, from: '2026-05-01', managerIds: [manager.id] }))[0]
    expect(aprToJun.after!.rating).toEqual(mayToJun.after!.rating)
    // And March–April against March alone.
    const marToApr = (await followUpMeasures(db, { ...RANGE, from: '2026-03-01', to: '2026-04-01', managerIds: [manager.id] }))[0]
    const aprOnly = (await followUpMeasures(db, { ...RANGE, from: '2026-04-01', to: '2026-04-01', managerIds: [manager.id] }))[0]
    expect(marToApr.after!.rating).toBeNull()
    expect(aprOnly.after!.rating).toBeNull()
    expect(aprOnly.months[0].rating).toBeNull()
  })

  it('does not reveal a below-minimum manager by differencing two filters', async () => {
    const everyone = await allMeasures(hr, {}, NOW)
    const sales = await allMeasures(hr, { departmentId: deptA }, NOW)
    expect(sales.managers.map((m) => m.managerId)).toEqual([manager.id])
    // The filter picks whole managers: a manager's numbers are the same under any filter, there is no total to subtract from.
    const inAll = everyone.managers.find((m) => m.managerId === manager.id)!
    expect(sales.managers[0]).toEqual(inAll)
    expect(Object.keys(everyone)).not.toContain('total')
    const b = everyone.managers.find((m) => m.managerId === other.id)!
    expect(b.months.map((x) => x.rating)).toEqual(Array(12).fill(null))
  })
})
