import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { cases, grades, groupAssignments, notifications, submissionVersions } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { formGroups, getGroupBoard } from '~/modules/groups/groups.server'
import { caseCohort, localIn, slidesFile } from '../../../tests/setup/case-analysis'
import { settle } from '../../../tests/setup/fixtures'
import { addVersion, assignCases, currentSubmission, ensureDefaultRubric, getGroupPage, sendDueCaseReminders, submitVersion } from './assignments.server'
import { getGradingView, markPresented, rateContributions, ratePeer, releaseGrade, saveGrade, setPresentationOrder } from './grading.server'
import { caseAnalysisKpi } from './kpi.server'

let c: Awaited<ReturnType<typeof caseCohort>>
let groups: Awaited<ReturnType<typeof getGroupBoard>>['groups']
let rubricId: string
const member = (groupIndex: number, i = 0): CurrentUser => c.people.find((p) => p.id === groups[groupIndex].members[i].userId)!
const assignmentOf = async (groupId: string) => (await db.select().from(groupAssignments).where(eq(groupAssignments.groupId, groupId)))[0]

beforeAll(async () => {
  c = await caseCohort()
  await formGroups(c.trainer, c.session1, { intent: 'form', method: 'balanced', by: 'count', value: 3, seniority: false })
  groups = (await getGroupBoard(c.trainer, c.session1)).groups
  rubricId = (await ensureDefaultRubric()).id
}, 180_000)

const assignInput = (overrides: Partial<Parameters<typeof assignCases>[2]> = {}) => ({
  intent: 'assign' as const,
  mode: 'same' as const,
  caseId: '',
  cases: {},
  dueAt: localIn(48),
  rubricId,
  peerRatings: true,
  contributionRatings: true,
  presentMinutes: 10,
  ...overrides,
})

describe('assigning cases', () => {
  it('refuses a due time after session 2 starts', async () => {
    const [k] = await db.select().from(cases).limit(1)
    const result = await assignCases(c.trainer, c.session1, assignInput({ caseId: k.id, dueAt: localIn(24 * 9) }))
    expect(result).toEqual({ ok: false, errors: { dueAt: ['cases.assign.dueAfterSession2'] } })
  })

  it('gives each group its own case and notifies every member once', async () => {
    const all = await db.select().from(cases).limit(3)
    const perGroup = Object.fromEntries(groups.map((g, i) => [g.id, all[i].id]))
    expect(await assignCases(c.trainer, c.session1, assignInput({ mode: 'different', cases: perGroup }))).toEqual({ ok: true, assigned: 3 })
    for (const [i, g] of groups.entries()) expect((await assignmentOf(g.id)).caseId).toBe(all[i].id)
    const notes = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, member(0).id), eq(notifications.kind, 'case_assigned')))
    expect(notes).toHaveLength(1)
    expect(notes[0].link).toBe(`/groups/${groups[0].id}`)
  })
})

describe('the group page', () => {
  it('shows learners the case without the trainer notes or the key points; staff see both', async () => {
    const page = await getGroupPage(member(0), groups[0].id)
    expect(page.assignment?.case.narrative.en).toBeTruthy()
    expect(page.assignment?.case.trainerNotes).toBeNull()
    expect(page.assignment?.case.keyPoints).toBeNull()
    expect(JSON.stringify(page)).not.toContain('Expected findings')
    const staff = await getGroupPage(c.trainer, groups[0].id)
    expect(staff.assignment?.case.trainerNotes?.en).toBeTruthy()
  })

  it('is not found for a member of another group or an outsider', async () => {
    for (const who of [member(1), c.otherTrainer]) {
      const result = await settle(() => getGroupPage(who, groups[0].id))
      expect((result as Response).status).toBe(404)
    }
  })
})

