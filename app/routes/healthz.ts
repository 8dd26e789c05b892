import { sql } from 'drizzle-orm'
import { connection, db } from '#db/client.server'

/** Liveness and database reachability, for load balancers and monitoring. */
export async function loader() {
  const started = performance.now()
  try {
    await db.execute(sql`select 1`)
    return Response.json(
      { status: 'ok', database: { driver: connection().driver, reachable: true, ms: Math.round(performance.now() - started) } },
      { headers: { 'Cache-Control': 'no-store' } },
    )
  } catch (error) {
    return Response.json(
      { status: 'error', database: { driver: connection().driver, reachable: false, error: (error as Error).message } },
      { status: 503, headers: { 'Cache-Control': 'no-store' } },
    )
  }
}
