import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import {
  cases,
  cohorts,
  contributionRatings,
  departments,
  grades,
  groupAssignments,
  rubrics,
  studyGroupMembers,
  studyGroups,
  submissionVersions,
} from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { createPerson } from '../../../tests/setup/fixtures'
import { all, checkIn, plan, rate } from '../../../tests/setup/followup'
import { savedPeriod, setHistory } from '../../../tests/setup/kpi'
import { importTeamResults } from '~/modules/followup/results-import.server'
import { translator } from '~/i18n'
import { RollupFilters } from './kpi'
import { publishPeriod } from './periods.server'
import { exportTable, scorecard } from './reports.server'

/*
 * The follow-up components (issue 15) and the case-analysis inputs (issue 14) with hand-computed
 * expectations (docs/decisions/020, 037). Scores: 100 × Σ(weight × component score) ÷ Σ(weight)
 * over the components with counted items, one decimal, half away from zero.
 */

let hr: CurrentUser
let sales: string
let ops: string

async function department(name: string) {
  const [row] = await db.insert(departments).values({ name, path: name }).returning()
  return row.id
}

let periodCounter = 0
async function period(range: { startsOn: string; endsOn: string }, weights: Record<string, number>, cohortIds: string[] = []) {
  return savedPeriod(hr, { key: `P-${++periodCounter}`, ...range, weights, cohortIds })
}

beforeAll(async () => {
  hr = await createPerson({ roles: ['hr_admin'] })
  sales = await department('Sales')
  ops = await department('Ops')
})

/* ------------------------------------------------------------------ follow-up */

