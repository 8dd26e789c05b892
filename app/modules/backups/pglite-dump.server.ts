import { protocol, type PGlite } from '@electric-sql/pglite'
import { pgDump } from '@electric-sql/pglite-tools/pg_dump'
import { BACKED_UP_SCHEMAS, countsSql, LAST_MIGRATION_SQL, TABLES_SQL } from './tables.server'

export const DUMP_ARGS = ['--no-owner', '--no-privileges', ...BACKED_UP_SCHEMAS.flatMap((s) => ['-n', s])]

export type Dumped = { sql: string; tables: Record<string, number>; applied: number; createdAt: number; server: string }

/**
 * PGlite: pg_dump (WASM) talks to the one embedded connection synchronously, so it must not run
 * inside someone else's open transaction. We hold PGlite's transaction lock for the whole dump —
 * the app's queries wait (seconds for our sizes) — and count rows under the same lock, so the
 * counts and the dump see the same data. Queries inside the lock go through execProtocol, which
 * does not take it again.
 */
export async function dumpPglite(pg: PGlite): Promise<Dumped> {
  const searchPath = (await pg.query<{ search_path: string }>('show search_path')).rows[0].search_path
  const locked = async (text: string) => {
    const { messages } = await pg.execProtocol(protocol.serialize.query(text))
    return messages.filter((m) => m.name === 'dataRow').map((m) => (m as unknown as { fields: (string | null)[] }).fields)
  }
  const result = await pg._runExclusiveTransaction(async () => {
    // pgDump asks its `pg` for the search path and resets the connection afterwards; both would
    // take the lock we hold, so it gets a view that answers the first and leaves the reset to us.
    const view = {
      query: async () => ({ rows: [{ search_path: searchPath }] }),
      exec: async () => [],
      execProtocolRawSync: (m: Uint8Array) => pg.execProtocolRawSync(m),
    }
    const file = await pgDump({ pg: view as unknown as PGlite, args: DUMP_ARGS })
    const sql = Buffer.from(await file.arrayBuffer()).toString('utf8')
    const tables = (await locked(TABLES_SQL)).map(([name, quoted]) => ({ name: name!, quoted: quoted! }))
    const counts = await locked(countsSql(tables))
    const [[applied, createdAt]] = await locked(LAST_MIGRATION_SQL)
    const [[server]] = await locked('show server_version')
    // pg_dump leaves its read-only transaction open and its session settings behind (PGlite
    // ignores its goodbye): end both before the app gets its connection back.
    await locked('rollback')
    await locked(`reset all; deallocate all; set search_path = ${searchPath}`)
    return {
      sql,
      tables: Object.fromEntries(counts.map(([n, c]) => [n!, Number(c)])),
      applied: Number(applied),
      createdAt: Number(createdAt),
      server: `PGlite (PostgreSQL ${server})`,
    }
  })
  return result
}
