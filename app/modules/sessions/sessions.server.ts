import { and, asc, count, desc, eq, gt, inArray, isNull, lte, ne, notExists, or, sql, type SQL } from 'drizzle-orm'
import { audienceCondition as matchesAudience } from '~/modules/org/audience.server'
import { db, type Executor } from '#db/client.server'
import {
  absenceRequests,
  attendance,
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
import { env } from '~/env.server'
import { translator } from '~/i18n'
import { writeAttendance } from '~/modules/attendance/attendance.server'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import { syncLinkedModulesForSession } from '~/modules/courses/linked-modules.server'
import { can, type CurrentUser, type Role } from '~/modules/auth/permissions'
import { hashToken, newToken } from '~/modules/auth/tokens.server'
import {
  recipientLocale,
  sendTemplatedEmails,
  type EmailKind,
  type TemplatedEmail,
} from '~/modules/notifications/email.server'
import { notifyMany } from '~/modules/notifications/inbox.server'
import { scheduleSessionReminders, sessionNotificationParams } from '~/modules/notifications/reminders.server'
import { loadSession, requireSessionRight, rightsOn } from './access.server'
import { recomputeLecturerAccess, trainersOf } from './lecturer-access.server'
import { buildCalendar, sessionUid, type PartStat } from './ical'
import type { Audience, CohortInput, InvitationResponse, InvitationStatus, SessionInput } from './sessions'
import { formatSessionTime, zonedToInstant } from './time'

type Options = { origin?: string }

/** Where links in emails point: the request's origin when the route passes it, else APP_URL. */
function originOf(options: Options) {
  return (options.origin ?? env().APP_URL ?? 'http://localhost:3000').replace(/\/$/, '')
}

/* ------------------------------------------------------------------ cohorts */

export async function listCohorts(actor: CurrentUser) {
  await assertCan(actor, 'read:sessions:own')
  return db
    .select({
      id: cohorts.id,
      name: cohorts.name,
      programme: cohorts.programme,
      cancelledAt: cohorts.cancelledAt,
      sessions: sql<number>`(select count(*)::int from ${sessions} s where s.cohort_id = ${cohorts.id})`,
    })
    .from(cohorts)
    .orderBy(desc(cohorts.createdAt))
}

export async function createCohort(actor: CurrentUser, input: CohortInput) {
  await assertCan(actor, 'manage:cohorts:all')
  return db.transaction(async (tx) => {
    const [cohort] = await tx
      .insert(cohorts)
      .values({ name: input.name, programme: input.programme ?? null, createdBy: actor.id })
      .returning()
    await audit({ actorId: actor.id, action: 'cohort.created', entityType: 'cohort', entityId: cohort.id, after: input }, tx)
    return cohort
  })
}

export async function updateCohort(actor: CurrentUser, cohortId: string, input: CohortInput) {
  await assertCan(actor, 'manage:cohorts:all')
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(cohorts).where(eq(cohorts.id, cohortId))
    if (!before) throw new Response('Not found', { status: 404 })
    await tx
      .update(cohorts)
      .set({ name: input.name, programme: input.programme ?? null, updatedAt: new Date() })
      .where(eq(cohorts.id, cohortId))
    await audit(
      { actorId: actor.id, action: 'cohort.updated', entityType: 'cohort', entityId: cohortId, before: { name: before.name, programme: before.programme }, after: input },
      tx,
    )
  })
}

/** Cancels a cohort and every one of its sessions that has not started yet (each invitee gets a calendar cancellation). */
export async function cancelCohort(actor: CurrentUser, cohortId: string, options: Options = {}) {
  await assertCan(actor, 'manage:sessions:all')
  return db.transaction(async (tx) => {
    const [cohort] = await tx.select().from(cohorts).where(eq(cohorts.id, cohortId)).for('update')
    if (!cohort) throw new Response('Not found', { status: 404 })
    if (cohort.cancelledAt) return { cancelledSessions: 0 }
    await tx.update(cohorts).set({ cancelledAt: new Date(), updatedAt: new Date() }).where(eq(cohorts.id, cohortId))
    const upcoming = await tx
      .select()
      .from(sessions)
      .where(and(eq(sessions.cohortId, cohortId), eq(sessions.status, 'scheduled'), gt(sessions.startsAt, new Date())))
      .for('update')
    for (const session of upcoming) await cancelInTransaction(tx, actor, session, options)
    await audit({ actorId: actor.id, action: 'cohort.cancelled', entityType: 'cohort', entityId: cohortId, details: { sessions: upcoming.length } }, tx)
    return { cancelledSessions: upcoming.length }
  })
}

