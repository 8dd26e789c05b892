import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { emails, notifications, sessions } from '#db/schema'
import { createPerson } from '../../../tests/setup/fixtures'
import { scheduleSession } from '../../../tests/setup/sessions'
import { getRoster, markAttendance } from '~/modules/attendance/attendance.server'
import { startsIn } from '~/modules/notifications/reminders.server'
import { inviteAudience, listMySessions } from './invitations.server'
import { cancelSession, createSession, getSession, listSessions } from './sessions.server'
import { instantToZoned } from '~/shared/time'

const HOUR = 3_600_000

describe('session rules', () => {
  it('refuses a start in the past', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const start = new Date(Date.now() - 2 * HOUR)
    const result = await createSession(hr, {
      title: 'Yesterday',
      place: 'Room 1',
      trainerIds: [],
      timeZone: 'Asia/Shanghai',
      startsAt: instantToZoned(start, 'Asia/Shanghai'),
      endsAt: instantToZoned(new Date(start.getTime() + HOUR), 'Asia/Shanghai'),
    })
    expect(result).toEqual({ ok: false, errors: { startsAt: 'sessions.startInPast' } })
  })

  it('marks nobody late or absent before the start, and a check-in settles the invitation', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const person = await createPerson()
    const { sessionId } = await scheduleSession(hr, { startsAt: new Date(Date.now() + 2 * HOUR) })
    await inviteAudience(hr, sessionId, { userIds: [person.id] })
    expect(await markAttendance(hr, sessionId, person.id, 'absent')).toEqual({ ok: false, error: 'attendance.refused.not_started' })
    expect(await markAttendance(hr, sessionId, person.id, 'late')).toEqual({ ok: false, error: 'attendance.refused.not_started' })
    expect((await markAttendance(hr, sessionId, person.id, 'excused')).ok).toBe(true)
    // Once marked, /my/sessions offers no RSVP buttons any more.
    const [mine] = await listMySessions(person)
    expect(mine).toMatchObject({ attendance: 'excused', answerable: false })
    await db
      .update(sessions)
      .set({ startsAt: new Date(Date.now() - HOUR) })
      .where(eq(sessions.id, sessionId))
    expect((await markAttendance(hr, sessionId, person.id, 'late')).ok).toBe(true)
  })

  it('lists a cancelled session with the past ones, never under upcoming', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const person = await createPerson()
    const { sessionId } = await scheduleSession(hr, { title: 'Called off' })
    await inviteAudience(hr, sessionId, { userIds: [person.id] })
    await cancelSession(hr, sessionId)
    expect((await listSessions(hr, { when: 'upcoming' })).map((s) => s.id)).not.toContain(sessionId)
    expect((await listSessions(hr, { when: 'past' })).map((s) => s.id)).toContain(sessionId)
    expect((await listMySessions(person)).find((s) => s.sessionId === sessionId)?.past).toBe(true)
  })

  it('says how long is really left in a reminder', () => {
    const start = new Date('2027-01-01T10:00:00Z')
    expect(startsIn('en', start, new Date('2027-01-01T09:57:00Z'))).toBe('in 3 minutes')
    expect(startsIn('en', start, new Date('2027-01-01T09:00:00Z'))).toBe('in 1 hour')
    expect(startsIn('zh-CN', start, new Date('2027-01-01T09:57:00Z'))).toBe('3分钟后')
    expect(startsIn('en', start, new Date('2026-12-31T10:00:00Z'))).toBe('in 24 hours')
  })

  it('shows an external lecturer the roster without internal staff email addresses', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const lecturer = await createPerson({ roles: ['lecturer'] })
    const person = await createPerson({ email: 'staff.member@example.test' })
    const { sessionId } = await scheduleSession(hr, { trainerIds: [lecturer.id] })
    await inviteAudience(hr, sessionId, { userIds: [person.id] })
    expect(JSON.stringify(await getRoster(lecturer, sessionId))).not.toContain('staff.member@example.test')
    expect(JSON.stringify(await getSession(lecturer, sessionId))).not.toContain('staff.member@example.test')
    expect(JSON.stringify(await getRoster(hr, sessionId))).toContain('staff.member@example.test')
  })

  it('emails the trainer and the lecturer assigned to a session, with a calendar invite', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const trainer = await createPerson({ roles: ['trainer'] })
    const lecturer = await createPerson({ roles: ['lecturer'] })
    const { sessionId } = await scheduleSession(hr, { title: 'Feedback clinic', trainerIds: [trainer.id] })
    const [mail] = await db.select().from(emails).where(eq(emails.toUserId, trainer.id))
    expect(mail).toMatchObject({ kind: 'session_assigned', subject: '授课安排：Feedback clinic' })
    expect(mail.attachments?.[0]).toMatchObject({ filename: 'invite.ics' })
    expect(mail.attachments?.[0].content).toContain('METHOD:REQUEST')
    expect(mail.text).toContain(`/sessions/${sessionId}`)
    expect(await db.select().from(notifications).where(eq(notifications.userId, trainer.id))).toHaveLength(1)
    // Adding a lecturer later tells only the lecturer.
    const session = await getSession(hr, sessionId)
    const { updateSession } = await import('./sessions.server')
    const wall = (d: Date) => instantToZoned(d, 'Asia/Shanghai')
    expect(
      (
        await updateSession(hr, sessionId, {
          title: 'Feedback clinic',
          place: 'Room 1',
          timeZone: 'Asia/Shanghai',
          startsAt: wall(session.session.startsAt),
          endsAt: wall(session.session.endsAt),
          trainerIds: [trainer.id, lecturer.id],
        })
      ).ok,
    ).toBe(true)
    expect(await db.select().from(emails).where(eq(emails.toUserId, trainer.id))).toHaveLength(1)
    expect((await db.select().from(emails).where(eq(emails.toUserId, lecturer.id))).map((m) => m.kind)).toEqual(['session_assigned'])
  })
})
