import { and, asc, count, eq, inArray, notExists, sql, type SQL } from 'drizzle-orm'
import { audienceCondition as matchesAudience } from '~/modules/org/audience.server'
import { db, type Executor } from '#db/client.server'
import { absenceRequests, attendance, invitations, sessions, sessionTrainers, users, type Session } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import { type CurrentUser } from '~/modules/auth/permissions'
import { hashToken, newToken } from '~/modules/auth/tokens.server'
import { loadSession, requireSessionRight } from './access.server'
import type { Audience, InvitationResponse, InvitationStatus } from './sessions'
import { type Invitee, type Options, invitees, sendSessionEmails } from './session-mail.server'

/** Invitations: inviting an audience, answers, the wait-list, walk-ins, and a person's own sessions. */
/** SQL for the people matched by an audience (active, not teaching this session). */
function audienceCondition(sessionId: string, audience: Audience, userIds: string[]): SQL {
  const matches = matchesAudience({ id: users.id, departmentId: users.departmentId }, { roles: audience.roles, departmentId: audience.departmentId, userIds })
  return and(
    eq(users.active, true),
    matches,
    notExists(
      db
        .select({ one: sql`1` })
        .from(sessionTrainers)
        .where(and(eq(sessionTrainers.sessionId, sessionId), eq(sessionTrainers.userId, users.id))),
    ),
    notExists(
      db
        .select({ one: sql`1` })
        .from(invitations)
        .where(and(eq(invitations.sessionId, sessionId), eq(invitations.userId, users.id))),
    ),
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
      ? await tx
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(and(inArray(users.email, emails), eq(users.active, true)))
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
export async function promoteFromWaitlist(tx: Executor, actorId: string | null, session: Session, options: Options) {
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
    .where(
      inArray(
        invitations.id,
        next.map((n) => n.id),
      ),
    )
  const people = await invitees(
    tx,
    session.id,
    ['accepted'],
    next.map((n) => n.userId),
  )
  await sendSessionEmails(tx, 'session_promoted', 'REQUEST', session, people, options)
  await audit({ actorId, action: 'invitation.promoted', entityType: 'session', entityId: session.id, details: { userIds: next.map((n) => n.userId) } }, tx)
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

export function answerable(session: Session) {
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
    await audit({ actorId: actor.id, action: 'invitation.removed', entityType: 'session', entityId: sessionId, before: { userId, status: person.status } }, tx)
    const promoted = person.status === 'accepted' ? await promoteFromWaitlist(tx, actor.id, session, options) : []
    return { ok: true as const, promoted }
  })
}

/**
 * Someone turns up who was not invited (or declined, or waits on the wait-list): they hold a
 * seat from now on, whatever the capacity (they are in the room). The sessions half of a
 * walk-in, in the caller's transaction with the session locked; the attendance domain's
 * `addWalkIn` marks them present and audits it.
 */
export async function admitWalkIn(tx: Executor, actor: CurrentUser, sessionId: string, email: string) {
  const [person] = await tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.email, email.trim().toLowerCase()), eq(users.active, true)))
  if (!person) return null
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
  return { person, before: before?.status ?? null }
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
      waitlistRank: sql<
        number | null
      >`case when ${invitations.status} = 'waitlisted' then (select count(*)::int from ${invitations} w where w.session_id = ${sessions.id} and w.status = 'waitlisted' and w.position <= ${invitations.position}) end`,
      absence: sql<
        string | null
      >`(select a.status::text from ${absenceRequests} a where a.session_id = ${sessions.id} and a.user_id = ${actor.id} order by a.created_at desc limit 1)`,
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
    // Once attendance is recorded (a check-in, a trainer's mark) the invitation is settled.
    answerable: r.sessionStatus === 'scheduled' && r.startsAt.getTime() > now && !r.attendance,
    // A cancelled session is nothing to look forward to: it goes with the past ones.
    past: r.endsAt.getTime() <= now || r.sessionStatus === 'cancelled',
  }))
}

/* ---------------------------------------------------------- excused absence */