/* ------------------------------------------------------------------ sessions */

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
    .where(and(filters.when === 'upcoming' ? gt(sessions.endsAt, now) : lte(sessions.endsAt, now), own))
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
      .where(and(eq(courseModules.kind, 'session'), isNull(courseModules.retiredAt), isNull(courses.retiredAt), sql`${courseModules.settings}->>'ref' is not null`))
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
export async function createSession(actor: CurrentUser, input: SessionInput) {
  await assertCan(actor, 'manage:sessions:own')
  const trainerIds = can(actor, 'manage:sessions:all') ? input.trainerIds : [actor.id, ...input.trainerIds.filter((id) => id !== actor.id)]
  return db.transaction(async (tx) => {
    const errors: SessionFieldErrors = {}
    const resolved = await resolveTrainers(tx, trainerIds)
    if (!resolved.ok) errors.trainerIds = 'sessions.notATrainer'
    if (!(await cohortOpen(tx, input.cohortId))) errors.cohortId = 'errors.invalid'
    if (Object.keys(errors).length || !resolved.ok) return { ok: false as const, errors }
    const values = toValues(input)
    const [session] = await tx
      .insert(sessions)
      .values({ ...values, createdBy: actor.id })
      .returning()
    if (resolved.trainers.length) await tx.insert(sessionTrainers).values(resolved.trainers.map((t) => ({ ...t, sessionId: session.id })))
    await scheduleSessionReminders(tx, session)
    await recomputeLecturerAccess(tx, resolved.trainers.map((t) => t.userId))
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
    if (Object.keys(errors).length || !resolved.ok) return { ok: false as const, errors }
    const values = toValues(input)
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
    // A session moved to another programme (course reference) completes or reopens other modules.
    if (!sameValue(before.courseRef, after.courseRef)) await syncLinkedModulesForSession(tx, sessionId)
    const promoted = await promoteFromWaitlist(tx, actor.id, after, options)
    return { ok: true as const, notified: calendarChanged, promoted: promoted.length }
  })
}

