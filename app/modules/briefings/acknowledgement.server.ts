import { and, eq, sql } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { briefingAcknowledgements, briefings } from '#db/schema'

/**
 * Whether this person still has to acknowledge the session's published briefing pack (its
 * current version). Kept apart from briefings.server.ts so that the sessions module's access
 * check can ask without importing the briefing module's own permission checks.
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
