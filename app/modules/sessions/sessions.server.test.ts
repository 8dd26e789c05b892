import { and, asc, eq } from 'drizzle-orm'
import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { attendance, attendanceChanges, auditEvents, cohorts, departments, emails, invitations, sessions, users } from '#db/schema'
import { createPerson } from '../../../tests/setup/fixtures'
import { scheduleSession } from '../../../tests/setup/sessions'
import { decideAbsence, requestAbsence } from '~/modules/attendance/absences.server'
import { cancelCohort, createCohort, updateCohort } from './cohorts.server'
import { getInvitationByToken, inviteAudience, listMySessions, removeInvitation, respondByToken, respondToInvitation } from './invitations.server'
import { cancelSession, createSession, getSession, updateSession } from './sessions.server'
import { instantToZoned } from '~/shared/time'

async function mailsTo(userId: string) {
  return db.select().from(emails).where(eq(emails.toUserId, userId)).orderBy(asc(emails.createdAt))
}

async function invitationOf(sessionId: string, userId: string) {
  const [row] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.sessionId, sessionId), eq(invitations.userId, userId)))
  return row
}

function calendarOf(mail: { attachments: { content: string; contentType: string }[] | null }) {
  const attachment = mail.attachments![0]
  const calendar = new ICAL.Component(ICAL.parse(attachment.content))
  const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!)
  return { attachment, method: calendar.getFirstPropertyValue('method'), uid: event.uid, sequence: event.sequence }
}

async function department(path: string, parentId?: string) {
  const [row] = await db
    .insert(departments)
    .values({ name: path.split('/').pop()!, path, parentId: parentId ?? null })
    .returning()
  return row
}

describe('scheduling', () => {
  it('lets HR and trainers schedule; a trainer who schedules teaches the session', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    const { sessionId } = await scheduleSession(trainer)
    const view = await getSession(trainer, sessionId)
    expect(view.trainers.map((t) => t.userId)).toEqual([trainer.id])
    expect(view.rights).toMatchObject({ read: true, manage: true, mark: true })
  })

  it('refuses lecturers, managers and employees (403, audited)', async () => {
    for (const role of ['lecturer', 'manager', 'employee'] as const) {
      const person = await createPerson({ roles: [role] })
      await expect(scheduleSession(person)).rejects.toMatchObject({ status: 403 })
      const denied = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.actorId, person.id), eq(auditEvents.action, 'access.denied')))
      expect(denied).toHaveLength(1)
    }
  })

  it('stores the instant from the wall-clock time in the session’s zone', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const result = await createSession(hr, {
      title: 'Berlin',
      startsAt: '2030-07-01T09:00',
      endsAt: '2030-07-01T11:00',
      timeZone: 'Europe/Berlin',
      onlineUrl: 'https://meet.example.com/abc',
      trainerIds: [],
    })
    expect(result.ok).toBe(true)
    const [row] = await db
      .select()
      .from(sessions)
      .where(eq(sessions.id, result.ok ? result.sessionId : ''))
    expect(row.startsAt.toISOString()).toBe('2030-07-01T07:00:00.000Z')
  })
})