async function cancelInTransaction(tx: Executor, actor: CurrentUser, session: Session, options: Options) {
  const [after] = await tx
    .update(sessions)
    .set({ status: 'cancelled', cancelledAt: new Date(), updatedAt: new Date(), icsSequence: session.icsSequence + 1 })
    .where(eq(sessions.id, session.id))
    .returning()
  await recomputeLecturerAccess(tx, await trainersOf(tx, [session.id]))
  const people = await invitees(tx, session.id, ['invited', 'accepted', 'waitlisted'])
  await sendSessionEmails(tx, 'session_cancelled', 'CANCEL', after, people, options)
  await audit({ actorId: actor.id, action: 'session.cancelled', entityType: 'session', entityId: session.id, details: { notified: people.length } }, tx)
  // Attendance at a cancelled session completes nothing.
  if (session.courseRef) await syncLinkedModulesForSession(tx, session.id)
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
  const [rights, cohort, trainers, invitationRows, requests] = await Promise.all([
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
  ])
  // The wait-list is shown as 1, 2, 3 … whatever gaps declines left in the stored positions.
  const waitlist = invitationRows.filter((i) => i.status === 'waitlisted').sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
  const rank = new Map(waitlist.map((i, index) => [i.userId, index + 1]))
  return {
    session: { ...session, cohortName: cohort[0]?.name ?? null },
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

type Invitee = { userId: string; name: string; email: string; locale: string | null; status: InvitationStatus }

async function invitees(executor: Executor, sessionId: string, statuses: InvitationStatus[], userIds?: string[]): Promise<Invitee[]> {
  return executor
    .select({ userId: users.id, name: users.name, email: users.email, locale: users.locale, status: invitations.status })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .where(and(eq(invitations.sessionId, sessionId), inArray(invitations.status, statuses), userIds ? inArray(invitations.userId, userIds) : undefined))
}

const partstat: Record<InvitationStatus, PartStat> = {
  invited: 'NEEDS-ACTION',
  accepted: 'ACCEPTED',
  declined: 'DECLINED',
  waitlisted: 'TENTATIVE',
}

/** ORGANIZER from MAIL_FROM ("Genjin <no-reply@genjin.local>"). */
function organizer() {
  const from = env().MAIL_FROM
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from)
  return match ? { name: match[1] || 'Genjin', email: match[2] } : { name: 'Genjin', email: from.trim() }
}

/**
 * The email and calendar file for one person: in their language, their own UID, the session's
 * current SEQUENCE. RSVP is FALSE on purpose: emailed calendar replies reach no one (we read no
 * mailbox); people answer through the link, which the description repeats.
 */
function sessionEmail(
  kind: EmailKind,
  method: 'REQUEST' | 'CANCEL',
  session: Session,
  person: Invitee,
  options: Options & { token?: string; inviter?: string },
): TemplatedEmail {
  const origin = originOf(options)
  const locale = recipientLocale(person)
  const t = translator(locale)
  const link = options.token ? `${origin}/invitations/${options.token}` : `${origin}/my/sessions`
  const when = formatSessionTime(locale, session.startsAt, session.endsAt, session.timeZone)
  const where = [session.place, session.onlineUrl].filter(Boolean).join(' · ')
  const calendar = buildCalendar({
    method,
    uid: sessionUid(session.id, person.userId),
    sequence: session.icsSequence,
    stamp: new Date(),
    start: session.startsAt,
    end: session.endsAt,
    timeZone: session.timeZone,
    summary: session.title,
    description: [session.description, method === 'REQUEST' ? t('sessions.ics.respond', { link }) : null].filter(Boolean).join('\n\n'),
    location: where || null,
    url: session.onlineUrl ?? `${origin}/my/sessions`,
    organizer: organizer(),
    attendee: { name: person.name, email: person.email, partstat: method === 'CANCEL' ? 'DECLINED' : partstat[person.status], rsvp: false },
  })
  return {
    to: { id: person.userId, email: person.email, name: person.name, locale: person.locale },
    kind,
    vars: { name: person.name, title: session.title, when, where: where || '—', link, inviter: options.inviter ?? '' },
    attachments: [
      {
        filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
        contentType: `text/calendar; charset=UTF-8; method=${method}`,
        content: calendar,
      },
    ],
  }
}

async function sendSessionEmails(
  tx: Executor,
  kind: EmailKind,
  method: 'REQUEST' | 'CANCEL',
  session: Session,
  people: Invitee[],
  options: Options & { tokens?: Map<string, string>; inviter?: string },
) {
  if (people.length === 0) return
  await sendTemplatedEmails(
    people.map((p) => sessionEmail(kind, method, session, p, { ...options, token: options.tokens?.get(p.userId) })),
    tx,
  )
  // The same event in the app: the bell in the header, /notifications.
  await notifyMany(
    tx,
    people.map((p) => ({ userId: p.userId, kind, params: sessionNotificationParams(session), link: '/my/sessions' })),
  )
}

/** SQL for the people matched by an audience (active, not teaching this session). */
function audienceCondition(sessionId: string, audience: Audience, userIds: string[]): SQL {
  const matches = matchesAudience({ id: users.id, departmentId: users.departmentId }, { roles: audience.roles, departmentId: audience.departmentId, userIds })
  return and(
    eq(users.active, true),
    matches,
    notExists(db.select({ one: sql`1` }).from(sessionTrainers).where(and(eq(sessionTrainers.sessionId, sessionId), eq(sessionTrainers.userId, users.id)))),
    notExists(db.select({ one: sql`1` }).from(invitations).where(and(eq(invitations.sessionId, sessionId), eq(invitations.userId, users.id)))),
  )!
}

/**
 * Invites an audience: people holding any of `roles` within the department subtree (both
 * filters when both are given), plus the people named by id or email. One batch insert;
 * people already invited are left alone, so inviting twice sends nothing twice. Each new
 * invitee gets an email with a one-time answer link and the calendar file.
 */
export async function inviteAudience(actor: CurrentUser, sessionId: string, audience: Audience, options: Options = {}) {
  await requireSessionRight(actor, sessionId, 'manage')
  const emails = [...new Set(audience.emails ?? [])]
  return db.transaction(async (tx) => {
    const session = await loadSession(tx, sessionId, true)
    if (session.status === 'cancelled' || session.startsAt.getTime() <= Date.now()) {
      return { ok: false as const, errors: { roles: 'sessions.notOpenForInvitations' }, unknownEmails: [] as string[] }
    }
    const named = emails.length
      ? await tx.select({ id: users.id, email: users.email }).from(users).where(and(inArray(users.email, emails), eq(users.active, true)))
      : []
    const unknownEmails = emails.filter((e) => !named.some((n) => n.email === e))
    if (unknownEmails.length) return { ok: false as const, errors: { emails: 'sessions.unknownEmails' }, unknownEmails }
    const userIds = [...new Set([...(audience.userIds ?? []), ...named.map((n) => n.id)])]
    const candidates = await tx
      .select({ userId: users.id, name: users.name, email: users.email, locale: users.locale })
      .from(users)
      .where(audienceCondition(sessionId, audience, userIds))
    if (candidates.length === 0) return { ok: true as const, invited: 0 }
    const tokens = new Map(candidates.map((c) => [c.userId, newToken()]))
    const inserted = await tx
      .insert(invitations)
      .values(
        candidates.map((c) => ({
          sessionId,
          userId: c.userId,
          status: 'invited' as const,
          responseTokenHash: tokens.get(c.userId)!.hash,
          invitedBy: actor.id,
        })),
      )
      .onConflictDoNothing({ target: [invitations.sessionId, invitations.userId] })
      .returning({ userId: invitations.userId })
    const invitedIds = new Set(inserted.map((r) => r.userId))
    const people: Invitee[] = candidates.filter((c) => invitedIds.has(c.userId)).map((c) => ({ ...c, status: 'invited' }))
    await sendSessionEmails(tx, 'session_invitation', 'REQUEST', session, people, {
      ...options,
      inviter: actor.name,
      tokens: new Map([...tokens].map(([userId, t]) => [userId, t.token])),
    })
    await audit(
      {
        actorId: actor.id,
        action: 'session.invited',
        entityType: 'session',
        entityId: sessionId,
        details: { audience: { roles: audience.roles, departmentId: audience.departmentId, userIds }, invited: people.length },
      },
      tx,
    )
    return { ok: true as const, invited: people.length }
  })
}

/**
 * Moves people from the wait-list to free seats, first come first served, and tells them.
 * Runs inside the transaction that freed the seat, with the session row locked.
 */
async function promoteFromWaitlist(tx: Executor, actorId: string | null, session: Session, options: Options) {
  if (session.status !== 'scheduled') return []
  let free = Number.MAX_SAFE_INTEGER
  if (session.capacity !== null) {
    const [{ n }] = await tx
      .select({ n: count() })
      .from(invitations)
      .where(and(eq(invitations.sessionId, session.id), eq(invitations.status, 'accepted')))
    free = session.capacity - Number(n)
  }
  if (free <= 0) return []
  const next = await tx
    .select({ id: invitations.id, userId: invitations.userId })
    .from(invitations)
    .where(and(eq(invitations.sessionId, session.id), eq(invitations.status, 'waitlisted')))
    .orderBy(asc(invitations.position), asc(invitations.invitedAt))
    .limit(Math.min(free, 10_000))
  if (next.length === 0) return []
  await tx
    .update(invitations)
    .set({ status: 'accepted', position: null })
    .where(inArray(invitations.id, next.map((n) => n.id)))
  const people = await invitees(tx, session.id, ['accepted'], next.map((n) => n.userId))
  await sendSessionEmails(tx, 'session_promoted', 'REQUEST', session, people, options)
  await audit(
    { actorId, action: 'invitation.promoted', entityType: 'session', entityId: session.id, details: { userIds: next.map((n) => n.userId) } },
    tx,
  )
  return next.map((n) => n.userId)
}

/** Applies an answer with the session row locked: capacity decides accepted or waitlisted; a freed seat promotes. */
async function applyAnswer(
  tx: Executor,
  session: Session,
  invitation: { id: string; userId: string; status: InvitationStatus },
  answer: InvitationResponse,
  via: 'app' | 'email',
  options: Options,
) {
  let status: InvitationStatus = invitation.status
  let position: number | null = null
  if (answer === 'accept') {
    if (invitation.status === 'accepted' || invitation.status === 'waitlisted') return { status: invitation.status, promoted: [] as string[] }
    status = 'accepted'
    if (session.capacity !== null) {
      const [{ n }] = await tx
        .select({ n: count() })
        .from(invitations)
        .where(and(eq(invitations.sessionId, session.id), eq(invitations.status, 'accepted')))
      if (Number(n) >= session.capacity) {
        status = 'waitlisted'
        const [{ last }] = await tx
          .select({ last: sql<number>`coalesce(max(${invitations.position}), 0)::int` })
          .from(invitations)
          .where(and(eq(invitations.sessionId, session.id), eq(invitations.status, 'waitlisted')))
        position = Number(last) + 1
      }
    }
  } else {
    if (invitation.status === 'declined') return { status: invitation.status, promoted: [] as string[] }
    status = 'declined'
  }
  await tx.update(invitations).set({ status, position, respondedAt: new Date() }).where(eq(invitations.id, invitation.id))
  await audit(
    {
      actorId: invitation.userId,
      action: 'invitation.responded',
      entityType: 'session',
      entityId: session.id,
      before: { status: invitation.status },
      after: { status, position },
      details: { via },
    },
    tx,
  )
  const promoted = invitation.status === 'accepted' && status === 'declined' ? await promoteFromWaitlist(tx, invitation.userId, session, options) : []
  return { status, promoted }
}

function answerable(session: Session) {
  return session.status === 'scheduled' && session.startsAt.getTime() > Date.now()
}

/** The invitee answers in the app. Beyond capacity an acceptance joins the wait-list. */
export async function respondToInvitation(actor: CurrentUser, sessionId: string, answer: InvitationResponse, options: Options = {}) {
  await assertCan(actor, 'attend:sessions:own')
  return db.transaction(async (tx) => {
    const session = await loadSession(tx, sessionId, true)
    const [invitation] = await tx
      .select({ id: invitations.id, userId: invitations.userId, status: invitations.status })
      .from(invitations)
      .where(and(eq(invitations.sessionId, sessionId), eq(invitations.userId, actor.id)))
    if (!invitation) throw new Response('Not found', { status: 404 })
    if (!answerable(session)) return { ok: false as const, error: 'sessions.responseClosed' }
    const result = await applyAnswer(tx, session, invitation, answer, 'app', options)
    return { ok: true as const, ...result }
  })
}

/**
 * The invitation behind an emailed answer link, for its confirmation page (nothing changes
 * on GET). The token is the credential here, as with a password-reset link: no signed-in actor.
 */
export async function getInvitationByToken(token: string) {
  if (!token || token.length > 100) return null
  const [row] = await db
    .select({
      sessionId: sessions.id,
      title: sessions.title,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      timeZone: sessions.timeZone,
      place: sessions.place,
      onlineUrl: sessions.onlineUrl,
      sessionStatus: sessions.status,
      status: invitations.status,
      name: users.name,
    })
    .from(invitations)
    .innerJoin(sessions, eq(sessions.id, invitations.sessionId))
    .innerJoin(users, eq(users.id, invitations.userId))
    .where(and(eq(invitations.responseTokenHash, hashToken(token)), eq(users.active, true)))
  if (!row || row.sessionStatus !== 'scheduled' || row.startsAt.getTime() <= Date.now()) return null
  return row
}

/** Answers through the emailed link, which works once: the token is cleared in the same transaction. */
export async function respondByToken(token: string, answer: InvitationResponse, options: Options = {}) {
  if (!token || token.length > 100) return { ok: false as const, error: 'sessions.linkInvalid' }
  const hash = hashToken(token)
  const [found] = await db.select({ sessionId: invitations.sessionId }).from(invitations).where(eq(invitations.responseTokenHash, hash))
  if (!found) return { ok: false as const, error: 'sessions.linkInvalid' }
  return db.transaction(async (tx) => {
    const session = await loadSession(tx, found.sessionId, true)
    // Read again under the lock: a second click on the same link finds the token gone.
    const [invitation] = await tx
      .select({ id: invitations.id, userId: invitations.userId, status: invitations.status })
      .from(invitations)
      .innerJoin(users, eq(users.id, invitations.userId))
      .where(and(eq(invitations.responseTokenHash, hash), eq(users.active, true)))
    if (!invitation || !answerable(session)) return { ok: false as const, error: 'sessions.linkInvalid' }
    await tx.update(invitations).set({ responseTokenHash: null }).where(eq(invitations.id, invitation.id))
    const result = await applyAnswer(tx, session, invitation, answer, 'email', options)
    return { ok: true as const, ...result, title: session.title }
  })
}

/** HR removes someone from a session: their calendar entry is cancelled and a freed seat promotes the wait-list. */
export async function removeInvitation(actor: CurrentUser, sessionId: string, userId: string, options: Options = {}) {
  await requireSessionRight(actor, sessionId, 'manage')
  return db.transaction(async (tx) => {
    const locked = await loadSession(tx, sessionId, true)
    const [person] = await invitees(tx, sessionId, ['invited', 'accepted', 'waitlisted', 'declined'], [userId])
    if (!person) throw new Response('Not found', { status: 404 })
    await tx.delete(invitations).where(and(eq(invitations.sessionId, sessionId), eq(invitations.userId, userId)))
    // The cancellation must outrank the REQUEST they hold, and a later re-invitation must outrank the cancellation.
    const [session] = await tx
      .update(sessions)
      .set({ icsSequence: locked.icsSequence + 1 })
      .where(eq(sessions.id, sessionId))
      .returning()
    if (person.status !== 'declined' && session.status === 'scheduled') {
      await sendSessionEmails(tx, 'session_removed', 'CANCEL', session, [person], options)
    }
    await audit(
      { actorId: actor.id, action: 'invitation.removed', entityType: 'session', entityId: sessionId, before: { userId, status: person.status } },
      tx,
    )
    const promoted = person.status === 'accepted' ? await promoteFromWaitlist(tx, actor.id, session, options) : []
    return { ok: true as const, promoted }
  })
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
    const [person] = await tx
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(and(eq(users.email, email.trim().toLowerCase()), eq(users.active, true)))
    if (!person) return { ok: false as const, error: 'sessions.unknownEmails' }
    const [before] = await tx
      .select({ status: invitations.status })
      .from(invitations)
      .where(and(eq(invitations.sessionId, sessionId), eq(invitations.userId, person.id)))
    await tx
      .insert(invitations)
      .values({ sessionId, userId: person.id, status: 'accepted', invitedBy: actor.id, respondedAt: new Date() })
      .onConflictDoUpdate({
        target: [invitations.sessionId, invitations.userId],
        set: { status: 'accepted', position: null, responseTokenHash: null },
      })
    await writeAttendance(tx, { sessionId, userId: person.id, status: 'present', method: 'trainer', by: actor.id })
    await audit(
      { actorId: actor.id, action: 'invitation.walk_in', entityType: 'session', entityId: sessionId, before: { userId: person.id, status: before?.status ?? null } },
      tx,
    )
    return { ok: true as const, name: person.name }
  })
}