describe('submission versions', () => {
  it('numbers versions uploaded at the same time in order, each with who and when', async () => {
    const a = await assignmentOf(groups[0].id)
    const [f1, f2] = [
      await slidesFile(member(0, 0)),
      await slidesFile(member(0, 1), 'deck.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'),
    ]
    await Promise.all([db.transaction((tx) => addVersion(tx, member(0, 0), a.id, f1)), db.transaction((tx) => addVersion(tx, member(0, 1), a.id, f2))])
    const versions = await db.select().from(submissionVersions).where(eq(submissionVersions.assignmentId, a.id))
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2])
    expect(new Set(versions.map((v) => v.uploadedBy))).toEqual(new Set([member(0, 0).id, member(0, 1).id]))
    expect(versions.every((v) => !v.late)).toBe(true)
  })

  it('marks a version after the due time late; the latest on-time version stays the submission', async () => {
    const a = await assignmentOf(groups[0].id)
    const f = await slidesFile(member(0, 2))
    const result = await db.transaction((tx) => addVersion(tx, member(0, 2), a.id, f, new Date(a.dueAt.getTime() + 60_000)))
    expect(result).toMatchObject({ version: 3, late: true })
    const page = await getGroupPage(member(0), groups[0].id)
    expect(page.assignment?.versions.map((v) => [v.version, v.late])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ])
    expect(page.assignment?.submissionId).toBe(page.assignment?.versions[1].id)
    expect(currentSubmission([{ version: 1, late: true }])).toEqual({ version: 1, late: true })
  })

  it('a refused upload leaves the current submission as it was', async () => {
    const before = await db.select().from(submissionVersions)
    await expect(submitVersion(member(0), groups[0].id, 'f'.repeat(32))).rejects.toMatchObject({ name: 'UploadRejected' })
    expect(await db.select().from(submissionVersions)).toHaveLength(before.length)
  })

  it('only members of the group can upload', async () => {
    expect(await submitVersion(c.trainer, groups[0].id, 'f'.repeat(32))).toEqual({ ok: false, error: 'notMember' })
  })
})