describe('inviting an audience', () => {
  it('invites a role within a department subtree in one batch, each in their language with a calendar file', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const sales = await department(`销售部-${Date.now()}`)
    const east = await department(`${sales.path}/华东区`, sales.id)
    const other = await department(`研发部-${Date.now()}`)
    const inSales = await createPerson({ roles: ['manager'], departmentId: sales.id })
    const inEast = await createPerson({ roles: ['manager'], departmentId: east.id })
    await db.update(users).set({ locale: 'en' }).where(eq(users.id, inEast.id))
    const employeeInEast = await createPerson({ roles: ['employee'], departmentId: east.id })
    const elsewhere = await createPerson({ roles: ['manager'], departmentId: other.id })
    const inactive = await createPerson({ roles: ['manager'], departmentId: east.id, active: false })
    const { sessionId } = await scheduleSession(hr, { capacity: 10 })

    const result = await inviteAudience(hr, sessionId, { roles: ['manager'], departmentId: sales.id }, { origin: 'http://genjin.test' })
    expect(result).toEqual({ ok: true, invited: 2 })
    for (const p of [inSales, inEast]) expect((await invitationOf(sessionId, p.id))?.status).toBe('invited')
    for (const p of [employeeInEast, elsewhere, inactive]) expect(await invitationOf(sessionId, p.id)).toBeUndefined()

    const [zh] = await mailsTo(inSales.id)
    expect(zh.subject).toBe('培训邀请：如何有效地进行绩效跟进')
    expect(zh.text).toMatch(/http:\/\/genjin\.test\/invitations\/[\w-]{20,}/)
    const [en] = await mailsTo(inEast.id)
    expect(en.subject).toBe('Invitation: 如何有效地进行绩效跟进')
    const ics = calendarOf(en)
    expect(ics.attachment.contentType).toBe('text/calendar; charset=UTF-8; method=REQUEST')
    expect(ics.method).toBe('REQUEST')
    expect(ics.uid).toBe(`session-${sessionId}-${inEast.id}@genjin`)
    expect(ics.sequence).toBe(0)
  })

  it('is idempotent: inviting again adds only the new people and sends nobody a second email', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const a = await createPerson()
    const b = await createPerson()
    const { sessionId } = await scheduleSession(hr)
    expect(await inviteAudience(hr, sessionId, { userIds: [a.id] })).toEqual({ ok: true, invited: 1 })
    expect(await inviteAudience(hr, sessionId, { userIds: [a.id, b.id], emails: [a.email] })).toEqual({ ok: true, invited: 1 })
    expect(await inviteAudience(hr, sessionId, { userIds: [a.id, b.id] })).toEqual({ ok: true, invited: 0 })
    expect(await mailsTo(a.id)).toHaveLength(1)
    expect(await mailsTo(b.id)).toHaveLength(1)
  })

  it('reports unknown emails as a field error and invites nobody', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const a = await createPerson()
    const { sessionId } = await scheduleSession(hr)
    const result = await inviteAudience(hr, sessionId, { emails: [a.email, 'nobody@example.test'] })
    expect(result).toMatchObject({ ok: false, errors: { emails: 'sessions.unknownEmails' }, unknownEmails: ['nobody@example.test'] })
    expect(await invitationOf(sessionId, a.id)).toBeUndefined()
  })

  it('lets a trainer invite only to the sessions they teach', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const trainer = await createPerson({ roles: ['trainer'] })
    const person = await createPerson()
    const { sessionId } = await scheduleSession(hr)
    await expect(inviteAudience(trainer, sessionId, { userIds: [person.id] })).rejects.toMatchObject({ status: 403 })
  })
})

