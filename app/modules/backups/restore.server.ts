import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import { connect } from '#db/client.server'
import { versionMarkerPath, writeVersionMarker } from '#db/pglite-version'
import { BackupError, listFiles, readArchive, sha256File } from './archive.server'
import { Manifest } from './backups'
import { runningServer } from './server-file.server'
import { codeMigrations, countsSql, TABLES_SQL, type RawQuery } from './tables.server'

export type RestoreTarget = { databaseUrl?: string; pgliteDir?: string }
export type RestoreReport = {
  manifest: Manifest
  target: string
  tables: number
  rows: number
  files: number
  migrated: number
}

const NOTHING_CHANGED = 'nothing was changed'

/**
 * Makes a dump from either side run on the other: drops psql meta-commands (`\restrict`),
 * settings the target server does not know (PostgreSQL 17's transaction_timeout on 15), and the
 * creation of the public schema, which every empty database already has.
 */
export function adaptDump(sql: string, knownSettings: Set<string>) {
  return sql
    .split('\n')
    .filter((line) => {
      if (line.startsWith('\\')) return false
      const set = /^SET ([a-z_]+) = .*;$/.exec(line)
      return !set || knownSettings.has(set[1])
    })
    .join('\n')
    .replace(/^CREATE SCHEMA public;$/m, 'CREATE SCHEMA IF NOT EXISTS public;')
    .replace(/^COMMENT ON SCHEMA public IS .*;$/m, '')
}

async function checkedArchive(archive: string, work: string) {
  await readArchive(archive, work)
  let manifest: Manifest
  try {
    manifest = Manifest.parse(JSON.parse(await readFile(path.join(work, 'manifest.json'), 'utf8')))
  } catch {
    throw new BackupError(`${path.basename(archive)} is not a Genjin backup (no valid manifest.json); ${NOTHING_CHANGED}`)
  }
  const latest = codeMigrations().at(-1)
  if (latest && manifest.schema.createdAt > latest.when) {
    throw new BackupError(
      `this backup is of a newer database schema (${manifest.schema.migration}) than this Genjin knows (${latest.tag}); restore it with the Genjin version that made it or a newer one; ${NOTHING_CHANGED}`,
    )
  }
  const damaged = (what: string) => new BackupError(`the archive ${path.basename(archive)} is damaged: ${what} does not match its manifest; ${NOTHING_CHANGED}`)
  const dump = path.join(work, manifest.database.path)
  if (!existsSync(dump) || (await sha256File(dump)) !== manifest.database.sha256) throw damaged(manifest.database.path)
  for (const file of manifest.files) {
    const full = path.join(work, 'uploads', file.path)
    if (!existsSync(full) || (await sha256File(full)) !== file.sha256) throw damaged(`uploads/${file.path}`)
  }
  return { manifest, sql: await readFile(dump, 'utf8') }
}

async function verifyCounts(query: RawQuery, manifest: Manifest) {
  const tables = (await query(TABLES_SQL)).map((r) => ({ name: String(r.name), quoted: String(r.quoted) }))
  const counts = Object.fromEntries((await query(countsSql(tables))).map((r) => [String(r.name), Number(r.rows)]))
  for (const [table, rows] of Object.entries(manifest.tables)) {
    if (counts[table] !== rows) throw new BackupError(`restored ${counts[table] ?? 0} rows into ${table}, the manifest says ${rows}; ${NOTHING_CHANGED}`)
  }
}

async function nonEmptyDir(dir: string) {
  try {
    return (await readdir(dir)).length > 0
  } catch {
    return false
  }
}

async function restorePostgres(url: string, sql: string, manifest: Manifest, force: boolean) {
  const client = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const [{ tables }] = await client.unsafe<{ tables: string }[]>(`select count(*) as tables from (${TABLES_SQL}) t`)
    if (Number(tables) > 0 && !force) {
      throw new BackupError(
        `the target database is not empty (${tables} tables); restore into an empty database, or pass --force to replace it; ${NOTHING_CHANGED}`,
      )
    }
    const settings = new Set((await client.unsafe<{ name: string }[]>('select name from pg_settings')).map((r) => r.name))
    // One transaction: a failure anywhere, including the row-count check, leaves the database as it was.
    await client.begin(async (tx) => {
      if (force) await tx.unsafe('drop schema if exists drizzle cascade; drop schema if exists public cascade; create schema public').simple()
      await tx.unsafe(adaptDump(sql, settings)).simple()
      await verifyCounts((text) => tx.unsafe(text) as unknown as Promise<Record<string, unknown>[]>, manifest)
    })
  } finally {
    await client.end({ timeout: 5 })
  }
}

