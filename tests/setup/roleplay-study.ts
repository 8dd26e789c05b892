import { randomUUID } from 'node:crypto'
import { db } from '#db/client.server'
import { cohorts, invitations, roleplayAssignments, roleplayScenarios, storedFiles, studyGroupMembers, studyGroups } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { createPerson } from './fixtures'
import { scheduleSession } from './sessions'

const t = (s: string) => ({ en: s, 'zh-CN': s })

/** A role-play scenario row (as the content sync or the browser editor would make it). */
export async function scenarioRow(contentId = `test-${randomUUID().slice(0, 8)}`) {
  const [row] = await db
    .insert(roleplayScenarios)
    .values({
      contentId,
      source: 'file',
      title: t(`Scenario ${contentId}`),
      situation: t('A situation'),
      roles: [
        { id: 'manager', name: t('Manager'), brief: t('Your brief') },
        { id: 'employee', name: t('Employee'), brief: t('Their brief') },
      ],
      keyPoints: [1, 2, 3],
      observerNotes: t('Look for'),
    })
    .returning()
  return row
}

/**
 * A cohort with one session taught by `trainer` starting `startsInHours` from now, and `groups`
 * role-play groups of `perGroup` members each, every group with its role-play assignment
 * (rows inserted directly: the assigning screens belong to the role-play module).
 */
export async function roleplayCohort(options: { startsInHours?: number; groups?: number; perGroup?: number; hr?: CurrentUser; trainer?: CurrentUser } = {}) {
  const { startsInHours = 72, groups: groupCount = 2, perGroup = 2 } = options
  const hr = options.hr ?? (await createPerson({ roles: ['hr_admin'] }))
  const trainer = options.trainer ?? (await createPerson({ roles: ['trainer'] }))
  const [cohort] = await db
    .insert(cohorts)
    .values({ name: `Role-play cohort ${randomUUID().slice(0, 6)}` })
    .returning()
  const { sessionId, startsAt } = await scheduleSession(hr, {
    cohortId: cohort.id,
    trainerIds: [trainer.id],
    startsAt: new Date(Date.now() + startsInHours * 3600_000),
  })
  const scenario = await scenarioRow()
  const groups: { groupId: string; assignmentId: string; members: CurrentUser[] }[] = []
  for (let g = 1; g <= groupCount; g++) {
    const [group] = await db
      .insert(studyGroups)
      .values({ cohortId: cohort.id, name: String(g), position: g })
      .returning()
    const members: CurrentUser[] = []
    for (let i = 1; i <= perGroup; i++) members.push(await createPerson({ roles: ['manager'], name: `G${g} member ${i}` }))
    await db.insert(studyGroupMembers).values(members.map((m) => ({ groupId: group.id, cohortId: cohort.id, userId: m.id })))
    await db.insert(invitations).values(members.map((m) => ({ sessionId, userId: m.id, status: 'accepted' as const })))
    const [assignment] = await db
      .insert(roleplayAssignments)
      .values({
        cohortId: cohort.id,
        groupId: group.id,
        scenarioId: scenario.id,
        sessionId,
        dueAt: new Date(startsAt.getTime() - 3600_000),
        assignedBy: trainer.id,
      })
      .returning()
    groups.push({ groupId: group.id, assignmentId: assignment.id, members })
  }
  return { hr, trainer, cohortId: cohort.id, sessionId, startsAt, scenario, groups }
}

/** A stored self-study file (as claimUpload would have made it). */
export async function studyFile(by: CurrentUser, name = 'reading.pdf') {
  const [file] = await db
    .insert(storedFiles)
    .values({
      storageKey: `test/${randomUUID()}`,
      purpose: 'roleplay-study',
      name,
      mime: 'application/pdf',
      size: 1234,
      sha256: 'x'.repeat(64),
      createdBy: by.id,
    })
    .returning()
  return file
}

/**
 * For the authorization matrix: a cohort session taught by the matrix trainer, one role-play
 * group (the matrix manager its only member) with a self-study pack holding one file.
 */
export async function roleplayStudyMatrixContext(people: Record<'hr_admin' | 'trainer' | 'manager', CurrentUser>) {
  const { roleplayStudyItems } = await import('#db/schema')
  const [cohort] = await db.insert(cohorts).values({ name: 'Matrix role-play cohort' }).returning()
  const { sessionId, startsAt } = await scheduleSession(people.hr_admin, {
    cohortId: cohort.id,
    trainerIds: [people.trainer.id],
    startsAt: new Date(Date.now() + 3 * 86_400_000),
  })
  const scenario = await scenarioRow()
  const [group] = await db.insert(studyGroups).values({ cohortId: cohort.id, name: 'RP', position: 1 }).returning()
  await db.insert(studyGroupMembers).values({ groupId: group.id, cohortId: cohort.id, userId: people.manager.id })
  const [assignment] = await db
    .insert(roleplayAssignments)
    .values({ cohortId: cohort.id, groupId: group.id, scenarioId: scenario.id, sessionId, dueAt: startsAt })
    .returning()
  const file = await studyFile(people.trainer)
  const [item] = await db.insert(roleplayStudyItems).values({ assignmentId: assignment.id, position: 1, kind: 'file', ref: file.id }).returning()
  return { sessionId, assignmentId: assignment.id, itemId: item.id }
}