/* ------------------------------------------------------ the invitee's view */

/**
 * The actor's invitations with session, attendance and absence request, soonest first;
 * with `courseRef`, only the sessions of that programme (a course's session module).
 */
export async function listMySessions(actor: CurrentUser, filter: { courseRef?: string } = {}) {
  await assertCan(actor, 'attend:sessions:own')
  const rows = await db
    .select({
      sessionId: sessions.id,
      title: sessions.title,
      description: sessions.description,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      timeZone: sessions.timeZone,
      place: sessions.place,
      onlineUrl: sessions.onlineUrl,
      sessionStatus: sessions.status,
      status: invitations.status,
      position: invitations.position,
      attendance: attendance.status,
      waitlistRank: sql<number | null>`case when ${invitations.status} = 'waitlisted' then (select count(*)::int from ${invitations} w where w.session_id = ${sessions.id} and w.status = 'waitlisted' and w.position <= ${invitations.position}) end`,
      absence: sql<string | null>`(select a.status::text from ${absenceRequests} a where a.session_id = ${sessions.id} and a.user_id = ${actor.id} order by a.created_at desc limit 1)`,
    })
    .from(invitations)
    .innerJoin(sessions, eq(sessions.id, invitations.sessionId))
    .leftJoin(attendance, and(eq(attendance.sessionId, invitations.sessionId), eq(attendance.userId, invitations.userId)))
    .where(and(eq(invitations.userId, actor.id), filter.courseRef === undefined ? undefined : eq(sessions.courseRef, filter.courseRef)))
    .orderBy(asc(sessions.startsAt))
  const now = Date.now()
  return rows.map((r) => ({
    ...r,
    waitlistRank: r.waitlistRank === null ? null : Number(r.waitlistRank),
    answerable: r.sessionStatus === 'scheduled' && r.startsAt.getTime() > now,
    past: r.endsAt.getTime() <= now,
  }))
}

