import { connection } from '#db/client.server'

/** Liveness and database reachability, for load balancers and monitoring. */
export async function healthReport() {
  const started = performance.now()
  try {
    // Its own connection (PostgreSQL) or first in line (PGlite worker): never queued behind reports.
    await connection().ping()
    return {
      ok: true as const,
      body: { status: 'ok', database: { driver: connection().driver, reachable: true, ms: Math.round(performance.now() - started) } },
    }
  } catch (error) {
    return { ok: false as const, body: { status: 'error', database: { driver: connection().driver, reachable: false, error: (error as Error).message } } }
  }
}
