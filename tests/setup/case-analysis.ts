import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { db } from '#db/client.server'
import { cohorts, invitations, storedFiles } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { importCases } from '~/modules/assignments/case-content.server'
import { department } from './courses'
import { createPerson } from './fixtures'
import { scheduleSession } from './sessions'

let run = 0

/**
 * A cohort with two sessions (session 2 a week after session 1) taught by `trainer`, and nine
 * invited managers from three departments (one of them manages the others of their department).
 */
export async function caseCohort() {
  run++
  await db.transaction((tx) => importCases(tx))
  const hr = await createPerson({ roles: ['hr_admin'] })
  const trainer = await createPerson({ roles: ['trainer'] })
  const otherTrainer = await createPerson({ roles: ['trainer'] })
  const [cohort] = await db
    .insert(cohorts)
    .values({ name: `Cohort ${run}` })
    .returning()
  const s1 = await scheduleSession(hr, { cohortId: cohort.id, trainerIds: [trainer.id], startsAt: new Date(Date.now() + 86_400_000) })
  const s2 = await scheduleSession(hr, { cohortId: cohort.id, trainerIds: [trainer.id], title: 'Session 2', startsAt: new Date(Date.now() + 8 * 86_400_000) })
  const people: CurrentUser[] = []
  for (const name of ['Sales', 'R&D', 'Ops']) {
    const dept = await department(`${name} ${run}`)
    const lead = await createPerson({ roles: ['manager'], departmentId: dept.id, name: `${name} lead` })
    people.push(lead)
    for (let i = 1; i <= 2; i++) people.push(await createPerson({ roles: ['manager'], departmentId: dept.id, managerId: lead.id, name: `${name} ${i}` }))
  }
  await db.insert(invitations).values(people.map((p) => ({ sessionId: s1.sessionId, userId: p.id, status: 'accepted' as const })))
  return { hr, trainer, otherTrainer, cohort, session1: s1.sessionId, session2: s2.sessionId, session2StartsAt: s2.startsAt, people }
}

/** A stored slides file (as the storage module would have made it), for versions in tests. */
export async function slidesFile(by: CurrentUser, name = 'analysis.pdf', mime = 'application/pdf') {
  const [file] = await db
    .insert(storedFiles)
    .values({ storageKey: `test/${crypto.randomUUID()}`, purpose: 'slides', name, mime, size: 1234, sha256: 'x'.repeat(64), createdBy: by.id })
    .returning()
  return file
}

/** A `datetime-local` value in Asia/Shanghai, `hours` from now. */
export function localIn(hours: number) {
  const d = new Date(Date.now() + hours * 3600_000 + 8 * 3600_000)
  return d.toISOString().slice(0, 16)
}

/**
 * For the authorization matrix: a cohort session taught by the matrix trainer, with one group
 * (the matrix manager in it) that has a case, a submission and a grade not yet released. Given
 * an employee, they are in a second group of the same cohort, with the same case and nothing submitted.
 */
export async function caseMatrixContext(people: Record<'hr_admin' | 'trainer' | 'manager', CurrentUser> & { employee?: CurrentUser }) {
  const { formGroups, getGroupBoard } = await import('~/modules/groups/groups.server')
  const { addVersion, assignCases, ensureDefaultRubric } = await import('~/modules/assignments/assignments.server')
  const { saveGrade } = await import('~/modules/assignments/grading.server')
  const { cases: caseTable, groupAssignments } = await import('#db/schema')
  const { eq } = await import('drizzle-orm')
  await db.transaction((tx) => importCases(tx))
  const [cohort] = await db.insert(cohorts).values({ name: 'Matrix cohort' }).returning()
  const { sessionId } = await scheduleSession(people.hr_admin, {
    cohortId: cohort.id,
    trainerIds: [people.trainer.id],
    startsAt: new Date(Date.now() + 2 * 86_400_000),
  })
  const learners = [people.manager, ...(people.employee ? [people.employee] : [])]
  await db.insert(invitations).values(learners.map((p) => ({ sessionId, userId: p.id, status: 'accepted' as const })))
  await formGroups(people.trainer, sessionId, { intent: 'form', method: 'random', by: 'size', value: 1, seniority: false })
  const groups = (await getGroupBoard(people.trainer, sessionId)).groups
  const group = groups.find((g) => g.members.some((m) => m.userId === people.manager.id))!
  const otherGroup = groups.find((g) => g !== group) ?? null
  if (people.employee && !otherGroup?.members.some((m) => m.userId === people.employee!.id)) throw new Error('the employee is not in a group of their own')
  const [theCase] = await db.select().from(caseTable).limit(1)
  const rubric = await ensureDefaultRubric()
  await assignCases(people.trainer, sessionId, {
    intent: 'assign',
    mode: 'same',
    caseId: theCase.id,
    cases: {},
    dueAt: localIn(24),
    rubricId: rubric.id,
    peerRatings: false,
    contributionRatings: false,
    presentMinutes: 10,
  })
  const [assignment] = await db.select().from(groupAssignments).where(eq(groupAssignments.groupId, group.id))
  // Real bytes in the storage, so the file route serves (or refuses) an actual download.
  process.env.UPLOADS_DIR ??= mkdtempSync(path.join(tmpdir(), 'genjin-case-matrix-'))
  const { storeServerFile } = await import('~/modules/files/uploads.server')
  const { makePdf } = await import('./files/fixtures')
  const body = await makePdf(1, 'Matrix group')
  const file = await db.transaction((tx) =>
    storeServerFile(tx, { body, purpose: 'slides', name: 'matrix.pdf', mime: 'application/pdf', createdBy: people.manager.id }),
  )
  await db.transaction((tx) => addVersion(tx, people.manager, assignment.id, file))
  await saveGrade(people.trainer, assignment.id, {
    intent: 'grade',
    version: 0,
    levels: { violations: 1, 'root-cause': 1, plan: 1, presentation: 1 },
    comment: 'Unreleased comment',
    slideComments: [],
  })
  return {
    sessionId,
    groupId: group.id,
    otherGroupId: otherGroup?.id ?? null,
    assignmentId: assignment.id,
    caseId: theCase.id,
    fileId: file.id,
    /** What no learner's page may carry: the case's trainer notes and the unreleased grade's comment. */
    secrets: [theCase.trainerNotes.en, theCase.trainerNotes['zh-CN'], 'Unreleased comment'],
  }
}
