import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import {
  cohorts,
  departments,
  orgHistory,
  roleplayAssignments,
  roleplayRecordings,
  roleplayReviews,
  roleplayStudyItems,
  roleplayStudyProgress,
  studyGroupMembers,
  studyGroups,
  videoProgress,
  videos,
} from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { scorecard } from '~/modules/kpi/reports.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { savedPeriod } from '../../../tests/setup/kpi'
import { scenarioRow, studyFile } from '../../../tests/setup/roleplay-study'
import { roleplayKpi } from './kpi.server'

/*
 * Role-play KPI figures with hand-computed expectations. Period 2027-Q1 (1 Jan – 31 Mar, China
 * time, i.e. [2026-12-31T16:00Z, 2027-03-31T16:00Z)), computed on 5 April 2027.
 */
const now = new Date('2027-04-05T04:00:00Z')
const period = { from: new Date('2026-12-31T16:00:00Z'), to: new Date('2027-03-31T16:00:00Z') }
let hr: CurrentUser
let a: CurrentUser
let b: CurrentUser
let c: CurrentUser
let departmentId: string

async function group(cohortId: string, name: string, members: CurrentUser[]) {
  const [g] = await db.insert(studyGroups).values({ cohortId, name, position: 1 }).returning()
  await db.insert(studyGroupMembers).values(members.map((m) => ({ groupId: g.id, cohortId, userId: m.id })))
  return g.id
}

async function assignment(groupId: string, cohortId: string, scenarioId: string, dueAt: string, extra: { performedLiveAt?: string } = {}) {
  const [row] = await db
    .insert(roleplayAssignments)
    .values({ groupId, cohortId, scenarioId, dueAt: new Date(dueAt), performedLiveAt: extra.performedLiveAt ? new Date(extra.performedLiveAt) : null })
    .returning()
  return row.id
}

async function recording(assignmentId: string, version: number, by: CurrentUser, submittedAt: string, withdrawnAt?: string) {
  const [row] = await db
    .insert(roleplayRecordings)
    .values({
      assignmentId,
      version,
      submittedBy: by.id,
      submittedAt: new Date(submittedAt),
      withdrawnAt: withdrawnAt ? new Date(withdrawnAt) : null,
      status: 'ready',
    })
    .returning()
  return row.id
}

async function review(assignmentId: string, score: number, released: boolean, recordingId?: string) {
  await db.insert(roleplayReviews).values({
    assignmentId,
    mode: recordingId ? 'recording' : 'live',
    recordingId: recordingId ?? null,
    score,
    releasedAt: released ? new Date('2027-03-30T00:00:00Z') : null,
  })
}

async function item(assignmentId: string, position: number, kind: 'file' | 'video', ref: string) {
  const [row] = await db.insert(roleplayStudyItems).values({ assignmentId, position, kind, ref }).returning()
  return row.id
}

async function finished(itemId: string, person: CurrentUser) {
  await db
    .insert(roleplayStudyProgress)
    .values({ itemId, userId: person.id, openedAt: new Date('2027-02-01T00:00:00Z'), finishedAt: new Date('2027-02-02T00:00:00Z') })
}