describe('answers, capacity and the wait-list', () => {
  async function fullSession(capacity: number, people: number) {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const invitees = await Promise.all(Array.from({ length: people }, () => createPerson()))
    const { sessionId } = await scheduleSession(hr, { capacity })
    await inviteAudience(hr, sessionId, { userIds: invitees.map((p) => p.id) })
    return { hr, invitees, sessionId }
  }

  it('puts acceptances beyond capacity on the wait-list and promotes the first when someone declines', async () => {
    const {
      invitees: [a, b, c, d],
      sessionId,
    } = await fullSession(2, 4)
    expect(await respondToInvitation(a, sessionId, 'accept')).toMatchObject({ ok: true, status: 'accepted' })
    expect(await respondToInvitation(b, sessionId, 'accept')).toMatchObject({ ok: true, status: 'accepted' })
    expect(await respondToInvitation(c, sessionId, 'accept')).toMatchObject({ ok: true, status: 'waitlisted' })
    expect(await respondToInvitation(d, sessionId, 'accept')).toMatchObject({ ok: true, status: 'waitlisted' })
    expect((await invitationOf(sessionId, c.id)).position).toBe(1)
    expect((await invitationOf(sessionId, d.id)).position).toBe(2)

    const declined = await respondToInvitation(b, sessionId, 'decline')
    expect(declined).toMatchObject({ ok: true, status: 'declined', promoted: [c.id] })
    expect((await invitationOf(sessionId, c.id)).status).toBe('accepted')
    expect((await invitationOf(sessionId, d.id)).status).toBe('waitlisted')
    // c is told, with a calendar entry now marked accepted.
    const promotedMail = (await mailsTo(c.id)).find((m) => m.kind === 'session_promoted')!
    expect(promotedMail.subject).toContain('有空位了')
    expect(promotedMail.attachments![0].content).toContain('PARTSTAT=ACCEPTED')
    const mine = await listMySessions(d)
    expect(mine.find((s) => s.sessionId === sessionId)).toMatchObject({ status: 'waitlisted', waitlistRank: 1 })
  })

  it('never gives more seats than capacity when many accept at once', async () => {
    const { invitees, sessionId } = await fullSession(2, 6)
    const results = await Promise.all(invitees.map((p) => respondToInvitation(p, sessionId, 'accept')))
    expect(results.filter((r) => r.ok && r.status === 'accepted')).toHaveLength(2)
    const waitlisted = await db
      .select({ position: invitations.position })
      .from(invitations)
      .where(and(eq(invitations.sessionId, sessionId), eq(invitations.status, 'waitlisted')))
    expect(waitlisted.map((w) => w.position).sort()).toEqual([1, 2, 3, 4])
  })

  it('promotes the wait-list when HR removes an accepted person, and cancels the removed person’s calendar entry', async () => {
    const {
      hr,
      invitees: [a, b],
      sessionId,
    } = await fullSession(1, 2)
    await respondToInvitation(a, sessionId, 'accept')
    await respondToInvitation(b, sessionId, 'accept')
    const result = await removeInvitation(hr, sessionId, a.id)
    expect(result).toEqual({ ok: true, promoted: [b.id] })
    expect(await invitationOf(sessionId, a.id)).toBeUndefined()
    const cancel = (await mailsTo(a.id)).find((m) => m.kind === 'session_removed')!
    const ics = calendarOf(cancel)
    expect(ics.method).toBe('CANCEL')
    expect(ics.uid).toBe(`session-${sessionId}-${a.id}@genjin`)
    expect(ics.sequence).toBe(1)
  })

  it('answers through the emailed link once, with no password; the confirmation page changes nothing', async () => {
    const {
      invitees: [a],
      sessionId,
    } = await fullSession(5, 1)
    const [mail] = await mailsTo(a.id)
    const token = mail.text.match(/\/invitations\/([\w-]+)/)![1]
    expect(await getInvitationByToken(token)).toMatchObject({ sessionId, status: 'invited' })
    expect((await invitationOf(sessionId, a.id)).status).toBe('invited')
    expect(await respondByToken(token, 'accept')).toMatchObject({ ok: true, status: 'accepted' })
    expect(await respondByToken(token, 'decline')).toEqual({ ok: false, error: 'sessions.linkInvalid' })
    expect(await getInvitationByToken(token)).toBeNull()
    expect((await invitationOf(sessionId, a.id)).status).toBe('accepted')
  })

  it('closes answers once the session has started', async () => {
    const {
      invitees: [a],
      sessionId,
    } = await fullSession(5, 1)
    await db
      .update(sessions)
      .set({ startsAt: new Date(Date.now() - 60_000) })
      .where(eq(sessions.id, sessionId))
    expect(await respondToInvitation(a, sessionId, 'accept')).toEqual({ ok: false, error: 'sessions.responseClosed' })
  })
})

describe('changes and cancellation', () => {
  it('raises the SEQUENCE and sends an update when the time changes; a larger capacity promotes', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const [a, b, c] = await Promise.all([createPerson(), createPerson(), createPerson()])
    const { sessionId, startsAt } = await scheduleSession(hr, { capacity: 1 })
    await inviteAudience(hr, sessionId, { userIds: [a.id, b.id, c.id] })
    await respondToInvitation(a, sessionId, 'accept')
    await respondToInvitation(b, sessionId, 'accept')
    await respondToInvitation(c, sessionId, 'decline')
    const later = new Date(startsAt.getTime() + 3600_000)
    const result = await updateSession(hr, sessionId, {
      title: '如何有效地进行绩效跟进',
      place: '上海总部 5 楼',
      startsAt: instantToZoned(later, 'Asia/Shanghai'),
      endsAt: instantToZoned(new Date(later.getTime() + 7200_000), 'Asia/Shanghai'),
      timeZone: 'Asia/Shanghai',
      capacity: 2,
      trainerIds: [],
    })
    expect(result).toEqual({ ok: true, notified: true, promoted: 1 })
    const change = (await mailsTo(a.id)).find((m) => m.kind === 'session_changed')!
    expect(calendarOf(change)).toMatchObject({ method: 'REQUEST', sequence: 1, uid: `session-${sessionId}-${a.id}@genjin` })
    expect(change.attachments![0].content).toContain('LOCATION:上海总部 5 楼')
    // Those who declined are not bothered.
    expect((await mailsTo(c.id)).map((m) => m.kind)).toEqual(['session_invitation'])
    expect((await invitationOf(sessionId, b.id)).status).toBe('accepted')
  })

  it('cancels with METHOD:CANCEL to everyone who has not declined', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const [a, b] = await Promise.all([createPerson(), createPerson()])
    const { sessionId } = await scheduleSession(hr)
    await inviteAudience(hr, sessionId, { userIds: [a.id, b.id] })
    await respondToInvitation(b, sessionId, 'decline')
    expect(await cancelSession(hr, sessionId)).toEqual({ ok: true, notified: 1 })
    const cancel = (await mailsTo(a.id)).find((m) => m.kind === 'session_cancelled')!
    expect(calendarOf(cancel)).toMatchObject({ method: 'CANCEL', sequence: 1 })
    expect(cancel.attachments![0].content).toContain('STATUS:CANCELLED')
    expect(cancel.attachments![0].contentType).toContain('method=CANCEL')
    expect((await mailsTo(b.id)).map((m) => m.kind)).toEqual(['session_invitation'])
    expect(await cancelSession(hr, sessionId)).toEqual({ ok: false, error: 'sessions.alreadyCancelled' })
  })
})

