import { redirect } from '@remix-run/node'
import { and, eq, sql } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { briefingAcknowledgements, briefings } from '#db/schema'

/**
 * Whether this person still has to acknowledge the session's published briefing pack (its
 * current version). Kept apart from briefings.server.ts: the sessions domain's access check reaches
 * it through the `session.lecturer-entering` event (requireBriefingRead below).
 */
export async function briefingPending(sessionId: string, userId: string, executor: Executor = db) {
  const [row] = await executor
    .select({ id: briefings.id })
    .from(briefings)
    .where(
      and(
        eq(briefings.sessionId, sessionId),
        eq(briefings.status, 'published'),
        sql`not exists (select 1 from ${briefingAcknowledgements} a where a.briefing_id = ${briefings.id} and a.user_id = ${userId} and a.version = ${briefings.version})`,
      ),
    )
  return Boolean(row)
}

export const briefingPath = (sessionId: string) => `/sessions/${sessionId}/briefing`

/**
 * Subscribed to `session.lecturer-entering` (app/events.server.ts): an external lecturer who has
 * not acknowledged the session's published briefing pack is sent to it first.
 */
export async function requireBriefingRead(executor: Executor, sessionId: string, userId: string) {
  if (await briefingPending(sessionId, userId, executor)) throw redirect(briefingPath(sessionId))
}
