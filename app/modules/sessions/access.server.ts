import { and, eq } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { sessions, sessionTrainers, type Session } from '#db/schema'
import { deny } from '~/modules/auth/authorize.server'
import { can, type CurrentUser, type Permission } from '~/modules/auth/permissions'
import { emit } from '~/shared/events.server'

export type SessionRight = 'read' | 'manage' | 'mark'

/** For each right: the permission that covers every session, and the one that covers the sessions a person teaches. */
const rightPermissions: Record<SessionRight, { all: Permission; own: Permission }> = {
  read: { all: 'read:sessions:all', own: 'read:sessions:own' },
  manage: { all: 'manage:sessions:all', own: 'manage:sessions:own' },
  mark: { all: 'mark:attendance:all', own: 'mark:attendance:own-session' },
}

export async function trainerRoleOf(executor: Executor, sessionId: string, userId: string) {
  const [row] = await executor
    .select({ role: sessionTrainers.role })
    .from(sessionTrainers)
    .where(and(eq(sessionTrainers.sessionId, sessionId), eq(sessionTrainers.userId, userId)))
  return row?.role ?? null
}

/** What this person may do with this session: HR everything, trainers and lecturers only what they teach. */
export async function rightsOn(actor: CurrentUser, sessionId: string, executor: Executor = db) {
  const teachingRole = await trainerRoleOf(executor, sessionId, actor.id)
  const assigned = teachingRole !== null
  const has = (right: SessionRight) => can(actor, rightPermissions[right].all) || (assigned && can(actor, rightPermissions[right].own))
  return { read: has('read'), manage: has('manage'), mark: has('mark'), assigned, teachingRole }
}

/**
 * Loads a session (404 if missing) and throws 403, recording the denial, unless the actor
 * holds the right on it. An external lecturer's entry is announced (`session.lecturer-entering`):
 * the briefings domain redirects one who has not acknowledged the current briefing pack. Call it before opening a transaction: the denial is audited on its
 * own connection and must not be rolled back with the transaction (nor wait for it on PGlite).
 */
export async function requireSessionRight(actor: CurrentUser, sessionId: string, right: SessionRight): Promise<Session> {
  const session = await loadSession(db, sessionId)
  const rights = await rightsOn(actor, sessionId)
  if (!rights[right]) await deny(actor, rightPermissions[right].own, { sessionId })
  if (rights.teachingRole === 'lecturer') await emit(db, 'session.lecturer-entering', { sessionId, userId: actor.id })
  return session
}

/**
 * A session by id (404 if missing). With `lock`, the row is locked `for update`, so changes
 * to one session's seats (accepting the last seat, promotions) run one after the other.
 */
export async function loadSession(executor: Executor, sessionId: string, lock = false): Promise<Session> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) throw new Response('Not found', { status: 404 })
  const query = executor.select().from(sessions).where(eq(sessions.id, sessionId))
  const [session] = lock ? await query.for('update') : await query
  if (!session) throw new Response('Not found', { status: 404 })
  return session
}