// 2026-Q2 (April–June, China time), computed on 15 June 2026: June's check-in due on the 14th is
// still within the 2 grace days, so its outcome is not known yet.
const Q2 = { startsOn: '2026-04-01', endsOn: '2026-06-30' }
const june15 = { now: new Date('2026-06-15T04:00:00Z') }
describe('follow-up components', () => {
  let m: CurrentUser
  let joiner: CurrentUser

  beforeAll(async () => {
    m = await createPerson({ roles: ['manager'], name: 'Follow-up manager', departmentId: ops })
    // A manager in Sales until 10 May, then in Ops: April and May belong to the first stretch, June to the second.
    await setHistory(m.id, [
      { departmentId: sales, isManager: true, from: '2025-01-01T00:00:00Z', to: '2026-05-10T00:00:00Z' },
      { departmentId: ops, isManager: true, from: '2026-05-10T00:00:00Z' },
    ])
    const [e1, e2, e3] = await Promise.all([1, 2, 3, 4].map(() => createPerson({ managerId: m.id })))
    const p1 = await plan(m.id, e1.id, '2026-01-05T02:00:00Z')
    const p2 = await plan(m.id, e2.id, '2026-04-20T02:00:00Z')
    const p3 = await plan(m.id, e3.id, '2026-05-10T02:00:00Z')
    await checkIn(p1, '2026-04-05', { heldOn: '2026-04-05', happened: true }) // on time, confirmed
    await checkIn(p1, '2026-04-20', { heldOn: '2026-04-25', happened: true }) // late (> 2 grace days), confirmed
    await checkIn(p2, '2026-05-10', { heldOn: '2026-05-11', happened: false }) // on time; the employee says it did not happen
    await checkIn(p1, '2026-05-20', { missed: true })
    await checkIn(p3, '2026-06-14', {}) // open, within the grace days: not known yet
    for (let i = 0; i < 3; i++) await rate(m.id, '2026-04-01', all(4)) // published: 3 raters, 4 on every statement
    await rate(m.id, '2026-05-01', all(1)) // May: 2 raters, below the minimum of 3: never shown
    await rate(m.id, '2026-05-01', all(5))
    for (const n of [5, 3, 1]) await rate(m.id, '2026-06-01', all(n)) // June: 3 raters, average 3

    // Became a manager on 15 May: May's first day lies before, so only June counts.
    joiner = await createPerson({ roles: ['manager'], departmentId: sales })
    await setHistory(joiner.id, [
      { departmentId: sales, isManager: false, from: '2025-01-01T00:00:00Z', to: '2026-05-15T00:00:00Z' },
      { departmentId: sales, isManager: true, from: '2026-05-15T00:00:00Z' },
    ])
    const [r1] = await Promise.all([1, 2].map(() => createPerson({ managerId: joiner.id })))
    await plan(joiner.id, r1.id, '2026-05-20T02:00:00Z')
  })

  it('scores coverage, adherence, confirmation and the published rating month by month, by hand', async () => {
    // coverage      April 2/4 (plans of e1, e2), May 3/4, June 3/4           → (0.5 + 0.75 + 0.75) / 3 = 2/3
    // adherence     April 1/2, May 1/2 (held on time; missed), June none known → (0.5 + 0.5) / 2 = 0.5
    // confirmation  April 2/2, May 0/1, June none held                        → (1 + 0) / 2 = 0.5
    // rating        April (4 − 1) / 4 = 0.75, May too few raters, June (3 − 1) / 4 = 0.5 → 0.625
    // score = (40 × 2/3 + 30 × 0.5 + 20 × 0.5 + 10 × 0.625) / 100 × 100 = 26.667 + 15 + 10 + 6.25 = 57.9166… → 57.9, band D
    const id = await period(Q2, { followup_coverage: 40, followup_adherence: 30, followup_confirmation: 20, followup_rating: 10 })
    const card = await scorecard(hr, id, m.id, {}, june15)
    expect(card.row.score).toBe(57.9)
    expect(card.row.band).toBe('D')
    expect(card.row.departmentPath).toBe('Ops')
    expect(card.row.components.map((c) => [c.key, c.score, c.items])).toEqual([
      ['followup_coverage', 66.7, 3],
      ['followup_adherence', 50, 2],
      ['followup_confirmation', 50, 2],
      ['followup_rating', 62.5, 2],
    ])
    // One item per month and measure, never two for a month after the department move.
    const byComponent = (key: string) => card.evidence.filter((e) => e.component === key).map((e) => [e.ref, e.status, e.score])
    expect(byComponent('followup_coverage')).toEqual([
      ['2026-04', 'measured', 0.5],
      ['2026-05', 'measured', 0.75],
      ['2026-06', 'measured', 0.75],
    ])
    expect(byComponent('followup_adherence')).toEqual([
      ['2026-04', 'measured', 0.5],
      ['2026-05', 'measured', 0.5],
      ['2026-06', 'none_due', null],
    ])
    expect(byComponent('followup_confirmation')).toEqual([
      ['2026-04', 'measured', 1],
      ['2026-05', 'measured', 0],
      ['2026-06', 'none_held', null],
    ])
    expect(byComponent('followup_rating')).toEqual([
      ['2026-04', 'rated', 0.75],
      ['2026-05', 'not_enough_ratings', null],
      ['2026-06', 'rated', 0.5],
    ])
    expect(card.evidence.find((e) => e.component === 'followup_coverage' && e.ref === '2026-05')?.label).toEqual({
      en: '3 of 4 direct reports with a follow-up plan',
      'zh-CN': '4 名直接下属中 3 名有跟进计划',
    })
    // What would raise it: coverage below 100 % in all three months, adherence in two.
    expect(card.hints).toEqual([
      { key: 'kpi.hint.followupCoverage', vars: { count: 3 } },
      { key: 'kpi.hint.followupAdherence', vars: { count: 2 } },
    ])
    // May's two raters show nothing — the same label as a month nobody rated.
    expect(card.evidence.find((e) => e.component === 'followup_rating' && e.ref === '2026-05')?.label).toEqual({
      en: 'Not enough ratings to show',
      'zh-CN': '评价人数不足，不显示',
    })
  })

  it('re-normalises over the follow-up components that have items, and counts a joiner from the first whole month', async () => {
    // coverage 2/3 and rating 0.625, weights 50/50: (50 × 2/3 + 50 × 0.625) / 100 = 0.64583… → 64.6
    const id = await period(Q2, { followup_coverage: 50, followup_rating: 50 })
    expect((await scorecard(hr, id, m.id, {}, june15)).row.score).toBe(64.6)
    // The joiner: June only, 1 of 2 reports with a plan → coverage 0.5; no rating published → dropped,
    // the coverage weight re-normalised to 100 %: 50.0.
    const card = await scorecard(hr, id, joiner.id, {}, june15)
    expect(card.evidence.filter((e) => e.component === 'followup_coverage').map((e) => [e.ref, e.score])).toEqual([['2026-06', 0.5]])
    expect(card.row.components.map((c) => [c.key, c.score, c.effectiveWeight])).toEqual([
      ['followup_coverage', 50, 100],
      ['followup_rating', null, null],
    ])
    expect(card.row.score).toBe(50)
  })

  it('shows the period’s months with the imported level-4 team result beside the follow-up components', async () => {
    const csv = `manager,period,value\n${m.email},2026-04,91.5\n${m.email},2026-05,88\n`
    expect(await importTeamResults(hr, { filename: 'results.csv', bytes: new TextEncoder().encode(csv) })).toEqual({ ok: true, imported: 2 })
    const id = await period(Q2, { followup_coverage: 100 })
    const card = await scorecard(hr, id, m.id, {}, june15)
    // Coverage as in the components; the rating only where published (April, June); May has no rating and June no result.
    expect(card.followUp!.periodMonths.map((x) => [x.period, x.teamResult, x.coverage, x.rating?.raters ?? null])).toEqual([
      ['2026-04-01', 91.5, 0.5, 3],
      ['2026-05-01', 88, 0.75, null],
      ['2026-06-01', null, 0.75, 3],
    ])
    // The chart's year ends with the period's last month.
    expect(card.followUp!.months.map((x) => x.period)).toEqual([
      '2025-07-01',
      '2025-08-01',
      '2025-09-01',
      '2025-10-01',
      '2025-11-01',
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
      '2026-05-01',
      '2026-06-01',
    ])
    // A policy without follow-up components adds nothing of follow-up to the scorecard.
    expect((await scorecard(hr, await period(Q2, { attendance: 100 }), m.id, {}, june15)).followUp).toBeNull()
  })

  it('publishes a period with follow-up components beside attendance, frozen with its evidence', async () => {
    // No sessions for these managers: attendance drops out, coverage carries the whole weight → 66.7.
    const id = await period(Q2, { attendance: 50, followup_coverage: 50 })
    const published = await publishPeriod(hr, id, {}, june15)
    expect(published).toMatchObject({ ok: true })
    await plan(m.id, (await createPerson({ managerId: m.id })).id, '2026-06-01T02:00:00Z') // later data: the snapshot keeps its figures
    const card = await scorecard(hr, id, m.id, {}, june15)
    expect(card.source.kind).toBe('snapshot')
    expect(card.row.score).toBe(66.7)
    expect(card.evidence.filter((e) => e.component === 'followup_coverage')).toHaveLength(3)
  })
})

