// The PostgreSQL databases a benchmark creates for its run and drops at the end.
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'

/** A name no other run uses: genjin_bench_<UTC timestamp>_<4 hex digits>. */
export function runDatabaseName() {
  return `genjin_bench_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${randomBytes(2).toString('hex')}`
}

/** The address of database `name` on the server `adminUrl` points at (same user, host and options). */
export function databaseUrl(adminUrl: string, name: string) {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** Runs `run` (create or drop a database) on one connection to the admin database, closed afterwards. */
export async function asAdmin<T>(adminUrl: string, run: (sql: postgres.Sql) => Promise<T>) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    return await run(sql)
  } finally {
    await sql.end()
  }
}
