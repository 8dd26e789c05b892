import { inArray, sql } from 'drizzle-orm'
import { type Executor } from '#db/client.server'
import { sessions, sessionTrainers, userRoles, users } from '#db/schema'
import { env } from '~/env.server'

/**
 * Recomputes when external lecturers' access ends (docs/decisions/009-lecturer-access.md):
 * for a person whose only role is `lecturer`, N days (LECTURER_ACCESS_DAYS) after the end of
 * the last non-cancelled session they teach (after the account's creation while they teach none); for
 * everyone else (internal staff) null. One UPDATE for all the people given; call it in the
 * transaction that changed their sessions or roles.
 */
export async function recomputeLecturerAccess(executor: Executor, userIds: string[], days = env().LECTURER_ACCESS_DAYS) {
  const ids = [...new Set(userIds)]
  if (ids.length === 0) return
  const lecturerOnly = sql`exists (select 1 from ${userRoles} r where r.user_id = ${users}.id and r.role = 'lecturer')
    and not exists (select 1 from ${userRoles} r where r.user_id = ${users}.id and r.role <> 'lecturer')`
  const lastSessionEnd = sql`(select max(s.ends_at) from ${sessionTrainers} st join ${sessions} s on s.id = st.session_id
    where st.user_id = ${users}.id and s.status = 'scheduled')`
  await executor
    .update(users)
    .set({
      // Without any session, the account's creation counts (a new lecturer can sign in and get ready).
      accessEndsAt: sql`case when ${lecturerOnly} then coalesce(${lastSessionEnd}, ${users.createdAt}) + make_interval(days => ${days}::int) else null end`,
    })
    .where(inArray(users.id, ids))
}

/** Everyone who teaches one of these sessions (before a change, to recompute them afterwards). */
export async function trainersOf(executor: Executor, sessionIds: string[]) {
  if (sessionIds.length === 0) return []
  const rows = await executor.selectDistinct({ userId: sessionTrainers.userId }).from(sessionTrainers).where(inArray(sessionTrainers.sessionId, sessionIds))
  return rows.map((r) => r.userId)
}
