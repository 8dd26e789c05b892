import { sql } from 'drizzle-orm'
import { connection, db } from '#db/client.server'

/** Liveness and database reachability, for load balancers and monitoring. */
export async function healthReport() {
  const started = performance.now()
  try {
    await db.execute(sql`select 1`)
    return {
      ok: true as const,
      body: { status: 'ok', database: { driver: connection().driver, reachable: true, ms: Math.round(performance.now() - started) } },
    }
  } catch (error) {
    return { ok: false as const, body: { status: 'error', database: { driver: connection().driver, reachable: false, error: (error as Error).message } } }
  }
}
