import { and, asc, desc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import {
  absenceRequests,
  cohorts,
  courseModules,
  courses,
  departments,
  invitations,
  sessions,
  sessionTrainers,
  userRoles,
  users,
  type Session,
} from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import { can, type CurrentUser, type Role } from '~/modules/auth/permissions'
import { scheduleSessionReminders } from '~/modules/notifications/reminders.server'
import { loadSession, requireSessionRight, rightsOn } from './access.server'
import { recomputeLecturerAccess, trainersOf } from './lecturer-access.server'
import type { InvitationStatus, SessionInput } from './sessions'
import { emit } from '~/shared/events.server'
import { zonedToInstant } from '~/shared/time'
import { type Options, invitees, sendSessionEmails, sendTeachingAssignments } from './session-mail.server'
import { promoteFromWaitlist } from './invitations.server'

const invitationCount = (status: InvitationStatus) =>
  sql<number>`(select count(*)::int from ${invitations} i where i.session_id = ${sessions.id} and i.status = ${status})`

/** Upcoming or past sessions: every session for HR and trainers, only their own for lecturers. */
export async function listSessions(actor: CurrentUser, filters: { when: 'upcoming' | 'past' }) {
  await assertCan(actor, 'read:sessions:own')
  const now = new Date()
  const own = can(actor, 'read:sessions:all')
    ? undefined
    : sql`exists (select 1 from ${sessionTrainers} st where st.session_id = ${sessions.id} and st.user_id = ${actor.id})`
  const rows = await db
    .select({
      id: sessions.id,
      title: sessions.title,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      timeZone: sessions.timeZone,
      place: sessions.place,
      onlineUrl: sessions.onlineUrl,
      capacity: sessions.capacity,
      status: sessions.status,
      cohortName: cohorts.name,
      accepted: invitationCount('accepted'),
      invited: invitationCount('invited'),
      waitlisted: invitationCount('waitlisted'),
      declined: invitationCount('declined'),
    })
    .from(sessions)
    .leftJoin(cohorts, eq(cohorts.id, sessions.cohortId))
    // Cancelled sessions are listed with the past ones, never under upcoming.
    .where(
      and(
        filters.when === 'upcoming'
          ? and(gt(sessions.endsAt, now), eq(sessions.status, 'scheduled'))
          : or(lte(sessions.endsAt, now), eq(sessions.status, 'cancelled')),
        own,
      ),
    )
    .orderBy(filters.when === 'upcoming' ? asc(sessions.startsAt) : desc(sessions.startsAt))
    .limit(200)
  return rows
}

/** Cohorts, trainer candidates and departments for the session and audience forms (people who schedule). */
export async function getSessionFormOptions(actor: CurrentUser) {
  await assertCan(actor, 'manage:sessions:own')
  const [cohortRows, trainers, depts, programmes] = await Promise.all([
    db.select({ id: cohorts.id, name: cohorts.name }).from(cohorts).where(isNull(cohorts.cancelledAt)).orderBy(desc(cohorts.createdAt)),
    db
      .selectDistinct({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .innerJoin(userRoles, eq(userRoles.userId, users.id))
      .where(and(eq(users.active, true), inArray(userRoles.role, ['trainer', 'lecturer'])))
      .orderBy(asc(users.name)),
    db.select({ id: departments.id, path: departments.path }).from(departments).orderBy(asc(departments.path)),
    // Session modules of live courses: a session carrying one's ref counts for it.
    db
      .select({ ref: sql<string>`${courseModules.settings}->>'ref'`, module: courseModules.title, course: courses.title })
      .from(courseModules)
      .innerJoin(courses, eq(courses.id, courseModules.courseId))
      .where(
        and(eq(courseModules.kind, 'session'), isNull(courseModules.retiredAt), isNull(courses.retiredAt), sql`${courseModules.settings}->>'ref' is not null`),
      )
      .orderBy(asc(courses.contentId), asc(courseModules.position)),
  ])
  return { cohorts: cohortRows, trainers, departments: depts, programmes }
}

export type SessionFieldErrors = Partial<Record<keyof SessionInput, string>>

function toValues(input: SessionInput) {
  return {
    title: input.title,
    cohortId: input.cohortId ?? null,
    courseRef: input.courseRef ?? null,
    description: input.description ?? null,
    startsAt: zonedToInstant(input.startsAt, input.timeZone)!,
    endsAt: zonedToInstant(input.endsAt, input.timeZone)!,
    timeZone: input.timeZone,
    place: input.place ?? null,
    onlineUrl: input.onlineUrl ?? null,
    capacity: input.capacity ?? null,
    checkInOpensBefore: input.checkInOpensBefore ?? null,
    checkInClosesAfter: input.checkInClosesAfter ?? null,
    lateAfter: input.lateAfter ?? null,
  }
}

/** Trainers must be active people holding the trainer or lecturer role; lecturers teach as lecturers. */
async function resolveTrainers(executor: Executor, ids: string[]) {
  if (ids.length === 0) return { ok: true as const, trainers: [] as { userId: string; role: 'trainer' | 'lecturer' }[] }
  const rows = await executor
    .select({ userId: userRoles.userId, role: userRoles.role })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(and(inArray(userRoles.userId, ids), inArray(userRoles.role, ['trainer', 'lecturer']), eq(users.active, true)))
  const byUser = new Map<string, Role[]>()
  for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r.role])
  if (ids.some((id) => !byUser.has(id))) return { ok: false as const }
  return {
    ok: true as const,
    trainers: [...new Set(ids)].map((userId) => ({ userId, role: byUser.get(userId)!.includes('trainer') ? ('trainer' as const) : ('lecturer' as const) })),
  }
}

async function cohortOpen(executor: Executor, cohortId: string | undefined) {
  if (!cohortId) return true
  const [row] = await executor.select({ cancelledAt: cohorts.cancelledAt }).from(cohorts).where(eq(cohorts.id, cohortId))
  return Boolean(row && !row.cancelledAt)
}

/**
 * HR or a trainer schedules a session. A trainer who is not HR always teaches the sessions
 * they create (otherwise they could not manage it afterwards).
 */
export async function createSession(actor: CurrentUser, input: SessionInput, options: Options = {}) {
  await assertCan(actor, 'manage:sessions:own')
  const trainerIds = can(actor, 'manage:sessions:all') ? input.trainerIds : [actor.id, ...input.trainerIds.filter((id) => id !== actor.id)]
  return db.transaction(async (tx) => {
    const errors: SessionFieldErrors = {}
    const resolved = await resolveTrainers(tx, trainerIds)
    if (!resolved.ok) errors.trainerIds = 'sessions.notATrainer'
    if (!(await cohortOpen(tx, input.cohortId))) errors.cohortId = 'errors.invalid'
    const values = toValues(input)
    // Nobody can be invited to, reminded of or check in to a past session: refuse it at once.
    if (values.startsAt.getTime() < Date.now()) errors.startsAt = 'sessions.startInPast'
    if (Object.keys(errors).length || !resolved.ok) return { ok: false as const, errors }
    const [session] = await tx
      .insert(sessions)
      .values({ ...values, createdBy: actor.id })
      .returning()
    if (resolved.trainers.length) await tx.insert(sessionTrainers).values(resolved.trainers.map((t) => ({ ...t, sessionId: session.id })))
    await scheduleSessionReminders(tx, session)
    await recomputeLecturerAccess(
      tx,
      resolved.trainers.map((t) => t.userId),
    )
    await sendTeachingAssignments(
      tx,
      actor,
      session,
      resolved.trainers.map((t) => t.userId),
      options,
    )
    await audit(
      { actorId: actor.id, action: 'session.created', entityType: 'session', entityId: session.id, after: { ...values, trainers: resolved.trainers } },
      tx,
    )
    return { ok: true as const, sessionId: session.id }
  })
}

/** Fields a calendar shows: changing any of them sends everyone an update with a higher SEQUENCE. */
const calendarFields = ['title', 'description', 'startsAt', 'endsAt', 'timeZone', 'place', 'onlineUrl'] as const

function sameValue(a: unknown, b: unknown) {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime()
  return (a ?? null) === (b ?? null)
}

/**
 * Edits a session. A change people's calendars show raises the SEQUENCE and emails every
 * invitee who has not declined; a larger capacity promotes from the wait-list.
 */
export async function updateSession(actor: CurrentUser, sessionId: string, input: SessionInput, options: Options = {}) {
  await requireSessionRight(actor, sessionId, 'manage')
  return db.transaction(async (tx) => {
    const before = await loadSession(tx, sessionId, true)
    if (before.status === 'cancelled') return { ok: false as const, errors: { title: 'sessions.alreadyCancelled' } as SessionFieldErrors }
    const errors: SessionFieldErrors = {}
    const resolved = await resolveTrainers(tx, input.trainerIds)
    if (!resolved.ok) errors.trainerIds = 'sessions.notATrainer'
    if (input.cohortId !== (before.cohortId ?? undefined) && !(await cohortOpen(tx, input.cohortId))) errors.cohortId = 'errors.invalid'
    const values = toValues(input)
    if (Object.keys(errors).length || !resolved.ok) return { ok: false as const, errors }
    const calendarChanged = calendarFields.some((f) => !sameValue(before[f], values[f]))
    const [after] = await tx
      .update(sessions)
      .set({ ...values, updatedAt: new Date(), icsSequence: calendarChanged ? before.icsSequence + 1 : before.icsSequence })
      .where(eq(sessions.id, sessionId))
      .returning()
    const previousTrainers = await trainersOf(tx, [sessionId])
    await tx.delete(sessionTrainers).where(eq(sessionTrainers.sessionId, sessionId))
    if (resolved.trainers.length) await tx.insert(sessionTrainers).values(resolved.trainers.map((t) => ({ ...t, sessionId })))
    // A new time or a removed lecturer moves when lecturers' access ends, for the old trainers as well as the new.
    await recomputeLecturerAccess(tx, [...previousTrainers, ...resolved.trainers.map((t) => t.userId)])
    await sendTeachingAssignments(
      tx,
      actor,
      after,
      resolved.trainers.map((t) => t.userId).filter((id) => !previousTrainers.includes(id)),
      options,
    )
    const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => !sameValue(before[k as keyof Session], v)))
    await audit(
      {
        actorId: actor.id,
        action: 'session.updated',
        entityType: 'session',
        entityId: sessionId,
        before: Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof Session]])),
        after: { ...changed, trainers: resolved.trainers },
      },
      tx,
    )
    // Reminders for the old start time find it changed when they run and send nothing.
    if (!sameValue(before.startsAt, after.startsAt)) await scheduleSessionReminders(tx, after)
    if (calendarChanged) {
      const people = await invitees(tx, sessionId, ['invited', 'accepted', 'waitlisted'])
      await sendSessionEmails(tx, 'session_changed', 'REQUEST', after, people, options)
    }
    // A session moved to another programme (course reference) completes or reopens other modules (courses listens).
    if (!sameValue(before.courseRef, after.courseRef)) await emit(tx, 'session.changed', { sessionId, change: 'course-ref' })
    const promoted = await promoteFromWaitlist(tx, actor.id, after, options)
    return { ok: true as const, notified: calendarChanged, promoted: promoted.length }
  })
}

