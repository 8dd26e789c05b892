import { and, asc, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { attendance, attendanceChanges, auditEvents, checkInAttempts, users } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { inviteAudience } from '~/modules/sessions/invitations.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { scheduleSession } from '../../../tests/setup/sessions'
import {
  addWalkIn,
  checkInWithCode,
  checkInWithLink,
  getCheckInScreen,
  getRoster,
  linkForSignIn,
  markAllPresent,
  markAttendance,
  MAX_WRONG_CODES,
  previewCheckIn,
} from './attendance.server'
import { checkInToken, intervalAt, INTERVAL_SECONDS, shortCode } from './check-in-token'

/** The sessions here start in the coming days: marks of late or absent are made as if after the start. */
const AFTER_START = { now: new Date(Date.now() + 60 * 86_400_000) }

const MINUTE = 60_000
const SECOND = 1000

let hr: CurrentUser
let trainer: CurrentUser
beforeAll(async () => {
  hr = await createPerson({ roles: ['hr_admin'] })
  trainer = await createPerson({ roles: ['trainer'] })
})

/** A session starting in two days (defaults: opens 15 min before, late after 10, closes 30 after) with invitees. */
async function sessionWith(count: number) {
  const people = await Promise.all(Array.from({ length: count }, () => createPerson()))
  const { sessionId, startsAt } = await scheduleSession(hr, { startsAt: new Date(Date.now() + 2 * 86_400_000), trainerIds: [trainer.id] })
  await inviteAudience(hr, sessionId, { userIds: people.map((p) => p.id) })
  return { sessionId, start: startsAt.getTime(), people }
}

const at = (ms: number) => ({ now: new Date(ms) })
const tokenAt = (sessionId: string, ms: number) => checkInToken(sessionId, intervalAt(ms))

async function recordsOf(sessionId: string, userId?: string) {
  return db
    .select()
    .from(attendance)
    .where(and(eq(attendance.sessionId, sessionId), userId ? eq(attendance.userId, userId) : undefined))
}

async function changesOf(sessionId: string, userId: string) {
  return db
    .select()
    .from(attendanceChanges)
    .where(and(eq(attendanceChanges.sessionId, sessionId), eq(attendanceChanges.userId, userId)))
    .orderBy(asc(attendanceChanges.id))
}

describe('the self check-in window', () => {
  it('refuses a second before the window opens and accepts at the opening', async () => {
    const {
      sessionId,
      start,
      people: [a, b],
    } = await sessionWith(2)
    const early = start - 15 * MINUTE - SECOND
    expect(await checkInWithLink(a, tokenAt(sessionId, early), at(early))).toMatchObject({ ok: false, reason: 'too_early' })
    const opening = start - 15 * MINUTE
    expect(await checkInWithLink(b, tokenAt(sessionId, opening), at(opening))).toMatchObject({ ok: true, status: 'present' })
  })

  it('records present at the start and up to the late boundary, late just after it', async () => {
    const {
      sessionId,
      start,
      people: [a, b, c],
    } = await sessionWith(3)
    expect(await checkInWithLink(a, tokenAt(sessionId, start), at(start))).toMatchObject({ ok: true, status: 'present' })
    const boundary = start + 10 * MINUTE
    expect(await checkInWithLink(b, tokenAt(sessionId, boundary), at(boundary))).toMatchObject({ ok: true, status: 'present' })
    const after = boundary + SECOND
    expect(await checkInWithLink(c, tokenAt(sessionId, after), at(after))).toMatchObject({ ok: true, status: 'late' })
    expect((await recordsOf(sessionId, c.id))[0]).toMatchObject({ status: 'late', method: 'qr', markedBy: c.id })
  })

  it('accepts a second before the window closes and refuses at the close', async () => {
    const {
      sessionId,
      start,
      people: [a, b],
    } = await sessionWith(2)
    const last = start + 30 * MINUTE - SECOND
    expect(await checkInWithLink(a, tokenAt(sessionId, last), at(last))).toMatchObject({ ok: true, status: 'late' })
    const closed = start + 30 * MINUTE
    expect(await checkInWithLink(b, tokenAt(sessionId, closed), at(closed))).toMatchObject({ ok: false, reason: 'too_late' })
  })

  it('follows the session’s own window when it has one', async () => {
    const people = await Promise.all([createPerson(), createPerson()])
    const { sessionId, startsAt } = await scheduleSession(hr, {
      startsAt: new Date(Date.now() + 3 * 86_400_000),
      checkInOpensBefore: 60,
      lateAfter: 0,
    })
    await inviteAudience(hr, sessionId, { userIds: people.map((p) => p.id) })
    const start = startsAt.getTime()
    const hourBefore = start - 60 * MINUTE
    expect(await checkInWithLink(people[0], tokenAt(sessionId, hourBefore), at(hourBefore))).toMatchObject({ ok: true, status: 'present' })
    const justAfter = start + SECOND
    expect(await checkInWithLink(people[1], tokenAt(sessionId, justAfter), at(justAfter))).toMatchObject({ ok: true, status: 'late' })
  })
})

describe('rotating codes', () => {
  it('accepts the previous interval’s token and refuses one two intervals old', async () => {
    const {
      sessionId,
      start,
      people: [a, b],
    } = await sessionWith(2)
    const now = start + 2 * MINUTE
    const previous = checkInToken(sessionId, intervalAt(now) - 1)
    const twoOld = checkInToken(sessionId, intervalAt(now) - 2)
    expect(await checkInWithLink(a, previous, at(now))).toMatchObject({ ok: true, status: 'present' })
    expect(await checkInWithLink(b, twoOld, at(now))).toEqual({ ok: false, reason: 'expired' })
    // A token from the future (a forged interval) is no better.
    expect(await checkInWithLink(b, checkInToken(sessionId, intervalAt(now) + 1), at(now))).toEqual({ ok: false, reason: 'expired' })
  })

  it('refuses a tampered token', async () => {
    const {
      sessionId,
      start,
      people: [a],
    } = await sessionWith(1)
    const token = tokenAt(sessionId, start)
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA')
    expect(await checkInWithLink(a, tampered, at(start))).toEqual({ ok: false, reason: 'expired' })
  })

  it('keeps a scanned code good through sign-in, and the confirmation page’s grant only for its holder', async () => {
    const {
      sessionId,
      start,
      people: [a, b],
    } = await sessionWith(2)
    const scanned = start - 5 * MINUTE
    const forSignIn = linkForSignIn(tokenAt(sessionId, scanned), at(scanned))!
    const signedIn = scanned + 2 * MINUTE // the rotating token itself has long expired
    const preview = await previewCheckIn(a, forSignIn, at(signedIn))
    expect(preview).toMatchObject({ ok: true, invited: true, session: { id: sessionId } })
    const grant = preview.ok ? preview.grant : ''
    expect(await checkInWithLink(b, grant, at(signedIn))).toEqual({ ok: false, reason: 'expired' })
    expect(await checkInWithLink(a, grant, at(signedIn + MINUTE))).toMatchObject({ ok: true, status: 'present', already: false })
    expect(await checkInWithLink(a, grant, at(signedIn + 6 * MINUTE))).toEqual({ ok: false, reason: 'expired' })
  })

  it('shows the trainer the current token and short code', async () => {
    const { sessionId, start } = await sessionWith(1)
    const screen = await getCheckInScreen(trainer, sessionId, at(start))
    expect(screen.token).toBe(tokenAt(sessionId, start))
    expect(screen.code).toMatch(/^\d{6}$/)
    expect(screen.code).toBe(shortCode(sessionId, intervalAt(start)))
    expect(screen.state).toBe('open')
    expect(screen.refreshInMs).toBeGreaterThan(0)
    expect(screen.refreshInMs).toBeLessThanOrEqual(INTERVAL_SECONDS * 1000)
  })
})

describe('checking in is idempotent', () => {
  it('writes one record and one change for two check-ins', async () => {
    const {
      sessionId,
      start,
      people: [a],
    } = await sessionWith(1)
    const first = await checkInWithLink(a, tokenAt(sessionId, start), at(start))
    const second = await checkInWithLink(a, tokenAt(sessionId, start + 20 * MINUTE), at(start + 20 * MINUTE))
    expect(first).toMatchObject({ ok: true, status: 'present', already: false })
    expect(second).toMatchObject({ ok: true, status: 'present', already: true })
    expect(await recordsOf(sessionId, a.id)).toHaveLength(1)
    expect(await changesOf(sessionId, a.id)).toHaveLength(1)
  })

  it('writes one record and one change for concurrent check-ins', async () => {
    const {
      sessionId,
      start,
      people: [a],
    } = await sessionWith(1)
    const token = tokenAt(sessionId, start)
    const results = await Promise.all(Array.from({ length: 8 }, () => checkInWithLink(a, token, at(start))))
    expect(results.every((r) => r.ok)).toBe(true)
    expect(results.filter((r) => r.ok && !r.already)).toHaveLength(1)
    expect(await recordsOf(sessionId, a.id)).toHaveLength(1)
    expect(await changesOf(sessionId, a.id)).toHaveLength(1)
  })

  it('never overwrites the trainer’s mark', async () => {
    const {
      sessionId,
      start,
      people: [a],
    } = await sessionWith(1)
    await markAttendance(trainer, sessionId, a.id, 'excused')
    expect(await checkInWithLink(a, tokenAt(sessionId, start), at(start))).toMatchObject({ ok: true, status: 'excused', already: true })
    expect((await recordsOf(sessionId, a.id))[0]).toMatchObject({ status: 'excused', method: 'trainer' })
  })

  it('lets only invited people check in', async () => {
    const { sessionId, start } = await sessionWith(0)
    const stranger = await createPerson()
    expect(await checkInWithLink(stranger, tokenAt(sessionId, start), at(start))).toMatchObject({ ok: false, reason: 'not_invited' })
  })
})

describe('a burst of check-ins', () => {
  it('records 300 people scanning within the same minute, each exactly once', async () => {
    const rows = await db
      .insert(users)
      .values(Array.from({ length: 300 }, (_, i) => ({ name: `Burst ${i}`, email: `burst-${i}-${Date.now()}@example.test` })))
      .returning({ id: users.id, name: users.name, email: users.email })
    const people = rows.map((r) => ({ ...r, locale: null, roles: ['employee' as const], departmentId: null, managerId: null, sessionId: r.id }))
    const { sessionId, startsAt } = await scheduleSession(hr, { startsAt: new Date(Date.now() + 4 * 86_400_000) })
    expect(await inviteAudience(hr, sessionId, { userIds: people.map((p) => p.id) })).toEqual({ ok: true, invited: 300 })
    const now = startsAt.getTime() - 2 * MINUTE
    const token = tokenAt(sessionId, now)
    const started = performance.now()
    // Everyone scans, and a third of them tap twice.
    const results = await Promise.all([...people, ...people.slice(0, 100)].map((p) => checkInWithLink(p, token, at(now))))
    const elapsed = performance.now() - started
    expect(results.every((r) => r.ok)).toBe(true)
    expect(await recordsOf(sessionId)).toHaveLength(300)
    expect(await db.select().from(attendanceChanges).where(eq(attendanceChanges.sessionId, sessionId))).toHaveLength(300)
    // Generous: a check-in is one read and one write; this guards against accidental N-fold work.
    expect(elapsed).toBeLessThan(20_000)
  })
})

describe('short codes', () => {
  it('checks in with the code shown in the room, without naming the session', async () => {
    const {
      sessionId,
      start,
      people: [a],
    } = await sessionWith(1)
    const code = shortCode(sessionId, intervalAt(start) - 1)
    expect(await checkInWithCode(a, code, at(start))).toMatchObject({ ok: true, status: 'present', sessionId })
    expect((await recordsOf(sessionId, a.id))[0]).toMatchObject({ method: 'code' })
  })

  it('says so when none of the person’s sessions is open', async () => {
    const {
      sessionId,
      start,
      people: [a],
    } = await sessionWith(1)
    const early = start - 60 * MINUTE
    expect(await checkInWithCode(a, shortCode(sessionId, intervalAt(early)), at(early))).toEqual({ ok: false, reason: 'no_open_session' })
  })

  it(`refuses even the right code after ${MAX_WRONG_CODES} wrong ones in 10 minutes, per person`, async () => {
    const {
      sessionId,
      start,
      people: [a, b],
    } = await sessionWith(2)
    const now = start + MINUTE
    const right = shortCode(sessionId, intervalAt(now))
    const wrong = right === '000000' ? '000001' : '000000'
    for (let i = 0; i < MAX_WRONG_CODES; i++) {
      expect(await checkInWithCode(a, wrong, at(now + i * SECOND))).toEqual({ ok: false, reason: 'wrong_code' })
    }
    const attempts = await db
      .select()
      .from(checkInAttempts)
      .where(and(eq(checkInAttempts.sessionId, sessionId), eq(checkInAttempts.userId, a.id)))
    expect(attempts).toHaveLength(MAX_WRONG_CODES)
    const soon = now + 20 * SECOND
    expect(await checkInWithCode(a, shortCode(sessionId, intervalAt(soon)), at(soon))).toEqual({ ok: false, reason: 'rate_limited' })
    // Someone else in the same room is not affected.
    expect(await checkInWithCode(b, shortCode(sessionId, intervalAt(soon)), at(soon))).toMatchObject({ ok: true })
    // Ten minutes after the wrong codes, the person may try again.
    const later = now + 11 * MINUTE
    expect(await checkInWithCode(a, shortCode(sessionId, intervalAt(later)), at(later))).toMatchObject({ ok: true, status: 'late' })
  })
})

describe('the trainer’s marks', () => {
  it('logs every change to a record: who, when, from, to', async () => {
    const {
      sessionId,
      start,
      people: [a],
    } = await sessionWith(1)
    await checkInWithLink(a, tokenAt(sessionId, start + 12 * MINUTE), at(start + 12 * MINUTE))
    expect(await markAttendance(trainer, sessionId, a.id, 'present')).toMatchObject({ ok: true, changed: true, from: 'late' })
    expect(await markAttendance(trainer, sessionId, a.id, 'present')).toMatchObject({ ok: true, changed: false })
    await markAttendance(hr, sessionId, a.id, 'absent', AFTER_START)
    const changes = await changesOf(sessionId, a.id)
    expect(changes.map((c) => [c.fromStatus, c.toStatus, c.method, c.changedBy])).toEqual([
      [null, 'late', 'qr', a.id],
      ['late', 'present', 'trainer', trainer.id],
      ['present', 'absent', 'trainer', hr.id],
    ])
    expect(changes.every((c) => c.changedAt instanceof Date)).toBe(true)
  })

  it('marks all the unmarked present, leaving existing records alone', async () => {
    const {
      sessionId,
      start,
      people: [a, b, c],
    } = await sessionWith(3)
    await checkInWithLink(a, tokenAt(sessionId, start + 15 * MINUTE), at(start + 15 * MINUTE))
    await markAttendance(trainer, sessionId, b.id, 'excused')
    expect(await markAllPresent(trainer, sessionId)).toEqual({ ok: true, marked: 1 })
    const roster = await getRoster(trainer, sessionId)
    expect(Object.fromEntries(roster.people.map((p) => [p.userId, p.status]))).toEqual({ [a.id]: 'late', [b.id]: 'excused', [c.id]: 'present' })
    expect(roster.tally).toMatchObject({ present: 1, late: 1, excused: 1, unmarked: 0 })
    expect(await changesOf(sessionId, c.id)).toMatchObject([{ fromStatus: null, toStatus: 'present', changedBy: trainer.id }])
  })

  it('refuses a lecturer marking a session they do not teach (403, audited)', async () => {
    const lecturer = await createPerson({ roles: ['lecturer'] })
    const { sessionId: theirs } = await scheduleSession(hr, { trainerIds: [lecturer.id] })
    const {
      sessionId: other,
      people: [a],
    } = await sessionWith(1)
    await expect(getRoster(lecturer, theirs)).resolves.toMatchObject({ session: { id: theirs } })
    await expect(markAttendance(lecturer, other, a.id, 'present')).rejects.toMatchObject({ status: 403 })
    await expect(getRoster(lecturer, other)).rejects.toMatchObject({ status: 403 })
    await expect(markAllPresent(lecturer, other)).rejects.toMatchObject({ status: 403 })
    const denied = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, lecturer.id), eq(auditEvents.action, 'access.denied')))
    expect(denied).toHaveLength(3)
    expect(denied[0].details).toMatchObject({ permission: 'mark:attendance:own-session', sessionId: other })
    expect(await recordsOf(other, a.id)).toHaveLength(0)
  })

  it('adds a walk-in with a seat, present, whatever the capacity', async () => {
    const people = await Promise.all([createPerson(), createPerson()])
    const { sessionId } = await scheduleSession(hr, { capacity: 1, trainerIds: [trainer.id] })
    await inviteAudience(hr, sessionId, { userIds: [people[0].id] })
    const stranger = await createPerson()
    expect(await addWalkIn(trainer, sessionId, stranger.email.toUpperCase())).toEqual({ ok: true, name: stranger.name })
    expect(await addWalkIn(trainer, sessionId, 'nobody@example.test')).toEqual({ ok: false, error: 'sessions.unknownEmails' })
    const roster = await getRoster(trainer, sessionId)
    expect(roster.people.find((p) => p.userId === stranger.id)).toMatchObject({ invitation: 'accepted', status: 'present', method: 'trainer' })
    expect(await changesOf(sessionId, stranger.id)).toMatchObject([{ fromStatus: null, toStatus: 'present', changedBy: trainer.id }])
  })

  it('refuses a trainer who does not teach the session', async () => {
    const otherTrainer = await createPerson({ roles: ['trainer'] })
    const {
      sessionId,
      people: [a],
    } = await sessionWith(1)
    await expect(markAttendance(otherTrainer, sessionId, a.id, 'present')).rejects.toMatchObject({ status: 403 })
  })
})
