import { and, eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { emails, jobs, notifications, users } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { InProcessRunner } from '~/modules/jobs/in-process.server'
import { useJobRunner } from '~/modules/jobs/jobs.server'
import { registerNotificationJobs, runSweep } from '~/jobs.server'
import { decideAbsence, requestAbsence } from '~/modules/attendance/absences.server'
import { inviteAudience } from '~/modules/sessions/invitations.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { scheduleSession } from '../../../tests/setup/sessions'
import { checkAbsences, countUnexcusedAbsences } from './absence-warnings.server'
import { markAttendance } from './attendance.server'

/** The sessions here start in the coming days: marks of late or absent are made as if after the start. */
const AFTER_START = { now: new Date(Date.now() + 60 * 86_400_000) }

const runner = new InProcessRunner()
let hr: CurrentUser
let trainer: CurrentUser
beforeAll(async () => {
  useJobRunner(runner)
  registerNotificationJobs()
  hr = await createPerson({ roles: ['hr_admin'] })
  trainer = await createPerson({ roles: ['trainer'] })
})
afterAll(() => useJobRunner(undefined))

async function runJobs() {
  for (let i = 0; i < 5; i++) if ((await runner.runDue({ now: new Date(Date.now() + 60_000), limit: 100 })).completed === 0) break
}

async function sessionsFor(people: CurrentUser[], count: number) {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const { sessionId } = await scheduleSession(hr, { startsAt: new Date(Date.now() + (2 + i) * 86_400_000), trainerIds: [trainer.id] })
    await inviteAudience(hr, sessionId, { userIds: people.map((p) => p.id) })
    ids.push(sessionId)
  }
  return ids
}

async function warningMails(userIds: string[]) {
  return db
    .select()
    .from(emails)
    .where(and(inArray(emails.toUserId, userIds), inArray(emails.kind, ['absence_warning', 'absence_warning_manager'])))
}

describe('absence warnings', () => {
  it('warns the person and their manager once at the threshold (2), never twice for the same count', async () => {
    const manager = await createPerson({ roles: ['manager'], name: 'Manager Mei' })
    await db.update(users).set({ locale: 'en' }).where(eq(users.id, manager.id))
    const person = await createPerson({ name: 'Absent Alex', managerId: manager.id })
    const present = await createPerson({ name: 'Present Pat', managerId: manager.id })
    const [s1, s2, s3] = await sessionsFor([person, present], 3)

    await markAttendance(trainer, s1, person.id, 'absent', AFTER_START)
    await markAttendance(trainer, s1, present.id, 'present')
    await runJobs()
    expect(await warningMails([person.id, manager.id, present.id])).toHaveLength(0)

    await markAttendance(trainer, s2, person.id, 'absent', AFTER_START)
    await markAttendance(trainer, s2, present.id, 'present')
    await runJobs()
    const warned = await warningMails([person.id, manager.id, present.id])
    expect(warned.map((m) => [m.toUserId, m.kind]).sort()).toEqual(
      [
        [person.id, 'absence_warning'],
        [manager.id, 'absence_warning_manager'],
      ].sort(),
    )
    expect(warned.find((m) => m.toUserId === manager.id)!.subject).toBe('Absent Alex has missed 2 training sessions')
    const inApp = await db
      .select()
      .from(notifications)
      .where(and(inArray(notifications.userId, [person.id, manager.id]), inArray(notifications.kind, ['absence_warning', 'absence_warning_report'])))
    expect(inApp.map((n) => n.kind).sort()).toEqual(['absence_warning', 'absence_warning_report'])

    // The mark corrected and set again, a duplicate job, a sweep: still one warning for "2".
    await markAttendance(trainer, s2, person.id, 'present')
    await markAttendance(trainer, s2, person.id, 'absent', AFTER_START)
    await checkAbsences({ userId: person.id })
    await runSweep()
    await runJobs()
    expect(await warningMails([person.id, manager.id])).toHaveLength(2)

    // A further absence is a new count: warned again.
    await markAttendance(trainer, s3, person.id, 'absent', AFTER_START)
    await runJobs()
    expect(await warningMails([person.id, manager.id])).toHaveLength(4)
  })

  it('does not count excused absences', async () => {
    const person = await createPerson()
    const [s1, s2] = await sessionsFor([person], 2)
    await markAttendance(trainer, s1, person.id, 'absent', AFTER_START)
    const request = await requestAbsence(person, s2, 'Customer visit in Suzhou')
    if (!request.ok) throw new Error('request refused')
    await decideAbsence(trainer, request.requestId, 'approved')
    await markAttendance(trainer, s2, person.id, 'excused')
    await runJobs()
    expect(await countUnexcusedAbsences(db, person.id)).toBe(1)
    expect(await warningMails([person.id])).toHaveLength(0)
  })

  it('the sweep catches a warning whose job was lost', async () => {
    const person = await createPerson()
    const [s1, s2] = await sessionsFor([person], 2)
    await markAttendance(trainer, s1, person.id, 'absent', AFTER_START)
    await markAttendance(trainer, s2, person.id, 'absent', AFTER_START)
    await db.delete(jobs).where(eq(jobs.name, 'attendance.absence-check'))
    expect((await runSweep()).absenceChecks).toBeGreaterThanOrEqual(1)
    await runJobs()
    expect(await warningMails([person.id])).toHaveLength(1)
  })
})
