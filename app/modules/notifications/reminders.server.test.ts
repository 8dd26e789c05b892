import { and, eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { emails, enrolments, jobs, notifications, users } from '#db/schema'
import { InProcessRunner } from '~/modules/jobs/in-process.server'
import { useJobRunner } from '~/modules/jobs/jobs.server'
import { inviteAudience, respondToInvitation } from '~/modules/sessions/invitations.server'
import { cancelSession, updateSession } from '~/modules/sessions/sessions.server'
import { instantToZoned } from '~/shared/time'
import { fixtureCourse } from '../../../tests/setup/courses'
import { createPerson } from '../../../tests/setup/fixtures'
import { scheduleSession } from '../../../tests/setup/sessions'
import { sendSessionReminder } from './reminders.server'
import { registerNotificationJobs, runSweep } from '~/jobs.server'

const HOUR = 3_600_000
const runner = new InProcessRunner()
beforeAll(() => {
  useJobRunner(runner)
  registerNotificationJobs()
})
afterAll(() => useJobRunner(undefined))

async function remindersTo(userIds: string[], kind = 'session_reminder') {
  return db
    .select()
    .from(emails)
    .where(and(inArray(emails.toUserId, userIds), eq(emails.kind, kind)))
}

/** Runs every job due at `now` (jobs that enqueue jobs included). */
async function runAt(now: Date) {
  for (let i = 0; i < 5; i++) if ((await runner.runDue({ now, limit: 100 })).completed === 0) break
}

async function sessionWithPeople() {
  const hr = await createPerson({ roles: ['hr_admin'] })
  const trainer = await createPerson({ roles: ['trainer'] })
  const accepted = await createPerson({ name: 'Accepting Ann' })
  const english = await createPerson({ name: 'English Ed' })
  await db.update(users).set({ locale: 'en' }).where(eq(users.id, english.id))
  const declined = await createPerson({ name: 'Declining Dan' })
  const silent = await createPerson({ name: 'Silent Sue' })
  const startsAt = new Date(Date.now() + 3 * 24 * HOUR)
  const { sessionId, startsAt: start } = await scheduleSession(hr, { startsAt, trainerIds: [trainer.id] })
  await inviteAudience(hr, sessionId, { userIds: [accepted.id, english.id, declined.id, silent.id] })
  await respondToInvitation(accepted, sessionId, 'accept')
  await respondToInvitation(english, sessionId, 'accept')
  await respondToInvitation(declined, sessionId, 'decline')
  return { hr, trainer, accepted, english, declined, silent, sessionId, start }
}

describe('session reminders', () => {
  it('reminds accepted invitees and trainers 24 h and 1 h before, once each, in their language', async () => {
    const s = await sessionWithPeople()
    const everyone = [s.trainer.id, s.accepted.id, s.english.id, s.declined.id, s.silent.id]
    await runAt(new Date(s.start.getTime() - 25 * HOUR))
    expect(await remindersTo(everyone)).toHaveLength(0)

    await runAt(new Date(s.start.getTime() - 24 * HOUR + 60_000))
    const first = await remindersTo(everyone)
    expect(first.map((m) => m.toUserId).sort()).toEqual([s.trainer.id, s.accepted.id, s.english.id].sort())
    expect(first.find((m) => m.toUserId === s.english.id)!.subject).toBe('Reminder: 如何有效地进行绩效跟进 starts in 24 hours')
    expect(first.find((m) => m.toUserId === s.accepted.id)!.subject).toBe('提醒：「如何有效地进行绩效跟进」24小时后开始')

    // A duplicate job, a sweep and a direct call: nothing is sent twice.
    await sendSessionReminder({ sessionId: s.sessionId, window: '24h', startsAt: s.start.toISOString() }, { now: new Date(s.start.getTime() - 23 * HOUR) })
    await runSweep(new Date(s.start.getTime() - 23 * HOUR))
    await runAt(new Date(s.start.getTime() - 23 * HOUR))
    expect(await remindersTo(everyone)).toHaveLength(3)

    await runAt(new Date(s.start.getTime() - HOUR + 60_000))
    const all = await remindersTo(everyone)
    expect(all).toHaveLength(6)
    expect(all.filter((m) => m.toUserId === s.english.id).map((m) => m.subject)).toContain('Reminder: 如何有效地进行绩效跟进 starts in 59 minutes')
    const inApp = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, s.accepted.id), eq(notifications.kind, 'session_reminder')))
    expect(inApp).toHaveLength(2)
    expect(inApp[0]).toMatchObject({ link: '/my/sessions', readAt: null })
  })

  it('does not send the reminder of a start time that has moved; the new one goes out', async () => {
    const s = await sessionWithPeople()
    const later = new Date(s.start.getTime() + 2 * 24 * HOUR)
    const result = await updateSession(s.hr, s.sessionId, {
      title: '如何有效地进行绩效跟进',
      place: '上海总部 3 楼培训室',
      startsAt: instantToZoned(later, 'Asia/Shanghai'),
      endsAt: instantToZoned(new Date(later.getTime() + 2 * HOUR), 'Asia/Shanghai'),
      timeZone: 'Asia/Shanghai',
      trainerIds: [s.trainer.id],
    })
    expect(result.ok).toBe(true)
    await runAt(new Date(s.start.getTime() - 24 * HOUR + 60_000))
    await runAt(new Date(s.start.getTime() - HOUR + 60_000))
    expect(await remindersTo([s.accepted.id, s.trainer.id])).toHaveLength(0)
    await runAt(new Date(later.getTime() - 24 * HOUR + 60_000))
    expect(await remindersTo([s.accepted.id, s.trainer.id])).toHaveLength(2)
  })

  it('sends nothing for a cancelled session', async () => {
    const s = await sessionWithPeople()
    await cancelSession(s.hr, s.sessionId)
    const at = new Date(s.start.getTime() - HOUR + 60_000)
    await runSweep(at)
    await runAt(new Date(s.start.getTime() - 24 * HOUR + 60_000))
    await runAt(at)
    expect(await remindersTo([s.accepted.id, s.english.id, s.trainer.id])).toHaveLength(0)
  })

  it('the sweep catches a reminder whose job was lost', async () => {
    const s = await sessionWithPeople()
    await db.delete(jobs).where(eq(jobs.name, 'sessions.reminder'))
    const at = new Date(s.start.getTime() - 2 * HOUR)
    await runAt(at)
    expect(await remindersTo([s.accepted.id])).toHaveLength(0)
    expect((await runSweep(at)).sessions).toBeGreaterThanOrEqual(1)
    await runAt(at)
    expect(await remindersTo([s.accepted.id, s.english.id, s.trainer.id])).toHaveLength(3)
    expect((await runSweep(at)).sessions).toBe(0)
  })
})

