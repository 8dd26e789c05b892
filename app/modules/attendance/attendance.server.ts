import { and, asc, count, eq, inArray, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { attendance, attendanceChanges, checkInAttempts, departments, invitations, sessions, users, type Session } from '#db/schema'
import { env } from '~/env.server'
import { assertCan } from '~/modules/auth/authorize.server'
import { can, type CurrentUser } from '~/modules/auth/permissions'
import { audit } from '~/modules/audit/audit.server'
import { loadSession, requireSessionRight } from '~/modules/sessions/access.server'
import { admitWalkIn } from '~/modules/sessions/invitations.server'
import { sessionHeading } from '~/modules/sessions/sessions'
import { emit } from '~/shared/events.server'
import { queueAbsenceCheck } from './absence-warnings.server'
import { AttendanceStatusSchema, type AttendanceStatus, type CheckInRefusal } from './attendance'
import { checkInGrant, checkInToken, intervalAt, msUntilNextInterval, shortCode, shortCodeMatches, verifyCheckInLink } from './check-in-token'

/** Wrong short codes allowed per person and session within the window below. */
export const MAX_WRONG_CODES = 10
export const WRONG_CODE_WINDOW_MINUTES = 10

type Clock = { now?: Date }

/** When self check-in opens and closes, and from when an arrival counts as late. */
export function checkInWindow(session: Pick<Session, 'startsAt' | 'checkInOpensBefore' | 'checkInClosesAfter' | 'lateAfter'>) {
  const config = env()
  const start = session.startsAt.getTime()
  const minute = 60_000
  return {
    opensAt: new Date(start - (session.checkInOpensBefore ?? config.CHECK_IN_OPENS_BEFORE_MINUTES) * minute),
    closesAt: new Date(start + (session.checkInClosesAfter ?? config.CHECK_IN_CLOSES_AFTER_MINUTES) * minute),
    lateFrom: new Date(start + (session.lateAfter ?? config.CHECK_IN_LATE_AFTER_MINUTES) * minute),
  }
}

/**
 * Sets one person's attendance and records the change (who, when, from → to). Unchanged
 * status writes nothing. Used by trainers' marks and approved absences; runs inside `tx`.
 */
export async function writeAttendance(
  tx: Executor,
  input: { sessionId: string; userId: string; status: AttendanceStatus; method: 'qr' | 'code' | 'trainer'; by: string },
) {
  const [current] = await tx
    .select({ status: attendance.status })
    .from(attendance)
    .where(and(eq(attendance.sessionId, input.sessionId), eq(attendance.userId, input.userId)))
    .for('update')
  if (current?.status === input.status) return { changed: false, from: current.status }
  const now = new Date()
  await tx
    .insert(attendance)
    .values({ sessionId: input.sessionId, userId: input.userId, status: input.status, method: input.method, markedBy: input.by, markedAt: now })
    .onConflictDoUpdate({
      target: [attendance.sessionId, attendance.userId],
      set: { status: input.status, method: input.method, markedBy: input.by, markedAt: now },
    })
  await tx.insert(attendanceChanges).values({
    sessionId: input.sessionId,
    userId: input.userId,
    fromStatus: current?.status ?? null,
    toStatus: input.status,
    method: input.method,
    changedBy: input.by,
    changedAt: now,
  })
  if (input.status === 'absent') await queueAbsenceCheck(tx, input.userId)
  // Attending (or a corrected mark) completes or reopens the person's session modules (courses listens).
  const [session] = await tx.select({ courseRef: sessions.courseRef }).from(sessions).where(eq(sessions.id, input.sessionId))
  await emit(tx, 'attendance.changed', { sessionId: input.sessionId, courseRef: session?.courseRef ?? null, userIds: [input.userId] })
  return { changed: true, from: current?.status ?? null }
}

export type CheckInResult =
  | { ok: true; status: AttendanceStatus; already: boolean; sessionId: string; title: string }
  | { ok: false; reason: CheckInRefusal; sessionId?: string; title?: string; opensAt?: Date }

/**
 * The self check-in itself: one statement that inserts the attendance row unless one exists
 * (a trainer's mark is never overwritten, a second scan changes nothing) and logs the change
 * only when the row was new. Cheap enough for a room of hundreds scanning in the same minute.
 */
async function checkInto(
  actor: CurrentUser,
  sessionId: string,
  method: 'qr' | 'code',
  now: Date,
  /** The session and the person's invitation when the caller has just read them (one round trip less). */
  loaded?: { session: typeof sessions.$inferSelect; invitation: string | null },
): Promise<CheckInResult> {
  const [row] = loaded
    ? [loaded]
    : await db
        .select({ session: sessions, invitation: invitations.status })
        .from(sessions)
        .leftJoin(invitations, and(eq(invitations.sessionId, sessions.id), eq(invitations.userId, actor.id)))
        .where(eq(sessions.id, sessionId))
  if (!row) return { ok: false, reason: 'expired' }
  const { session, invitation } = row
  const about = { sessionId, title: session.title }
  if (session.status === 'cancelled') return { ok: false, reason: 'cancelled', ...about }
  if (invitation === 'waitlisted') return { ok: false, reason: 'waitlisted', ...about }
  if (invitation !== 'invited' && invitation !== 'accepted') return { ok: false, reason: 'not_invited', ...about }
  const window = checkInWindow(session)
  if (now < window.opensAt) return { ok: false, reason: 'too_early', opensAt: window.opensAt, ...about }
  if (now >= window.closesAt) return { ok: false, reason: 'too_late', ...about }
  const status: AttendanceStatus = now > window.lateFrom ? 'late' : 'present'
  const inserted = parseRows(
    z.object({ to_status: AttendanceStatusSchema }),
    await db.execute(sql`
      with inserted as (
        insert into ${attendance} (session_id, user_id, status, method, marked_by, marked_at)
        values (${sessionId}, ${actor.id}, ${status}, ${method}, ${actor.id}, ${now.toISOString()}::timestamptz)
        on conflict (session_id, user_id) do nothing
        returning session_id, user_id, status, method, marked_at
      )
      insert into ${attendanceChanges} (session_id, user_id, from_status, to_status, method, changed_by, changed_at)
      select session_id, user_id, null, status, method, user_id, marked_at from inserted
      returning to_status`),
  )
  if (inserted.length) {
    await emit(db, 'attendance.changed', { sessionId, courseRef: session.courseRef, userIds: [actor.id] })
    return { ok: true, status, already: false, ...about }
  }
  const [existing] = await db
    .select({ status: attendance.status })
    .from(attendance)
    .where(and(eq(attendance.sessionId, sessionId), eq(attendance.userId, actor.id)))
  return { ok: true, status: existing?.status ?? status, already: true, ...about }
}

/** The session a check-in link is for, for the confirmation page; a fresh grant bound to the person rides in the form. */
export async function previewCheckIn(actor: CurrentUser, link: string, clock: Clock = {}) {
  await assertCan(actor, 'attend:sessions:own')
  const now = clock.now ?? new Date()
  const verified = verifyCheckInLink(link, now, actor.id)
  if (!verified) return { ok: false as const, reason: 'expired' as const }
  const [row] = await db
    .select({ session: sessions, invitation: invitations.status, attendance: attendance.status })
    .from(sessions)
    .leftJoin(invitations, and(eq(invitations.sessionId, sessions.id), eq(invitations.userId, actor.id)))
    .leftJoin(attendance, and(eq(attendance.sessionId, sessions.id), eq(attendance.userId, actor.id)))
    .where(eq(sessions.id, verified.sessionId))
  if (!row) return { ok: false as const, reason: 'expired' as const }
  return {
    ok: true as const,
    session: {
      id: row.session.id,
      title: row.session.title,
      startsAt: row.session.startsAt,
      endsAt: row.session.endsAt,
      timeZone: row.session.timeZone,
      place: row.session.place,
    },
    invited: row.invitation === 'invited' || row.invitation === 'accepted',
    attendance: row.attendance,
    grant: checkInGrant(verified.sessionId, now, actor.id),
  }
}

/**
 * For the trip through the sign-in page: swaps a fresh QR token for a link that stays good
 * for a few minutes. Needs no actor (the person is not signed in yet); proves only that
 * someone held the code, and checking in still needs the invited person's session.
 */
export function linkForSignIn(link: string, clock: Clock = {}) {
  const now = clock.now ?? new Date()
  const verified = verifyCheckInLink(link, now)
  return verified ? checkInGrant(verified.sessionId, now) : null
}

/** Checks in with a scanned QR link (or the grant the confirmation page carried). */
export async function checkInWithLink(actor: CurrentUser, link: string, clock: Clock = {}): Promise<CheckInResult> {
  await assertCan(actor, 'attend:sessions:own')
  const now = clock.now ?? new Date()
  const verified = verifyCheckInLink(link, now, actor.id)
  if (!verified) return { ok: false, reason: 'expired' }
  return checkInto(actor, verified.sessionId, 'qr', now)
}

/**
 * Checks in by typing the 6-digit code shown in the room. The code names no session: it is
 * matched against the person's sessions whose window is open. Wrong codes are counted per
 * person and session; past MAX_WRONG_CODES in WRONG_CODE_WINDOW_MINUTES even the right code
 * is refused, so guessing one of two live codes in a million is hopeless.
 */
export async function checkInWithCode(actor: CurrentUser, code: string, clock: Clock = {}): Promise<CheckInResult> {
  await assertCan(actor, 'attend:sessions:own')
  const now = clock.now ?? new Date()
  const config = env()
  const minutes = (column: AnyPgColumn, fallback: number) => sql`make_interval(mins => coalesce(${column}, ${fallback}))`
  const open = await db
    .select({
      id: sessions.id,
      session: sessions,
      invitation: invitations.status,
      wrong: sql<number>`(select count(*)::int from ${checkInAttempts} a where a.session_id = ${sessions.id} and a.user_id = ${actor.id} and a.at > ${new Date(now.getTime() - WRONG_CODE_WINDOW_MINUTES * 60_000).toISOString()}::timestamptz)`,
    })
    .from(invitations)
    .innerJoin(sessions, eq(sessions.id, invitations.sessionId))
    .where(
      and(
        eq(invitations.userId, actor.id),
        inArray(invitations.status, ['invited', 'accepted']),
        eq(sessions.status, 'scheduled'),
        sql`${sessions.startsAt} - ${minutes(sessions.checkInOpensBefore, config.CHECK_IN_OPENS_BEFORE_MINUTES)} <= ${now.toISOString()}::timestamptz`,
        sql`${sessions.startsAt} + ${minutes(sessions.checkInClosesAfter, config.CHECK_IN_CLOSES_AFTER_MINUTES)} > ${now.toISOString()}::timestamptz`,
      ),
    )
  if (open.length === 0) return { ok: false, reason: 'no_open_session' }
  const allowed = open.filter((s) => Number(s.wrong) < MAX_WRONG_CODES)
  if (allowed.length === 0) return { ok: false, reason: 'rate_limited' }
  const match = allowed.find((s) => shortCodeMatches(s.id, code, now))
  // The same checks run on the row just read (status, invitation, window): no second look-up.
  if (match) return checkInto(actor, match.id, 'code', now, { session: match.session, invitation: match.invitation })
  await db.insert(checkInAttempts).values(allowed.map((s) => ({ sessionId: s.id, userId: actor.id, at: now })))
  return { ok: false, reason: 'wrong_code' }
}

/* ------------------------------------------------------------ trainer side */

/** The trainer's roster: everyone expected (not declined) plus anyone already marked, with their attendance. */
export async function getRoster(actor: CurrentUser, sessionId: string) {
  const session = await requireSessionRight(actor, sessionId, 'mark')
  const people = await db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      departmentPath: departments.path,
      invitation: invitations.status,
      status: attendance.status,
      method: attendance.method,
      markedAt: attendance.markedAt,
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .leftJoin(attendance, and(eq(attendance.sessionId, invitations.sessionId), eq(attendance.userId, invitations.userId)))
    .where(and(eq(invitations.sessionId, sessionId), sql`(${invitations.status} <> 'declined' or ${attendance.status} is not null)`))
    .orderBy(asc(users.name))
  const tally = { present: 0, late: 0, excused: 0, absent: 0, unmarked: 0 }
  for (const p of people) tally[p.status ?? 'unmarked']++
  // An external lecturer needs names and departments to take attendance, not staff's email addresses.
  if (!can(actor, 'read:sessions:all')) for (const p of people) p.email = ''
  return {
    session: sessionHeading(session),
    window: checkInWindow(session),
    people,
    tally,
  }
}

/**
 * A trainer (of this session) or HR marks one person. Every change is logged in
 * attendance_changes. Only people invited to the session can be marked.
 */
export async function markAttendance(actor: CurrentUser, sessionId: string, userId: string, status: AttendanceStatus, clock: Clock = {}) {
  await requireSessionRight(actor, sessionId, 'mark')
  return db.transaction(async (tx) => {
    const session = await loadSession(tx, sessionId)
    if (session.status === 'cancelled') return { ok: false as const, error: 'attendance.refused.cancelled' }
    // Nobody is late or absent before the session has started (present and excused may be marked ahead).
    if ((status === 'absent' || status === 'late') && session.startsAt.getTime() > (clock.now ?? new Date()).getTime()) {
      return { ok: false as const, error: 'attendance.refused.not_started' }
    }
    const [invited] = await tx
      .select({ status: invitations.status })
      .from(invitations)
      .where(and(eq(invitations.sessionId, sessionId), eq(invitations.userId, userId)))
    if (!invited) throw new Response('Not found', { status: 404 })
    const result = await writeAttendance(tx, { sessionId, userId, status, method: 'trainer', by: actor.id })
    return { ok: true as const, ...result }
  })
}

/** "All present": marks everyone expected and still unmarked as present, in one statement, logging each. */
export async function markAllPresent(actor: CurrentUser, sessionId: string) {
  await requireSessionRight(actor, sessionId, 'mark')
  const session = await loadSession(db, sessionId)
  if (session.status === 'cancelled') return { ok: false as const, error: 'attendance.refused.cancelled' }
  const now = new Date()
  const marked = parseRows(
    z.object({ user_id: column.text }),
    await db.execute(sql`
      with inserted as (
        insert into ${attendance} (session_id, user_id, status, method, marked_by, marked_at)
        select i.session_id, i.user_id, 'present', 'trainer', ${actor.id}, ${now.toISOString()}::timestamptz
        from ${invitations} i
        where i.session_id = ${sessionId} and i.status in ('invited', 'accepted')
        on conflict (session_id, user_id) do nothing
        returning session_id, user_id, status, method, marked_by, marked_at
      )
      insert into ${attendanceChanges} (session_id, user_id, from_status, to_status, method, changed_by, changed_at)
      select session_id, user_id, null, status, method, marked_by, marked_at from inserted
      returning user_id`),
  )
  if (marked.length) await emit(db, 'attendance.changed', { sessionId, courseRef: session.courseRef, userIds: marked.map((m) => m.user_id) })
  return { ok: true as const, marked: marked.length }
}

/**
 * Someone turns up who was not invited (or declined, or waits on the wait-list): the trainer
 * adds them on the roster. They hold a seat from now on, whatever the capacity (they are in the
 * room), and are marked present.
 */
export async function addWalkIn(actor: CurrentUser, sessionId: string, email: string) {
  await requireSessionRight(actor, sessionId, 'mark')
  return db.transaction(async (tx) => {
    const session = await loadSession(tx, sessionId, true)
    if (session.status === 'cancelled') return { ok: false as const, error: 'sessions.alreadyCancelled' }
    const admitted = await admitWalkIn(tx, actor, sessionId, email)
    if (!admitted) return { ok: false as const, error: 'sessions.unknownEmails' }
    const { person, before } = admitted
    await writeAttendance(tx, { sessionId, userId: person.id, status: 'present', method: 'trainer', by: actor.id })
    await audit(
      { actorId: actor.id, action: 'invitation.walk_in', entityType: 'session', entityId: sessionId, before: { userId: person.id, status: before } },
      tx,
    )
    return { ok: true as const, name: person.name }
  })
}

/** The history of one person's attendance in a session, oldest first. */
export async function listAttendanceChanges(actor: CurrentUser, sessionId: string, userId?: string) {
  await requireSessionRight(actor, sessionId, 'mark')
  return db
    .select({
      userId: attendanceChanges.userId,
      fromStatus: attendanceChanges.fromStatus,
      toStatus: attendanceChanges.toStatus,
      method: attendanceChanges.method,
      changedBy: attendanceChanges.changedBy,
      changedAt: attendanceChanges.changedAt,
    })
    .from(attendanceChanges)
    .where(and(eq(attendanceChanges.sessionId, sessionId), userId ? eq(attendanceChanges.userId, userId) : undefined))
    .orderBy(asc(attendanceChanges.id))
}

/** What the check-in screen in the room shows now: the QR token, the short code, and how many have checked in. */
export async function getCheckInScreen(actor: CurrentUser, sessionId: string, clock: Clock = {}) {
  const session = await requireSessionRight(actor, sessionId, 'mark')
  const now = clock.now ?? new Date()
  const interval = intervalAt(now)
  const [{ checkedIn }] = await db
    .select({ checkedIn: count() })
    .from(attendance)
    .where(and(eq(attendance.sessionId, sessionId), inArray(attendance.method, ['qr', 'code'])))
  const [{ expected }] = await db
    .select({ expected: count() })
    .from(invitations)
    .where(and(eq(invitations.sessionId, sessionId), inArray(invitations.status, ['invited', 'accepted'])))
  const window = checkInWindow(session)
  return {
    session: sessionHeading(session),
    token: checkInToken(sessionId, interval),
    code: shortCode(sessionId, interval),
    refreshInMs: msUntilNextInterval(now),
    window,
    state:
      session.status === 'cancelled'
        ? ('cancelled' as const)
        : now < window.opensAt
          ? ('not_yet' as const)
          : now >= window.closesAt
            ? ('closed' as const)
            : ('open' as const),
    checkedIn: Number(checkedIn),
    expected: Number(expected),
  }
}
