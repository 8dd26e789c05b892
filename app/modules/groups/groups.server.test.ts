import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { studyGroupMembers, studyGroups, submissionVersions } from '#db/schema'
import { addVersion, assignCases, ensureDefaultRubric } from '~/modules/assignments/assignments.server'
import { caseCohort, localIn, slidesFile } from '../../../tests/setup/case-analysis'
import { settle } from '../../../tests/setup/fixtures'
import { distribute, type Candidate } from './groups'
import { formGroups, getGroupBoard, moveMember } from './groups.server'

const person = (i: number, department: string, seniority = 0): Candidate => ({ userId: `u${i}`, name: `P${i}`, department, seniority })

describe('distribute', () => {
  it('balances departments: every group gets someone from every department, sizes differ by at most one', () => {
    const people = Array.from({ length: 13 }, (_, i) => person(i, ['Sales', 'R&D', 'Ops'][i % 3]))
    const groups = distribute(people, { method: 'balanced', by: 'count', value: 4 })
    expect(groups).toHaveLength(4)
    const sizes = groups.map((g) => g.length)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
    for (const g of groups) expect(new Set(g.map((p) => p.department)).size).toBe(3)
    expect(
      groups
        .flat()
        .map((p) => p.userId)
        .sort(),
    ).toEqual(people.map((p) => p.userId).sort())
  })

  it('spreads seniority when asked, and derives the count from a group size', () => {
    const people = [
      ...Array.from({ length: 3 }, (_, i) => person(i, 'Sales', 2)),
      ...Array.from({ length: 9 }, (_, i) => person(10 + i, i % 2 ? 'Ops' : 'Sales')),
    ]
    const groups = distribute(people, { method: 'balanced', by: 'size', value: 4, seniority: true })
    expect(groups).toHaveLength(3)
    for (const g of groups) expect(g.filter((p) => p.seniority === 2)).toHaveLength(1)
  })
})

describe('forming groups for a cohort', () => {
  let c: Awaited<ReturnType<typeof caseCohort>>
  beforeAll(async () => {
    c = await caseCohort()
  }, 180_000)

  it('refuses a trainer who does not teach the cohort', async () => {
    const result = await settle(() => formGroups(c.otherTrainer, c.session1, { intent: 'form', method: 'balanced', by: 'count', value: 3, seniority: false }))
    expect(result).toBeInstanceOf(Response)
    expect((result as Response).status).toBe(403)
  })

  it('forms balanced groups from the people invited to the cohort', async () => {
    expect(await formGroups(c.trainer, c.session1, { intent: 'form', method: 'balanced', by: 'count', value: 3, seniority: true })).toEqual({ ok: true })
    const board = await getGroupBoard(c.trainer, c.session1)
    expect(board.groups).toHaveLength(3)
    expect(board.unassigned).toEqual([])
    for (const g of board.groups) {
      expect(g.members).toHaveLength(3)
      expect(new Set(g.members.map((m) => m.department)).size).toBe(3)
    }
  })

  it('keeps a group’s submissions when its members move, and refuses to re-form groups that have work', async () => {
    const rubric = await ensureDefaultRubric()
    const board = await getGroupBoard(c.trainer, c.session1)
    const [caseRow] = await db.query.cases.findMany({ limit: 1 })
    const assigned = await assignCases(c.trainer, c.session1, {
      intent: 'assign',
      mode: 'same',
      caseId: caseRow.id,
      cases: {},
      dueAt: localIn(48),
      rubricId: rubric.id,
      peerRatings: false,
      contributionRatings: false,
      presentMinutes: 10,
    })
    expect(assigned).toEqual({ ok: true, assigned: 3 })
    const [groupA, groupB] = board.groups
    const uploader = c.people.find((p) => p.id === groupA.members[0].userId)!
    const [assignmentA] = await db.query.groupAssignments.findMany({ where: (a, { eq }) => eq(a.groupId, groupA.id) })
    const file = await slidesFile(uploader)
    await db.transaction((tx) => addVersion(tx, uploader, assignmentA.id, file))

    expect(await moveMember(c.trainer, c.session1, uploader.id, groupB.id)).toEqual({ ok: true })
    const [membership] = await db.select().from(studyGroupMembers).where(eq(studyGroupMembers.userId, uploader.id))
    expect(membership.groupId).toBe(groupB.id)
    const versions = await db.select().from(submissionVersions).where(eq(submissionVersions.assignmentId, assignmentA.id))
    expect(versions).toHaveLength(1)

    expect(await formGroups(c.trainer, c.session1, { intent: 'form', method: 'random', by: 'count', value: 2, seniority: false })).toEqual({
      ok: false,
      error: 'groups.form.hasWork',
    })
    expect(await db.select().from(studyGroups).where(eq(studyGroups.cohortId, c.cohort.id))).toHaveLength(3)
  })

  it('moves only people of the cohort into groups of the cohort', async () => {
    const board = await getGroupBoard(c.trainer, c.session1)
    expect(await moveMember(c.trainer, c.session1, c.otherTrainer.id, board.groups[0].id)).toEqual({ ok: false, error: 'groups.move.notInCohort' })
    expect(await moveMember(c.trainer, c.session1, c.people[0].id, '00000000-0000-4000-8000-000000000000')).toEqual({ ok: false, error: 'groups.move.noGroup' })
  })
})