export async function cancelInTransaction(tx: Executor, actor: CurrentUser, session: Session, options: Options) {
  const [after] = await tx
    .update(sessions)
    .set({ status: 'cancelled', cancelledAt: new Date(), updatedAt: new Date(), icsSequence: session.icsSequence + 1 })
    .where(eq(sessions.id, session.id))
    .returning()
  await recomputeLecturerAccess(tx, await trainersOf(tx, [session.id]))
  const people = await invitees(tx, session.id, ['invited', 'accepted', 'waitlisted'])
  await sendSessionEmails(tx, 'session_cancelled', 'CANCEL', after, people, options)
  await audit({ actorId: actor.id, action: 'session.cancelled', entityType: 'session', entityId: session.id, details: { notified: people.length } }, tx)
  // Attendance at a cancelled session completes nothing (courses reopens the session modules it completed).
  await emit(tx, 'session.changed', { sessionId: session.id, change: 'cancelled' })
  return people.length
}

/** Cancels a session: everyone who has not declined gets METHOD:CANCEL for their calendar entry. */
export async function cancelSession(actor: CurrentUser, sessionId: string, options: Options = {}) {
  await requireSessionRight(actor, sessionId, 'manage')
  return db.transaction(async (tx) => {
    const session = await loadSession(tx, sessionId, true)
    if (session.status === 'cancelled') return { ok: false as const, error: 'sessions.alreadyCancelled' }
    const notified = await cancelInTransaction(tx, actor, session, options)
    return { ok: true as const, notified }
  })
}