describe('anonymity of the rating component', () => {
  it('reveals no month below the minimum through overlapping periods, a department filter or the export', async () => {
    // April: 3 raters, 4 on every statement (published); May: 2 raters (never shown).
    const a = await createPerson({ roles: ['manager'], departmentId: sales })
    await setHistory(a.id, [{ departmentId: sales, isManager: true, from: '2025-01-01T00:00:00Z' }])
    for (let i = 0; i < 3; i++) await rate(a.id, '2026-04-01', all(4))
    await rate(a.id, '2026-05-01', all(1))
    await rate(a.id, '2026-05-01', all(1))
    const weights = { followup_rating: 100 }
    const aprMay = await period({ startsOn: '2026-04-01', endsOn: '2026-05-31' }, weights)
    const apr = await period({ startsOn: '2026-04-01', endsOn: '2026-04-30' }, weights)
    const may = await period({ startsOn: '2026-05-01', endsOn: '2026-05-31' }, weights)
    const ratingOf = async (id: string) => (await scorecard(hr, id, a.id, {}, june15)).row.components.find((c) => c.key === 'followup_rating')!.score
    // April with May is April alone: May adds nothing, so the difference of the two periods is empty.
    expect(await ratingOf(aprMay)).toBe(75)
    expect(await ratingOf(apr)).toBe(75)
    expect(await ratingOf(may)).toBeNull()
    const t = translator('en')
    const exported = async (id: string, department?: string) => {
      const { table } = await exportTable(hr, id, RollupFilters.parse({ department }), t, june15)
      const row = table.body.find((r) => r.includes(a.email))!
      return [row[table.header.indexOf('Score')], row[table.header.indexOf('Upward rating Score')]]
    }
    // The export, for the whole organisation and for the manager's department, live and once published.
    for (const department of [undefined, sales]) {
      expect(await exported(aprMay, department)).toEqual([75, 75])
      expect(await exported(may, department)).toEqual(['', ''])
    }
    await publishPeriod(hr, may, {}, june15)
    await publishPeriod(hr, aprMay, {}, june15)
    expect(await exported(may)).toEqual(['', ''])
    expect(await exported(aprMay)).toEqual([75, 75])
  })
})

