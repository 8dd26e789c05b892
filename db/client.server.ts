import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { assertPgliteVersion, writeVersionMarker } from './pglite-version'
import * as schema from './schema'

/** One database type for both drivers; domain modules only ever see this. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>
/** A transaction handle or the database itself. */
export type Executor = Parameters<Parameters<Database['transaction']>[0]>[0] | Database

export type Connection = {
  db: Database
  driver: 'pglite' | 'postgres'
  /** The PostgreSQL URL, or the embedded client (backups need the driver itself). */
  url?: string
  pglite?: PGlite
  migrate: () => Promise<void>
  close: () => Promise<void>
}

const migrationsFolder = path.resolve(process.env.GENJIN_MIGRATIONS_DIR ?? 'db/migrations')

/**
 * Opens PostgreSQL through postgres.js when a URL is given, otherwise embedded PGlite
 * (a directory on disk, or in memory for `memory://`).
 */
export function connect(options: { databaseUrl?: string; pgliteDir?: string; max?: number; loadDataDir?: Blob }): Connection {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.max ?? 10,
      onnotice: () => {},
      connect_timeout: 5,
    })
    const db = drizzlePostgres(client, { schema }) as unknown as Database
    return {
      db,
      driver: 'postgres',
      url: options.databaseUrl,
      migrate: () => migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder }),
      close: () => client.end({ timeout: 5 }),
    }
  }
  const dir = options.pgliteDir ?? 'data/pglite'
  const onDisk = !dir.startsWith('memory://')
  // Never open a directory another PGlite release wrote (decision 029); mark new ones.
  if (onDisk && !assertPgliteVersion(dir)) {
    mkdirSync(dir, { recursive: true })
    writeVersionMarker(dir)
  }
  const client = options.loadDataDir ? new PGlite(dir, { loadDataDir: options.loadDataDir }) : new PGlite(dir)
  const db = drizzlePglite(client, { schema }) as unknown as Database
  return {
    db,
    driver: 'pglite',
    pglite: client,
    migrate: () => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder }),
    close: () => client.close(),
  }
}

let current: Connection | undefined

/** The process-wide connection, opened on first use from the environment. */
export function connection(): Connection {
  if (!current) {
    current = connect({
      databaseUrl: process.env.DATABASE_URL || undefined,
      pgliteDir: process.env.PGLITE_DIR || undefined,
    })
  }
  return current
}

/** Replace the process-wide connection (tests give each file its own database). */
export function useConnection(next: Connection) {
  current = next
}

/**
 * The database. A proxy so modules can `import { db }` while the connection is chosen
 * at start-up (or per test file).
 */
export const db: Database = new Proxy({} as Database, {
  get(_target, property) {
    const real = connection().db as unknown as Record<PropertyKey, unknown>
    const value = real[property]
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(real) : value
  },
})

/** Rows of a raw `db.execute(sql...)`: postgres.js returns an array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[]
  return ((result as { rows?: T[] }).rows ?? []) as T[]
}

export { schema }