beforeAll(async () => {
  hr = await createPerson({ roles: ['hr_admin'] })
  const [dept] = await db.insert(departments).values({ name: 'RP', path: 'RP' }).returning()
  departmentId = dept.id
  a = await createPerson({ roles: ['manager'], name: 'A', departmentId })
  b = await createPerson({ roles: ['manager'], name: 'B', departmentId })
  c = await createPerson({ roles: ['manager'], name: 'C', departmentId })
  for (const p of [a, b, c]) {
    await db.delete(orgHistory).where(eq(orgHistory.userId, p.id))
    await db.insert(orgHistory).values({ userId: p.id, departmentId, isManager: true, validFrom: new Date('2026-01-01T00:00:00Z'), validTo: null })
  }
  const scenario = await scenarioRow()
  const [cohort1] = await db.insert(cohorts).values({ name: 'RP KPI 1' }).returning()
  const [cohort2] = await db.insert(cohorts).values({ name: 'RP KPI 2' }).returning()
  const [cohort3] = await db.insert(cohorts).values({ name: 'RP KPI 3' }).returning()
  await db
    .insert(videos)
    .values({ id: 'rp-kpi-video', kind: 'lecture', title: { en: 'V', 'zh-CN': 'V' }, description: { en: '', 'zh-CN': '' }, origin: 'upload' })
  const file = async () => (await studyFile(hr)).id

  // a1 (A, B), due 10 Feb: v1 withdrawn, v2 on time; released 80. Pack: a file and the video.
  const a1 = await assignment(await group(cohort1.id, '1', [a, b]), cohort1.id, scenario.id, '2027-02-10T10:00:00Z')
  await recording(a1, 1, a, '2027-02-09T08:00:00Z', '2027-02-09T09:00:00Z')
  const v2 = await recording(a1, 2, b, '2027-02-10T09:00:00Z')
  await review(a1, 80, true, v2)
  const f1 = await item(a1, 1, 'file', await file())
  await item(a1, 2, 'video', 'rp-kpi-video')
  await finished(f1, a)
  await finished(f1, b)
  await db.insert(videoProgress).values({ userId: a.id, videoId: 'rp-kpi-video', completedAt: new Date('2027-02-03T00:00:00Z') })

  // a2 (C), due 1 Mar: performed live; reviewed 70 but not released. No pack.
  const a2 = await assignment(await group(cohort1.id, '2', [c]), cohort1.id, scenario.id, '2027-03-01T10:00:00Z', { performedLiveAt: '2027-03-01T09:00:00Z' })
  await review(a2, 70, false)

  // a3 (A), due 20 Mar: only a late recording (and a refused one on time); released 55. Pack: two files, A finished one.
  const a3 = await assignment(await group(cohort2.id, '3', [a]), cohort2.id, scenario.id, '2027-03-20T10:00:00Z')
  await db
    .insert(roleplayRecordings)
    .values({ assignmentId: a3, version: 1, submittedBy: a.id, submittedAt: new Date('2027-03-19T10:00:00Z'), status: 'refused' })
  const late = await recording(a3, 2, a, '2027-03-21T10:00:00Z')
  await review(a3, 55, true, late)
  await finished(await item(a3, 1, 'file', await file()), a)
  await item(a3, 2, 'file', await file())

  // a4 (C), due 25 Mar: nothing submitted. Pack: one file, not finished.
  const a4 = await assignment(await group(cohort2.id, '4', [c]), cohort2.id, scenario.id, '2027-03-25T10:00:00Z')
  await item(a4, 1, 'file', await file())

  // a5 (A), due 20 Apr: after the period, not counted.
  const a5 = await assignment(await group(cohort3.id, '5', [a]), cohort3.id, scenario.id, '2027-04-20T10:00:00Z', { performedLiveAt: '2027-04-20T09:00:00Z' })
  await review(a5, 10, true)
}, 120_000)

describe('role-play KPI', () => {
  it('gives per person and period: on time or live, the released rubric score, self-study completion', async () => {
    const rows = await roleplayKpi(db, period, now)
    const byName = (p: CurrentUser) => rows.find((r) => r.user_id === p.id)
    // A: a1 on time, a3 late → 1 of 2; scores (80 + 55) / 2 = 67.5 → 68; study (2 + 1) / (2 + 2) = 0.75
    expect(byName(a)).toEqual({ user_id: a.id, assignments: 2, delivered: 1, score: 68, study_completion: 0.75 })
    // B: a1 on time; 80; study 1 / 2
    expect(byName(b)).toEqual({ user_id: b.id, assignments: 1, delivered: 1, score: 80, study_completion: 0.5 })
    // C: a2 live, a4 missing → 1 of 2; nothing released; study 0 / 1 (a2 has no pack)
    expect(byName(c)).toEqual({ user_id: c.id, assignments: 2, delivered: 1, score: null, study_completion: 0 })
  })

  it('feeds three KPI components that HR weighs', async () => {
    const periodId = await savedPeriod(hr, {
      key: '2027-Q1-roleplay',
      startsOn: '2027-01-01',
      endsOn: '2027-03-31',
      weights: { roleplay_delivery: 40, roleplay_score: 30, roleplay_study: 30 },
    })
    const card = async (p: CurrentUser) => scorecard(hr, periodId, p.id, {}, { now })

    // A: delivery (1 + 0) / 2 = 0.5; score (0.80 + 0.55) / 2 = 0.675; study (1 + 0.5) / 2 = 0.75
    // (40 × 0.5 + 30 × 0.675 + 30 × 0.75) / 100 = 62.75 → 62.8
    const cardA = await card(a)
    expect(cardA.row.score).toBe(62.8)
    expect(cardA.evidence.map((e) => [e.component, e.status, e.score])).toEqual([
      ['roleplay_delivery', 'on_time', 1],
      ['roleplay_delivery', 'late', 0],
      ['roleplay_score', 'reviewed', 0.8],
      ['roleplay_score', 'reviewed', 0.55],
      ['roleplay_study', 'study_done', 1],
      ['roleplay_study', 'study_partial', 0.5],
    ])
    // C: delivery (1 + 0) / 2 = 0.5; score: an unreleased review and none (shown, not counted: the component drops out);
    // study 0 / 1 = 0. (40 × 0.5 + 30 × 0) / 70 = 0.285714… → 28.6
    const cardC = await card(c)
    expect(cardC.row.score).toBe(28.6)
    expect(cardC.evidence.filter((e) => e.component === 'roleplay_score').map((e) => [e.status, e.score])).toEqual([
      ['not_reviewed', null],
      ['not_reviewed', null],
    ])
    expect(cardC.row.components.find((x) => x.key === 'roleplay_score')).toMatchObject({ score: null, effectiveWeight: null })
  })
})
