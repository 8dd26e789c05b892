import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { attendance, enrolments, sessions, unmarkedInvitations } from '#db/schema'
import { createPerson } from '../../../tests/setup/fixtures'
import { fixtureCourse } from '../../../tests/setup/courses'
import { scheduleSession } from '../../../tests/setup/sessions'
import { assignCourse } from '~/modules/courses/enrolment.server'
import { inviteAudience, removeInvitation, respondToInvitation } from '~/modules/sessions/invitations.server'
import { addWalkIn, markAllPresent, markAttendance } from '~/modules/attendance/attendance.server'
import { employeeHome, homeFor, hrHome, managerHome, trainerHome } from './home.server'

const HOUR = 3_600_000

describe('homes', () => {
  it('gives HR a dashboard and each person their next action first', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const trainer = await createPerson({ roles: ['trainer'] })
    const manager = await createPerson({ roles: ['manager'] })
    const employee = await createPerson({ roles: ['employee'], managerId: manager.id })
    const other = await createPerson({ roles: ['employee'] })
    const { course } = await fixtureCourse()
    expect((await assignCourse(hr, course.id, { userIds: [employee.id, other.id], dueAt: new Date(Date.now() + 10 * 24 * HOUR) })).ok).toBe(true)
    await db
      .update(enrolments)
      .set({ dueAt: new Date(Date.now() - 24 * HOUR) })
      .where(eq(enrolments.userId, other.id))

    const upcoming = await scheduleSession(hr, { title: 'Upcoming workshop', capacity: 1, trainerIds: [trainer.id] })
    await inviteAudience(hr, upcoming.sessionId, { userIds: [employee.id, other.id, manager.id] })
    await respondToInvitation(other, upcoming.sessionId, 'accept')
    await respondToInvitation(manager, upcoming.sessionId, 'accept')
    const past = await scheduleSession(hr, { title: 'Past workshop', trainerIds: [trainer.id] })
    await inviteAudience(hr, past.sessionId, { userIds: [other.id] })
    await db
      .update(sessions)
      .set({ startsAt: new Date(Date.now() - 5 * HOUR), endsAt: new Date(Date.now() - 3 * HOUR) })
      .where(eq(sessions.id, past.sessionId))

    const dashboard = await hrHome(hr)
    const panel = (id: string) => dashboard.panels.find((p) => p.id === id)!
    expect(dashboard.panels.map((p) => p.id)).toEqual(['upcoming-sessions', 'unmarked-sessions', 'overdue-learners', 'survey-results', 'recent-imports'])
    expect(panel('upcoming-sessions').items).toEqual([
      expect.objectContaining({
        label: 'Upcoming workshop',
        href: `/sessions/${upcoming.sessionId}`,
        note: { key: 'home.rsvpCapacity', vars: expect.objectContaining({ accepted: 1, waitlisted: 1, pending: 1, capacity: 1 }) },
      }),
    ])
    expect(panel('unmarked-sessions').items).toEqual([expect.objectContaining({ label: 'Past workshop', href: `/sessions/${past.sessionId}/roster` })])
    expect(panel('overdue-learners').items.map((i) => i.label)).toEqual([other.name])
    expect(dashboard.actions[0]).toMatchObject({ href: `/sessions/${past.sessionId}/roster`, text: { key: 'home.action.mark' } })

    const trainerView = await trainerHome(trainer)
    expect(trainerView.actions[0].href).toBe(`/sessions/${past.sessionId}/roster`)

    // The employee has not replied: that comes before continuing the course.
    const mine = await employeeHome(employee)
    expect(mine.actions.map((a) => a.text.key)).toEqual(['home.action.reply', 'home.action.course'])
    expect((await homeFor(other)).actions.find((a) => a.text.key.startsWith('home.action.course'))?.text.key).toBe('home.action.courseOverdue')
    expect((await managerHome(manager)).panels[0].id).toBe('team')
    // Nobody gets someone else's home.
    await expect(hrHome(trainer)).rejects.toMatchObject({ status: 403 })
  })

  it('keeps the unmarked panel exact while people answer, are marked, removed or walk in', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const [ann, ben, cai, dan] = await Promise.all([1, 2, 3, 4].map(() => createPerson({ roles: ['employee'] })))
    const walkIn = await createPerson({ roles: ['employee'] })
    const { sessionId } = await scheduleSession(hr, { title: 'Marking drill' })
    await inviteAudience(hr, sessionId, { userIds: [ann.id, ben.id, cai.id, dan.id] })
    await respondToInvitation(ben, sessionId, 'decline')
    await respondToInvitation(cai, sessionId, 'accept')
    await db
      .update(sessions)
      .set({ startsAt: new Date(Date.now() - 5 * HOUR), endsAt: new Date(Date.now() - 3 * HOUR) })
      .where(eq(sessions.id, sessionId))
    // The set the triggers keep, and the panel that reads it, against who is expected and unmarked.
    const expectUnmarked = async (people: { id: string }[]) => {
      const kept = await db.select({ userId: unmarkedInvitations.userId }).from(unmarkedInvitations).where(eq(unmarkedInvitations.sessionId, sessionId))
      expect(kept.map((k) => k.userId).sort()).toEqual(people.map((p) => p.id).sort())
      const item = (await hrHome(hr)).panels.find((p) => p.id === 'unmarked-sessions')!.items.find((i) => i.id === sessionId)
      expect(item?.note?.vars?.count).toBe(people.length || undefined)
    }

    await expectUnmarked([ann, cai, dan])
    await markAttendance(hr, sessionId, ann.id, 'present')
    await markAttendance(hr, sessionId, ben.id, 'absent') // declined: never expected, marked anyway
    await expectUnmarked([cai, dan])
    await removeInvitation(hr, sessionId, dan.id)
    await addWalkIn(hr, sessionId, walkIn.email)
    await expectUnmarked([cai])
    await db.delete(attendance).where(and(eq(attendance.sessionId, sessionId), eq(attendance.userId, ann.id)))
    await expectUnmarked([ann, cai])
    await markAllPresent(hr, sessionId)
    await expectUnmarked([])
  })
})