/* ------------------------------------------------------------- case analysis */

// 2027-Q1, computed on 5 April 2027.
const Q1 = { startsOn: '2027-01-01', endsOn: '2027-03-31' }
const april5 = { now: new Date('2027-04-05T04:00:00Z') }

let caseCounter = 0
async function caseAssignment(
  members: CurrentUser[],
  options: { dueAt: string; versions?: boolean[]; presented?: boolean; grade?: number; contributions?: [CurrentUser, CurrentUser, number][] },
) {
  const [cohort] = await db
    .insert(cohorts)
    .values({ name: `Cohort ${++caseCounter}` })
    .returning()
  const [group] = await db.insert(studyGroups).values({ cohortId: cohort.id, name: 'G', position: 1 }).returning()
  await db.insert(studyGroupMembers).values(members.map((p) => ({ groupId: group.id, cohortId: cohort.id, userId: p.id })))
  const text = { en: `Case ${caseCounter}`, 'zh-CN': `案例 ${caseCounter}` }
  const [k] = await db
    .insert(cases)
    .values({
      contentId: `kpi-case-${caseCounter}`,
      source: 'file',
      function: 'sales',
      title: text,
      narrative: text,
      keyPoints: [],
      questions: [],
      trainerNotes: text,
    })
    .returning()
  const [rubric] = await db.insert(rubrics).values({ name: text, criteria: [] }).returning() // contribution bounds 90 %–110 %
  const [a] = await db
    .insert(groupAssignments)
    .values({
      cohortId: cohort.id,
      groupId: group.id,
      caseId: k.id,
      rubricId: rubric.id,
      dueAt: new Date(options.dueAt),
      presentedAt: options.presented ? new Date(options.dueAt) : null,
    })
    .returning()
  for (const [i, late] of (options.versions ?? []).entries())
    await db
      .insert(submissionVersions)
      .values({ assignmentId: a.id, version: i + 1, fileId: randomUUID(), fileName: 'a.pdf', mime: 'application/pdf', late, uploadedBy: members[0].id })
  if (options.grade !== undefined) await db.insert(grades).values({ assignmentId: a.id, levels: {}, score: options.grade, releasedAt: new Date(options.dueAt) })
  for (const [rater, ratee, score] of options.contributions ?? [])
    await db.insert(contributionRatings).values({ assignmentId: a.id, raterId: rater.id, rateeId: ratee.id, score })
  return { cohortId: cohort.id, assignmentId: a.id }
}