/** One session with its trainers, invitations, absence requests and what the viewer may do. */
export async function getSession(actor: CurrentUser, sessionId: string) {
  const session = await requireSessionRight(actor, sessionId, 'read')
  const [rights, cohort, trainers, invitationRows, requests, programme] = await Promise.all([
    rightsOn(actor, sessionId),
    session.cohortId ? db.select({ id: cohorts.id, name: cohorts.name }).from(cohorts).where(eq(cohorts.id, session.cohortId)) : Promise.resolve([]),
    db
      .select({ userId: sessionTrainers.userId, role: sessionTrainers.role, name: users.name, email: users.email })
      .from(sessionTrainers)
      .innerJoin(users, eq(users.id, sessionTrainers.userId))
      .where(eq(sessionTrainers.sessionId, sessionId))
      .orderBy(asc(users.name)),
    db
      .select({
        userId: invitations.userId,
        status: invitations.status,
        position: invitations.position,
        respondedAt: invitations.respondedAt,
        name: users.name,
        email: users.email,
        departmentPath: departments.path,
      })
      .from(invitations)
      .innerJoin(users, eq(users.id, invitations.userId))
      .leftJoin(departments, eq(departments.id, users.departmentId))
      .where(eq(invitations.sessionId, sessionId))
      .orderBy(asc(users.name)),
    db
      .select({
        id: absenceRequests.id,
        userId: absenceRequests.userId,
        name: users.name,
        reason: absenceRequests.reason,
        status: absenceRequests.status,
        createdAt: absenceRequests.createdAt,
        decidedAt: absenceRequests.decidedAt,
      })
      .from(absenceRequests)
      .innerJoin(users, eq(users.id, absenceRequests.userId))
      .where(eq(absenceRequests.sessionId, sessionId))
      .orderBy(desc(absenceRequests.createdAt)),
    // The course module the session counts for, shown by its title rather than its ref.
    session.courseRef
      ? db
          .select({ module: courseModules.title, course: courses.title })
          .from(courseModules)
          .innerJoin(courses, eq(courses.id, courseModules.courseId))
          .where(and(eq(courseModules.kind, 'session'), isNull(courseModules.retiredAt), sql`${courseModules.settings}->>'ref' = ${session.courseRef}`))
          .limit(1)
      : Promise.resolve([]),
  ])
  // An external lecturer sees who is coming, not internal staff's email addresses.
  if (!can(actor, 'read:sessions:all')) for (const i of invitationRows) i.email = ''
  // The wait-list is shown as 1, 2, 3 … whatever gaps declines left in the stored positions.
  const waitlist = invitationRows.filter((i) => i.status === 'waitlisted').sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
  const rank = new Map(waitlist.map((i, index) => [i.userId, index + 1]))
  return {
    session: { ...session, cohortName: cohort[0]?.name ?? null, programme: programme[0] ?? null },
    trainers,
    invitations: invitationRows.map((i) => ({ ...i, waitlistRank: rank.get(i.userId) ?? null })),
    absenceRequests: requests,
    counts: {
      invited: invitationRows.filter((i) => i.status === 'invited').length,
      accepted: invitationRows.filter((i) => i.status === 'accepted').length,
      waitlisted: waitlist.length,
      declined: invitationRows.filter((i) => i.status === 'declined').length,
    },
    rights,
  }
}

/* --------------------------------------------------------------- invitations */