describe('grading and release', () => {
  it('two trainers grading the same submission: the second sees a conflict, nothing is overwritten', async () => {
    const a = await assignmentOf(groups[0].id)
    const levels = { violations: 3, 'root-cause': 2, plan: 2, presentation: 1 }
    const first = await saveGrade(c.trainer, a.id, {
      intent: 'grade',
      version: 0,
      levels,
      comment: 'Good root cause',
      slideComments: [{ page: 2, text: 'Name the key point' }],
    })
    expect(first).toEqual({ ok: true, version: 1, score: 75 })
    const second = await saveGrade(c.hr, a.id, { intent: 'grade', version: 0, levels: { ...levels, plan: 0 }, comment: 'Other', slideComments: [] })
    expect(second).toEqual({ ok: false, error: 'conflict' })
    const [g] = await db.select().from(grades).where(eq(grades.assignmentId, a.id))
    expect(g.comment).toBe('Good root cause')
    expect(await saveGrade(c.hr, a.id, { intent: 'grade', version: 1, levels, comment: 'Good root cause!', slideComments: [] })).toMatchObject({
      ok: true,
      version: 2,
    })
  })

  it('refuses an incomplete rubric, and a trainer of another cohort', async () => {
    const a = await assignmentOf(groups[0].id)
    expect(await saveGrade(c.trainer, a.id, { intent: 'grade', version: 2, levels: { violations: 1 }, comment: '', slideComments: [] })).toEqual({
      ok: false,
      error: 'incomplete',
    })
    expect(((await settle(() => getGradingView(c.otherTrainer, a.id))) as Response).status).toBe(403)
  })

  it('learners see nothing of the grade before release; after it, the rubric, comments and their own mark adjusted by contribution within bounds', async () => {
    const a = await assignmentOf(groups[0].id)
    expect((await getGroupPage(member(0), groups[0].id)).assignment?.results.grade).toBeNull()
    // Member 0 is rated 5 by both others, the others 1 by each other: factors far above and below 1, clamped to 90–110 %.
    const [m0, m1, m2] = [member(0, 0), member(0, 1), member(0, 2)]
    await rateContributions(m1, groups[0].id, { [m0.id]: 5, [m2.id]: 1 })
    await rateContributions(m2, groups[0].id, { [m0.id]: 5, [m1.id]: 1 })
    await rateContributions(m0, groups[0].id, { [m1.id]: 1, [m2.id]: 1 })
    await releaseGrade(c.trainer, a.id)
    const page0 = await getGroupPage(m0, groups[0].id)
    expect(page0.assignment?.results.grade).toMatchObject({ score: 75, comment: 'Good root cause!', ownMark: 83 })
    expect(page0.assignment?.results.grade?.rubric).toHaveLength(4)
    expect((await getGroupPage(m1, groups[0].id)).assignment?.results.grade?.ownMark).toBe(68)
  })

  it('peer ratings come from other groups after the presentation, without names', async () => {
    const a = await assignmentOf(groups[0].id)
    expect(await ratePeer(member(1), a.id, 4, 'Clear plan')).toEqual({ ok: false, error: 'cases.peer.notOpen' })
    await markPresented(c.trainer, a.id)
    expect(await ratePeer(member(1), a.id, 4, 'Clear plan')).toEqual({ ok: true })
    expect(await ratePeer(member(0), a.id, 5, '')).toEqual({ ok: false, error: 'cases.peer.ownGroup' })
    const page = await getGroupPage(member(0), groups[0].id)
    expect(page.assignment?.results.grade?.peer).toEqual({ average: 4, comments: ['Clear plan'] })
    expect(JSON.stringify(page.assignment?.results)).not.toContain(member(1).name)
  })

  it('sets a manual or random presentation order', async () => {
    const ids = await Promise.all(groups.map(async (g) => (await assignmentOf(g.id)).id))
    expect(await setPresentationOrder(c.trainer, c.cohort.id, 'manual', { [ids[0]]: 3, [ids[1]]: 1, [ids[2]]: 2 })).toEqual({ ok: true })
    expect((await assignmentOf(groups[1].id)).presentOrder).toBe(1)
    expect(await setPresentationOrder(c.trainer, c.cohort.id, 'manual', { [ids[0]]: 1 })).toEqual({ ok: false, error: 'cases.present.badOrder' })
    expect(await setPresentationOrder(c.trainer, c.cohort.id, 'random', {})).toEqual({ ok: true })
    const orders = await Promise.all(groups.map(async (g) => (await assignmentOf(g.id)).presentOrder))
    expect(orders.sort()).toEqual([1, 2, 3])
  })
})

describe('reminders and KPI', () => {
  it('reminds members 24 h before the due time only when nothing is submitted, once', async () => {
    const a1 = await assignmentOf(groups[1].id)
    const at = new Date(a1.dueAt.getTime() - 23 * 3600_000)
    const first = await sendDueCaseReminders(at)
    expect(first.reminded).toBe(groups[1].members.length + groups[2].members.length)
    expect((await sendDueCaseReminders(at)).reminded).toBe(0)
    const mine = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, member(0).id), eq(notifications.kind, 'case_due_soon')))
    expect(mine).toHaveLength(0)
  })

  it('exposes per person: submitted on time, presented, released mark, peer and contribution ratings (one SQL statement)', async () => {
    const rows = await caseAnalysisKpi(db, { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 30 * 86_400_000) })
    const byUser = new Map(rows.map((r) => [r.user_id, r]))
    expect(byUser.get(member(0, 0).id)).toEqual({
      user_id: member(0, 0).id,
      assignments: 1,
      submitted_on_time: 1,
      presented: 1,
      grade: 83,
      peer_rating: 4,
      contribution_rating: 5,
    })
    expect(byUser.get(member(1, 0).id)).toMatchObject({ assignments: 1, submitted_on_time: 0, presented: 0, grade: null, peer_rating: null })
  })
})