describe('cohorts', () => {
  it('are created and renamed by trainers; cancelling one (HR only) cancels its upcoming sessions', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const trainer = await createPerson({ roles: ['trainer'] })
    const person = await createPerson()
    const cohort = await createCohort(trainer, { name: '2027 Q1 经理 A 班', programme: '绩效跟进' })
    await updateCohort(trainer, cohort.id, { name: '2027 Q1 经理 A 班（上海）', programme: '绩效跟进' })
    const { sessionId: first } = await scheduleSession(trainer, { cohortId: cohort.id })
    const { sessionId: second } = await scheduleSession(trainer, { cohortId: cohort.id, startsAt: new Date(Date.now() + 8 * 86_400_000) })
    await inviteAudience(trainer, first, { userIds: [person.id] })
    await inviteAudience(trainer, second, { userIds: [person.id] })

    await expect(cancelCohort(trainer, cohort.id)).rejects.toMatchObject({ status: 403 })
    expect(await cancelCohort(hr, cohort.id)).toEqual({ cancelledSessions: 2 })
    const rows = await db.select({ status: sessions.status }).from(sessions).where(eq(sessions.cohortId, cohort.id))
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled'])
    const [renamed] = await db.select().from(cohorts).where(eq(cohorts.id, cohort.id))
    expect(renamed).toMatchObject({ name: '2027 Q1 经理 A 班（上海）' })
    expect(renamed.cancelledAt).toBeInstanceOf(Date)
    expect((await mailsTo(person.id)).filter((m) => m.kind === 'session_cancelled')).toHaveLength(2)
    // A cancelled cohort takes no new sessions.
    await expect(scheduleSession(trainer, { cohortId: cohort.id })).rejects.toThrow(/cohortId/)
  })
})

describe('excused absence', () => {
  it('is asked in advance with a reason, and approval by the session’s trainer records the attendance as excused', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const trainer = await createPerson({ roles: ['trainer'] })
    const otherLecturer = await createPerson({ roles: ['lecturer'] })
    const person = await createPerson()
    const { sessionId } = await scheduleSession(hr, { trainerIds: [trainer.id] })
    await inviteAudience(hr, sessionId, { userIds: [person.id] })
    const asked = await requestAbsence(person, sessionId, '客户现场拜访，无法改期')
    expect(asked.ok).toBe(true)
    expect(await requestAbsence(person, sessionId, 'again')).toEqual({ ok: false, error: 'sessions.absenceAlreadyRequested' })
    const requestId = asked.ok ? asked.requestId : ''

    await expect(decideAbsence(otherLecturer, requestId, 'approved')).rejects.toMatchObject({ status: 403 })
    expect(await decideAbsence(trainer, requestId, 'approved')).toEqual({ ok: true })
    expect(await decideAbsence(trainer, requestId, 'rejected')).toEqual({ ok: false, error: 'sessions.absenceAlreadyDecided' })
    const [record] = await db
      .select()
      .from(attendance)
      .where(and(eq(attendance.sessionId, sessionId), eq(attendance.userId, person.id)))
    expect(record).toMatchObject({ status: 'excused', method: 'trainer', markedBy: trainer.id })
    const changes = await db.select().from(attendanceChanges).where(eq(attendanceChanges.sessionId, sessionId))
    expect(changes).toMatchObject([{ userId: person.id, fromStatus: null, toStatus: 'excused', changedBy: trainer.id }])
    expect((await listMySessions(person)).find((s) => s.sessionId === sessionId)).toMatchObject({ absence: 'approved', attendance: 'excused' })
  })
})
