import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { emails, notifications, surveyParticipants, surveyResponses } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { writeAttendance } from '~/modules/attendance/attendance.server'
import { runSweep } from '~/jobs.server'
import { cancelSession } from '~/modules/sessions/sessions.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { scheduleSession } from '../../../tests/setup/sessions'
import {
  getSessionSurveyResults,
  getSurvey,
  getSurveyOverview,
  mySurveyStates,
  sendDueReactionSurveys,
  sendReactionSurveys,
  sessionSurveyCsv,
  submitSurveyResponse,
} from './surveys.server'

const hour = 3_600_000
const day = 24 * hour

/** A session taught by a fresh trainer that ended an hour ago (or at `endedAgo`), with the given attendance. */
async function endedSession(marks: Partial<Record<'present' | 'late' | 'absent' | 'excused', number>> = { present: 2 }, endedAgo = hour) {
  const hr = await createPerson({ roles: ['hr_admin'] })
  const trainer = await createPerson({ roles: ['trainer'] })
  const { sessionId } = await scheduleSession(hr, { startsAt: new Date(Date.now() - endedAgo - 2 * hour), minutes: 120, trainerIds: [trainer.id] })
  const people: Record<string, CurrentUser[]> = {}
  for (const [status, n] of Object.entries(marks)) {
    people[status] = []
    for (let i = 0; i < n; i++) {
      const person = await createPerson({ roles: ['manager'] })
      await writeAttendance(db, { sessionId, userId: person.id, status: status as 'present', method: 'trainer', by: trainer.id })
      people[status].push(person)
    }
  }
  return { hr, trainer, sessionId, people }
}

async function surveyMails(sessionId: string) {
  const rows = await db.select().from(emails).where(eq(emails.kind, 'reaction_survey'))
  return rows.filter((r) => r.text.includes(`/sessions/${sessionId}/survey`))
}

const answer = { content: 4, trainer: 5, usefulness: 3, anonymous: false } as const

describe('sending the reaction survey', () => {
  it('emails every attendee (present or late) once, however often it runs', async () => {
    const { sessionId, people } = await endedSession({ present: 2, late: 1, absent: 1, excused: 1 })
    expect(await sendReactionSurveys(sessionId)).toEqual({ sent: 3 })
    expect(await sendReactionSurveys(sessionId)).toEqual({ sent: 0 })
    const mails = await surveyMails(sessionId)
    expect(mails.map((m) => m.toUserId).sort()).toEqual([...people.present, ...people.late].map((p) => p.id).sort())
    expect(mails[0].subject).toMatch(/如何有效地进行绩效跟进/)
  })

  it('sends nothing before the session ends, after the survey closed, or for a cancelled session', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const attendee = await createPerson()
    // Started an hour ago, ends in an hour: the attendee is in the room.
    const running = await scheduleSession(hr, { startsAt: new Date(Date.now() - hour), minutes: 120 })
    await writeAttendance(db, { sessionId: running.sessionId, userId: attendee.id, status: 'present', method: 'trainer', by: hr.id })
    expect(await sendReactionSurveys(running.sessionId)).toEqual({ sent: 0 })
    // Once it has ended, it goes out.
    expect(await sendReactionSurveys(running.sessionId, new Date(Date.now() + 2 * hour))).toEqual({ sent: 1 })

    const old = await endedSession({ present: 1 }, 15 * day)
    expect(await sendReactionSurveys(old.sessionId)).toEqual({ sent: 0 })

    const cancelled = await endedSession({ present: 1 })
    await cancelSession(cancelled.hr, cancelled.sessionId)
    expect(await sendReactionSurveys(cancelled.sessionId)).toEqual({ sent: 0 })
    expect(await surveyMails(cancelled.sessionId)).toHaveLength(0)
  })

  it('sendDueReactionSurveys finds the ended sessions with unsent surveys, and picks up people marked later', async () => {
    const { sessionId, trainer } = await endedSession({ present: 2 })
    const first = await sendDueReactionSurveys()
    expect(first.sent).toBeGreaterThanOrEqual(2)
    expect(await sendDueReactionSurveys()).toEqual({ sessions: 0, sent: 0 })
    const latecomer = await createPerson()
    await writeAttendance(db, { sessionId, userId: latecomer.id, status: 'late', method: 'trainer', by: trainer.id })
    expect(await sendDueReactionSurveys()).toEqual({ sessions: 1, sent: 1 })
    expect(await surveyMails(sessionId)).toHaveLength(3)
  })

  it('is sent by the periodic sweep, with an in-app notification that links to the survey, once', async () => {
    const { sessionId, people } = await endedSession({ present: 2 })
    const swept = await runSweep()
    expect(swept.surveys).toBeGreaterThanOrEqual(2)
    await runSweep()
    expect(await surveyMails(sessionId)).toHaveLength(2)
    const inbox = await db.select().from(notifications).where(eq(notifications.kind, 'reaction_survey'))
    const mine = inbox.filter((n) => n.link === `/sessions/${sessionId}/survey`)
    expect(mine.map((n) => n.userId).sort()).toEqual(people.present.map((p) => p.id).sort())
  })

  it('does not email someone who already answered from "My sessions"', async () => {
    const { sessionId, people } = await endedSession({ present: 2 })
    await submitSurveyResponse(people.present[0], sessionId, answer)
    expect(await sendReactionSurveys(sessionId)).toEqual({ sent: 1 })
    expect((await surveyMails(sessionId)).map((m) => m.toUserId)).toEqual([people.present[1].id])
  })
})

