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
  const [cohort] = await db.insert(cohorts).values({ name: `Cohort ${run}` }).returning()
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
