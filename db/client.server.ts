import { AsyncLocalStorage } from 'node:async_hooks'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import type { Dumped } from '../app/modules/backups/pglite-dump.server'
import { PGliteThread } from './pglite-thread'
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
  /** PGlite in a worker thread: the backup's dump is taken there. */
  pgliteDump?: () => Promise<Dumped>
  /** `select 1` for the health check, not queued behind other work (its own connection, or first in line). */
  ping: () => Promise<void>
  migrate: () => Promise<void>
  close: () => Promise<void>
}

const migrationsFolder = path.resolve(process.env.GENJIN_MIGRATIONS_DIR ?? 'db/migrations')

/**
 * Opens PostgreSQL through postgres.js when a URL is given, otherwise embedded PGlite
 * (a directory on disk, or in memory for `memory://`) — in a worker thread when `thread` is set,
 * so its queries never block this thread's event loop (decision 043).
 */
export function connect(options: { databaseUrl?: string; pgliteDir?: string; max?: number; thread?: boolean; loadDataDir?: Blob }): Connection {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.max ?? 10,
      onnotice: () => {},
      connect_timeout: 5,
    })
    const db = drizzlePostgres(client, { schema }) as unknown as Database
    // The health check has its own connection, opened on first use: a pool busy with reports must
    // not make a load balancer think the database is gone.
    let healthClient: postgres.Sql | undefined
    return {
      db,
      driver: 'postgres',
      url: options.databaseUrl,
      ping: async () => {
        healthClient ??= postgres(options.databaseUrl!, { max: 1, onnotice: () => {}, connect_timeout: 5, idle_timeout: 60 })
        await healthClient`select 1`
      },
      migrate: () => migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder }),
      close: async () => {
        await Promise.all([client.end({ timeout: 5 }), healthClient?.end({ timeout: 5 })])
      },
    }
  }
  const dir = options.pgliteDir ?? 'data/pglite'
  const onDisk = !dir.startsWith('memory://')
  // Never open a directory another PGlite release wrote (decision 029); mark new ones.
  if (onDisk && !assertPgliteVersion(dir)) {
    mkdirSync(dir, { recursive: true })
    writeVersionMarker(dir)
  }
  if (options.thread) {
    const thread = new PGliteThread(dir)
    const db = drizzlePglite(thread.asPGlite(), { schema }) as unknown as Database
    return {
      db,
      driver: 'pglite',
      pgliteDump: () => thread.dump(),
      ping: async () => {
        await thread.ping()
      },
      migrate: () => migratePglite(drizzlePglite(thread.asPGlite(), { schema }), { migrationsFolder }),
      close: () => thread.close(),
    }
  }
  const client = options.loadDataDir ? new PGlite(dir, { loadDataDir: options.loadDataDir }) : new PGlite(dir)
  const db = drizzlePglite(client, { schema }) as unknown as Database
  return {
    db,
    driver: 'pglite',
    pglite: client,
    ping: async () => {
      await client.query('select 1')
    },
    migrate: () => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder }),
    close: () => client.close(),
  }
}

let current: Connection | undefined
const scoped = new AsyncLocalStorage<Connection>()

/** The process-wide connection (or the one `withConnection` chose), opened on first use from the environment. */
export function connection(): Connection {
  const chosen = scoped.getStore()
  if (chosen) return chosen
  if (!current) {
    current = connect({
      databaseUrl: process.env.DATABASE_URL || undefined,
      pgliteDir: process.env.PGLITE_DIR || undefined,
      // The web server and scripts run PGlite in a worker thread; PGLITE_THREAD=false keeps it here.
      thread: !['false', '0', 'no'].includes((process.env.PGLITE_THREAD ?? '').toLowerCase()),
    })
  }
  return current
}

/**
 * Runs `work` with another connection as `db` (and everything it awaits). Tests use it to play two
 * app instances, each with its own pool, against one PostgreSQL database in one process.
 */
export function withConnection<T>(other: Connection, work: () => Promise<T>): Promise<T> {
  return scoped.run(other, work)
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

export { schema }