describe('case-analysis inputs (learning and participation)', () => {
  let a: CurrentUser
  let b: CurrentUser
  let x1: { cohortId: string; assignmentId: string }
  let x2: { cohortId: string; assignmentId: string }
  let x3: { cohortId: string; assignmentId: string }

  beforeAll(async () => {
    a = await createPerson({ roles: ['manager'], departmentId: sales })
    b = await createPerson({ roles: ['manager'], departmentId: sales })
    for (const p of [a, b]) await setHistory(p.id, [{ departmentId: sales, isManager: true, from: '2026-01-01T00:00:00Z' }])
    // X1, A and B: on time, presented, group score 80. Contribution: A got 5, B got 4; mean of the
    // members' means 4.5. A: 80 × min(1.10, 5/4.5 = 1.11) = 88; B: 80 × max(0.90, 4/4.5 = 0.89) = 72.
    x1 = await caseAssignment([a, b], {
      dueAt: '2027-02-10T01:00:00Z',
      versions: [false],
      presented: true,
      grade: 80,
      contributions: [
        [b, a, 5],
        [a, b, 4],
      ],
    })
    // X2, A alone: only a late version, not presented, grade 70 released (no contribution ratings: factor 1).
    x2 = await caseAssignment([a], { dueAt: '2027-03-10T01:00:00Z', versions: [true], grade: 70 })
    // X3, A alone: nothing submitted, due date passed, not graded yet.
    x3 = await caseAssignment([a], { dueAt: '2027-03-25T01:00:00Z' })
    // Due before the period: not counted.
    await caseAssignment([a], { dueAt: '2026-12-20T01:00:00Z', versions: [false], presented: true, grade: 10 })
  })

  it('averages released marks into learning and counts submission and presentation as participation, by hand', async () => {
    const id = await period(Q1, { learning: 50, participation: 50 })
    // A: learning (0.88 + 0.70) / 2 = 0.79. Participation: submitted X1 1, X2 0 (late), X3 0 (not
    // submitted); presented X1 1, X2 0 (grade released, not presented), X3 pending (not counted):
    // 2 / 5 = 0.4. Score (50 × 0.79 + 50 × 0.4) / 100 × 100 = 59.5, band D.
    const cardA = await scorecard(hr, id, a.id, {}, april5)
    expect(cardA.row.score).toBe(59.5)
    expect(cardA.row.band).toBe('D')
    expect(cardA.row.components.map((c) => [c.key, c.score, c.items])).toEqual([
      ['learning', 79, 2],
      ['participation', 40, 5],
    ])
    const items = cardA.evidence.map((e) => [e.component, e.ref, e.status, e.score])
    expect(items).toEqual(
      expect.arrayContaining([
        ['learning', x1.assignmentId, 'graded', 0.88],
        ['learning', x2.assignmentId, 'graded', 0.7],
        ['participation', x1.assignmentId, 'submitted_on_time', 1],
        ['participation', x1.assignmentId, 'presented', 1],
        ['participation', x2.assignmentId, 'submitted_late', 0],
        ['participation', x2.assignmentId, 'not_presented', 0],
        ['participation', x3.assignmentId, 'not_submitted', 0],
        ['participation', x3.assignmentId, 'presentation_pending', null],
      ]),
    )
    expect(items).toHaveLength(8)
    expect(cardA.hints).toEqual([{ key: 'kpi.hint.caseSubmission', vars: { count: 2 } }])
    // B: learning 0.72, participation 2 / 2 = 1: (50 × 0.72 + 50 × 1) = 86.0, band B.
    const cardB = await scorecard(hr, id, b.id, {}, april5)
    expect(cardB.row.score).toBe(86)
    expect(cardB.row.band).toBe('B')
  })

  it('counts only the cohorts in scope, and an assignment not yet due as open', async () => {
    // Only X1's cohort: A learning 0.88, participation 1 and 1: (50 × 0.88 + 50 × 1) = 94.0, band A.
    const id = await period(Q1, { learning: 50, participation: 50 }, [x1.cohortId])
    const card = await scorecard(hr, id, a.id, {}, april5)
    expect(card.row.score).toBe(94)
    expect(card.row.band).toBe('A')
    // Computed on 1 March instead: X2 (due 10 March) and X3 are open — shown, not counted — and
    // X2's released mark already counts. Learning (0.88 + 0.70) / 2 = 0.79; participation X1 1, 1;
    // X2 submitted late 0 (a late version is final), not presented 0 (released) → 2 / 4 = 0.5.
    // Score (50 × 0.79 + 50 × 0.5) = 64.5.
    const all = await period(Q1, { learning: 50, participation: 50 })
    const early = await scorecard(hr, all, a.id, {}, { now: new Date('2027-03-01T04:00:00Z') })
    expect(
      early.evidence
        .filter((e) => e.ref === x3.assignmentId)
        .map((e) => [e.status, e.score])
        .sort(),
    ).toEqual([
      ['open', null],
      ['presentation_pending', null],
    ])
    expect(early.row.score).toBe(64.5)
  })
})