describe('answering', () => {
  it('lets only attendees answer (absent people, other people and trainers are refused with 403)', async () => {
    const { sessionId, people, trainer } = await endedSession({ present: 1, absent: 1 })
    const stranger = await createPerson()
    for (const who of [people.absent[0], stranger, trainer]) {
      await expect(submitSurveyResponse(who, sessionId, answer)).rejects.toMatchObject({ status: 403 })
    }
    expect(await submitSurveyResponse(people.present[0], sessionId, answer)).toEqual({ ok: true })
    expect(await db.select().from(surveyResponses).where(eq(surveyResponses.sessionId, sessionId))).toHaveLength(1)
  })

  it('takes one answer per person: the second is refused with a clear message and stores nothing', async () => {
    const { sessionId, people } = await endedSession({ present: 1 })
    const person = people.present[0]
    expect(await submitSurveyResponse(person, sessionId, { ...answer, anonymous: true })).toEqual({ ok: true })
    expect(await submitSurveyResponse(person, sessionId, { ...answer, content: 1 })).toEqual({ ok: false, error: 'surveys.alreadyAnswered' })
    // Two at once: one wins.
    const other = await endedSession({ present: 1 })
    const results = await Promise.all([1, 2].map(() => submitSurveyResponse(other.people.present[0], other.sessionId, answer)))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    for (const id of [sessionId, other.sessionId]) {
      expect(await db.select().from(surveyResponses).where(eq(surveyResponses.sessionId, id))).toHaveLength(1)
    }
    expect((await getSurvey(person, sessionId)).state).toBe('answered')
  })

  it('is open from the end of the session for SURVEY_OPEN_DAYS days', async () => {
    const { sessionId, people } = await endedSession({ present: 1 }, 13 * day)
    const person = people.present[0]
    const endsAt = (await getSurvey(person, sessionId)).session.endsAt
    expect(await submitSurveyResponse(person, sessionId, answer, new Date(endsAt.getTime() - 1000))).toEqual({ ok: false, error: 'surveys.notOpenYet' })
    expect(await submitSurveyResponse(person, sessionId, answer, new Date(endsAt.getTime() + 14 * day + 1000))).toEqual({
      ok: false,
      error: 'surveys.closedMessage',
    })
    expect(await mySurveyStates(person)).toEqual({ [sessionId]: 'open' })
    expect(await submitSurveyResponse(person, sessionId, answer)).toEqual({ ok: true })
    expect(await mySurveyStates(person)).toEqual({ [sessionId]: 'answered' })
  })

  it('stores an anonymous answer without the person and without a time', async () => {
    const { sessionId, people } = await endedSession({ present: 1 })
    const person = people.present[0]
    await submitSurveyResponse(person, sessionId, { ...answer, anonymous: true, comment: 'Mehr Fallbeispiele bitte' })
    const [row] = await db.select().from(surveyResponses).where(eq(surveyResponses.sessionId, sessionId))
    expect(row).toMatchObject({ userId: null, submittedAt: null, anonymous: true, comment: 'Mehr Fallbeispiele bitte' })
    const [participant] = await db
      .select()
      .from(surveyParticipants)
      .where(and(eq(surveyParticipants.sessionId, sessionId), eq(surveyParticipants.userId, person.id)))
    expect(participant.submittedAt).toBeInstanceOf(Date)
  })
})