describe('course due-date reminders', () => {
  it('reminds people with an unfinished course 7 days and 1 day before it is due, once each', async () => {
    const { course } = await fixtureCourse()
    const learner = await createPerson({ name: 'Learning Lee' })
    const finished = await createPerson({ name: 'Finished Fay' })
    const dueAt = new Date(Date.now() + 30 * 24 * HOUR)
    await db.insert(enrolments).values([
      { courseId: course.id, userId: learner.id, dueAt },
      { courseId: course.id, userId: finished.id, dueAt, completedAt: new Date() },
    ])
    const at = (ms: number) => new Date(dueAt.getTime() - ms)
    await runSweep(at(8 * 24 * HOUR))
    await runAt(at(8 * 24 * HOUR))
    expect(await remindersTo([learner.id, finished.id], 'course_due')).toHaveLength(0)

    for (const when of [at(7 * 24 * HOUR - 60_000), at(6 * 24 * HOUR)]) {
      await runSweep(when)
      await runAt(when)
    }
    const week = await remindersTo([learner.id, finished.id], 'course_due')
    expect(week.map((m) => m.toUserId)).toEqual([learner.id])
    expect(week[0].subject).toContain('7 天后截止')

    for (const when of [at(23 * HOUR), at(HOUR)]) {
      await runSweep(when)
      await runAt(when)
    }
    const all = await remindersTo([learner.id, finished.id], 'course_due')
    expect(all).toHaveLength(2)
    const inApp = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, learner.id), eq(notifications.kind, 'course_due')))
    expect(inApp).toHaveLength(2)
    expect(inApp[0].link).toBe(`/learn/${course.contentId}`)
  })
})