/** Restores into a new directory beside the target, then moves it into place (a replaced one is kept aside). */
async function restorePglite(dir: string, sql: string, manifest: Manifest, force: boolean) {
  if (runningServer(dir)) {
    throw new BackupError(`a Genjin server is running on ${dir}; stop it before restoring into it; ${NOTHING_CHANGED}`)
  }
  if ((await nonEmptyDir(dir)) && !force) {
    throw new BackupError(
      `the target directory ${dir} is not empty; restore into a new directory (PGLITE_DIR), or pass --force to replace it; ${NOTHING_CHANGED}`,
    )
  }
  const fresh = `${dir}.restoring-${Date.now()}`
  await mkdir(path.dirname(fresh), { recursive: true })
  try {
    const pg = new PGlite(fresh)
    try {
      const settings = new Set((await pg.query<{ name: string }>('select name from pg_settings')).rows.map((r) => r.name))
      await pg.transaction(async (tx) => {
        await tx.exec(adaptDump(sql, settings))
        await verifyCounts(async (text) => (await tx.query<Record<string, unknown>>(text)).rows, manifest)
      })
    } finally {
      await pg.close()
    }
  } catch (error) {
    await rm(fresh, { recursive: true, force: true })
    throw error
  }
  if (!(await nonEmptyDir(dir))) await rm(dir, { recursive: true, force: true })
  else {
    const aside = `${dir}.replaced-${Date.now()}`
    await rename(dir, aside)
    if (existsSync(versionMarkerPath(dir))) await rename(versionMarkerPath(dir), versionMarkerPath(aside))
  }
  await rename(fresh, dir)
  writeVersionMarker(dir)
}

/**
 * Restores an archive made by `createBackup` into an empty PostgreSQL database (`databaseUrl`)
 * or an empty PGlite directory, and its files into `uploadsDir`; then applies any migrations
 * newer than the backup. Everything is checked first — the archive whole, the manifest, every
 * hash, the schema version, the target empty (unless `force`) — and the database is loaded in
 * one transaction that also checks the row counts, so a failure changes nothing.
 */
export async function restoreBackup(archive: string, target: RestoreTarget, options: { uploadsDir: string; force?: boolean }): Promise<RestoreReport> {
  const force = options.force ?? false
  const work = await mkdtemp(path.join(tmpdir(), 'genjin-restore-'))
  try {
    const { manifest, sql } = await checkedArchive(archive, work)
    if (manifest.files.length > 0 && (await nonEmptyDir(options.uploadsDir)) && !force) {
      throw new BackupError(
        `the uploads directory ${options.uploadsDir} is not empty; restore into an empty one (UPLOADS_DIR), or pass --force; ${NOTHING_CHANGED}`,
      )
    }
    if (target.databaseUrl) await restorePostgres(target.databaseUrl, sql, manifest, force)
    else await restorePglite(target.pgliteDir ?? 'data/pglite', sql, manifest, force)

    for (const rel of await listFiles(path.join(work, 'uploads'))) {
      const to = path.join(options.uploadsDir, rel)
      await mkdir(path.dirname(to), { recursive: true })
      await cp(path.join(work, 'uploads', rel), to)
    }
    // A backup of an older schema is brought up to this code's, as `npm start` would (opening the
    // database again only when there is something to apply).
    const newer = codeMigrations().filter((m) => m.when > manifest.schema.createdAt)
    if (newer.length > 0) {
      const connection = connect({ databaseUrl: target.databaseUrl, pgliteDir: target.pgliteDir, max: 1 })
      try {
        await connection.migrate()
      } finally {
        await connection.close()
      }
    }
    return {
      manifest,
      target: target.databaseUrl ? 'PostgreSQL' : `PGlite at ${target.pgliteDir ?? 'data/pglite'}`,
      tables: Object.keys(manifest.tables).length,
      rows: Object.values(manifest.tables).reduce((a, b) => a + b, 0),
      files: manifest.files.length,
      migrated: newer.length,
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
