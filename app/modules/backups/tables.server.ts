import { readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * Generic over the schema: every base table of our schemas (public and drizzle's), read from
 * information_schema, never a hard-coded list — other modules keep adding tables.
 */
export const BACKED_UP_SCHEMAS = ['public', 'drizzle'] as const

/** Runs one SQL text and returns its rows as plain objects. */
export type RawQuery = (text: string) => Promise<Record<string, unknown>[]>

export const TABLES_SQL = `select table_schema || '.' || table_name as name, format('%I.%I', table_schema, table_name) as quoted
  from information_schema.tables
  where table_type = 'BASE TABLE' and table_schema in (${BACKED_UP_SCHEMAS.map((s) => `'${s}'`).join(', ')})
  order by 1`

export function countsSql(tables: { name: string; quoted: string }[]) {
  if (tables.length === 0) return `select null::text as name, 0::bigint as rows where false`
  return tables.map((t) => `select '${t.name}'::text as name, count(*)::bigint as rows from ${t.quoted}`).join(' union all ')
}

export const LAST_MIGRATION_SQL = `select
  (select count(*) from drizzle.__drizzle_migrations)::bigint as applied,
  (select max(created_at) from drizzle.__drizzle_migrations)::bigint as created_at`

export async function listTables(query: RawQuery) {
  return (await query(TABLES_SQL)).map((r) => ({ name: String(r.name), quoted: String(r.quoted) }))
}

export async function countRows(query: RawQuery): Promise<Record<string, number>> {
  const tables = await listTables(query)
  const rows = await query(countsSql(tables))
  return Object.fromEntries(rows.map((r) => [String(r.name), Number(r.rows)]))
}

type Journal = { entries: { idx: number; when: number; tag: string }[] }

function migrationsFolder() {
  return path.resolve(process.env.GENJIN_MIGRATIONS_DIR ?? 'db/migrations')
}

/** The migrations this code knows, oldest first (drizzle-kit's journal). */
export function codeMigrations() {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder(), 'meta/_journal.json'), 'utf8')) as Journal
  return journal.entries
}

/** Names a database's schema version by its last applied migration (drizzle stores the journal's `when`). */
export function schemaVersion(applied: number, createdAt: number) {
  const known = codeMigrations().find((e) => e.when === createdAt)
  return { migration: known?.tag ?? `unknown migration of ${new Date(createdAt).toISOString()}`, createdAt, applied }
}