/* ---------------------------------------------------------- excused absence */

/** A person asks in advance to be excused, with a reason; trainer or HR decides. */
export async function requestAbsence(actor: CurrentUser, sessionId: string, reason: string) {
  await assertCan(actor, 'attend:sessions:own')
  return db.transaction(async (tx) => {
    const session = await loadSession(tx, sessionId)
    const [invitation] = await tx
      .select({ status: invitations.status })
      .from(invitations)
      .where(and(eq(invitations.sessionId, sessionId), eq(invitations.userId, actor.id)))
    if (!invitation) throw new Response('Not found', { status: 404 })
    if (!answerable(session)) return { ok: false as const, error: 'sessions.absenceTooLate' }
    const [open] = await tx
      .select({ id: absenceRequests.id })
      .from(absenceRequests)
      .where(and(eq(absenceRequests.sessionId, sessionId), eq(absenceRequests.userId, actor.id), ne(absenceRequests.status, 'rejected')))
    if (open) return { ok: false as const, error: 'sessions.absenceAlreadyRequested' }
    const [request] = await tx.insert(absenceRequests).values({ sessionId, userId: actor.id, reason }).returning()
    await audit({ actorId: actor.id, action: 'absence.requested', entityType: 'session', entityId: sessionId, details: { requestId: request.id, reason } }, tx)
    return { ok: true as const, requestId: request.id }
  })
}

/** Trainer (of this session) or HR approves or rejects; approval records the attendance as excused. */
export async function decideAbsence(actor: CurrentUser, requestId: string, decision: 'approved' | 'rejected') {
  const [request] = /^[0-9a-f-]{36}$/i.test(requestId)
    ? await db.select().from(absenceRequests).where(eq(absenceRequests.id, requestId))
    : []
  if (!request) throw new Response('Not found', { status: 404 })
  await requireSessionRight(actor, request.sessionId, 'mark')
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(absenceRequests)
      .set({ status: decision, decidedBy: actor.id, decidedAt: new Date() })
      .where(and(eq(absenceRequests.id, requestId), eq(absenceRequests.status, 'pending')))
      .returning()
    if (!updated) return { ok: false as const, error: 'sessions.absenceAlreadyDecided' }
    if (decision === 'approved') {
      await writeAttendance(tx, { sessionId: request.sessionId, userId: request.userId, status: 'excused', method: 'trainer', by: actor.id })
    }
    await audit(
      { actorId: actor.id, action: `absence.${decision}`, entityType: 'session', entityId: request.sessionId, details: { requestId, userId: request.userId } },
      tx,
    )
    return { ok: true as const }
  })
}