describe('results', () => {
  it('computes response rate, averages and the 1–5 distribution; anonymous comments carry no name or id', async () => {
    const { sessionId, people, hr, trainer } = await endedSession({ present: 4, absent: 1 })
    const [a, b, c] = people.present
    await submitSurveyResponse(a, sessionId, { content: 5, trainer: 5, usefulness: 4, anonymous: false, comment: 'Clear examples' })
    await submitSurveyResponse(b, sessionId, { content: 3, trainer: 4, usefulness: 4, anonymous: true, comment: 'Too fast for me' })
    await submitSurveyResponse(c, sessionId, { content: 4, trainer: 2, usefulness: 1, anonymous: true })
    for (const viewer of [hr, trainer]) {
      const results = await getSessionSurveyResults(viewer, sessionId)
      expect(results).toMatchObject({ attendees: 4, responses: 3, responseRate: 75 })
      expect(results.questions.content).toEqual({ average: 4, counts: [0, 0, 1, 1, 1] })
      expect(results.questions.trainer).toEqual({ average: 3.67, counts: [0, 1, 0, 1, 1] })
      expect(results.questions.usefulness).toEqual({ average: 3, counts: [1, 0, 0, 2, 0] })
      expect(results.comments).toEqual([
        { anonymous: false, name: a.name, comment: 'Clear examples' },
        { anonymous: true, name: null, comment: 'Too fast for me' },
      ])
      const text = JSON.stringify(results)
      for (const anonymous of [b, c]) {
        expect(text).not.toContain(anonymous.id)
        expect(text).not.toContain(anonymous.name)
      }
    }
    const csv = await sessionSurveyCsv(hr, sessionId, 'en')
    expect(csv.text).toContain('Too fast for me')
    expect(csv.text).not.toContain(b.name)
  })

  it('refuses the trainer of another session, lecturers not teaching it, and attendees (403)', async () => {
    const { sessionId, people } = await endedSession({ present: 1 })
    const otherTrainer = await createPerson({ roles: ['trainer'] })
    const lecturer = await createPerson({ roles: ['lecturer'] })
    await scheduleSession(otherTrainer, { startsAt: new Date(Date.now() - 5 * hour) })
    for (const who of [otherTrainer, lecturer, people.present[0]]) {
      await expect(getSessionSurveyResults(who, sessionId)).rejects.toMatchObject({ status: 403 })
    }
    await expect(getSurveyOverview(people.present[0])).rejects.toMatchObject({ status: 403 })
  })

  it('sums up per trainer: HR sees every trainer, a trainer only their own sessions', async () => {
    const first = await endedSession({ present: 2 })
    await submitSurveyResponse(first.people.present[0], first.sessionId, { content: 2, trainer: 3, usefulness: 4, anonymous: false })
    await submitSurveyResponse(first.people.present[1], first.sessionId, { content: 4, trainer: 4, usefulness: 4, anonymous: true })
    const second = await endedSession({ present: 1 })

    const hrView = await getSurveyOverview(first.hr)
    expect(hrView.trainers.find((t) => t.userId === first.trainer.id)).toMatchObject({
      sessions: 1,
      attendees: 2,
      responses: 2,
      content: 3,
      trainer: 3.5,
      usefulness: 4,
    })
    expect(hrView.trainers.some((t) => t.userId === second.trainer.id)).toBe(true)

    const own = await getSurveyOverview(first.trainer)
    expect(own.trainers.map((t) => t.userId)).toEqual([first.trainer.id])
    expect(own.sessions.map((s) => s.id)).toEqual([first.sessionId])
    expect(own.sessions[0]).toMatchObject({ attendees: 2, responses: 2, content: 3 })
  })
})
