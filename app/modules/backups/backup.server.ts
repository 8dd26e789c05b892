import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import postgres from 'postgres'
import type { Connection } from '#db/client.server'
import { BackupError, copyTree, listFiles, sha256File, writeArchive } from './archive.server'
import type { LastBackup, Manifest } from './backups'
import { DUMP_ARGS, dumpPglite, type Dumped } from './pglite-dump.server'
import { countsSql, LAST_MIGRATION_SQL, schemaVersion, TABLES_SQL } from './tables.server'

const run = promisify(execFile)

export const ARCHIVE_PATTERN = /^genjin-backup-[\dTZ-]+\.tar\.gz$/

/**
 * PostgreSQL: pg_dump runs in a snapshot we export from a repeatable-read transaction, and the
 * row counts are taken in that same transaction: dump and manifest describe one instant while
 * the app keeps writing.
 */
async function dumpPostgres(url: string, into: string): Promise<Omit<Dumped, 'sql'>> {
  const client = postgres(url, { max: 1, onnotice: () => {} })
  try {
    return await client.begin('isolation level repeatable read read only', async (tx) => {
      const [{ snapshot }] = await tx.unsafe<{ snapshot: string }[]>('select pg_export_snapshot() as snapshot')
      try {
        await run('pg_dump', [...DUMP_ARGS, '--inserts', `--snapshot=${snapshot}`, '-f', into, `--dbname=${url}`], { maxBuffer: 16 * 1024 * 1024 })
      } catch (error) {
        const e = error as NodeJS.ErrnoException & { stderr?: string }
        if (e.code === 'ENOENT')
          throw new BackupError('pg_dump was not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client), as new as the server')
        throw new BackupError(`pg_dump failed: ${(e.stderr ?? e.message).trim().split('\n')[0]}`)
      }
      const tables = (await tx.unsafe(TABLES_SQL)) as unknown as { name: string; quoted: string }[]
      const counts = (await tx.unsafe(countsSql(tables))) as unknown as { name: string; rows: string }[]
      const [last] = await tx.unsafe<{ applied: string; created_at: string }[]>(LAST_MIGRATION_SQL)
      const [{ server_version }] = await tx.unsafe<{ server_version: string }[]>('show server_version')
      return {
        tables: Object.fromEntries(counts.map((r) => [r.name, Number(r.rows)])),
        applied: Number(last.applied),
        createdAt: Number(last.created_at),
        server: `PostgreSQL ${server_version}`,
      }
    })
  } finally {
    await client.end({ timeout: 5 })
  }
}

function stamp(now: Date) {
  return now.toISOString().replace(/[:.]/g, '-')
}

/** When an archive was taken, from its name (its file time changes when it is copied). */
function takenAt(name: string, fallback: Date) {
  const m = /(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z/.exec(name)
  const at = m ? new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) : fallback
  return Number.isNaN(at.getTime()) ? fallback : at
}

/**
 * Writes `genjin-backup-<time>.tar.gz` into `dir`: the database as a plain SQL dump (pg_dump's,
 * or PGlite's WASM pg_dump), every file under `uploadsDir`, and manifest.json (schema version,
 * row counts, SHA-256 of every file). The database is dumped first, then the files: uploads are
 * content-addressed and never rewritten, so every file a row refers to is in the archive.
 */
export async function createBackup(source: Connection, options: { dir: string; uploadsDir: string; now?: Date }) {
  const now = options.now ?? new Date()
  await mkdir(options.dir, { recursive: true })
  const staging = await mkdtemp(path.join(options.dir, '.staging-'))
  try {
    const dumpFile = path.join(staging, 'database.sql')
    let dumped: Omit<Dumped, 'sql'>
    if (source.pglite || source.pgliteDump) {
      // In a worker thread, the dump runs in that thread (pg_dump needs synchronous access).
      const { sql, ...rest } = source.pgliteDump ? await source.pgliteDump() : await dumpPglite(source.pglite!)
      await writeFile(dumpFile, sql)
      dumped = rest
    } else if (source.url) {
      dumped = await dumpPostgres(source.url, dumpFile)
    } else {
      throw new BackupError('this connection cannot be backed up')
    }
    if (!dumped.applied) throw new BackupError('the database has no migrations applied: nothing to back up')
    const files = await copyTree(options.uploadsDir, path.join(staging, 'uploads'))
    const manifest: Manifest = {
      format: 'genjin-backup',
      version: 1,
      createdAt: now.toISOString(),
      source: { driver: source.driver, server: dumped.server },
      schema: schemaVersion(dumped.applied, dumped.createdAt),
      tables: dumped.tables,
      database: { path: 'database.sql', sha256: await sha256File(dumpFile), bytes: (await stat(dumpFile)).size },
      files,
    }
    await writeFile(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    const file = path.join(options.dir, `genjin-backup-${stamp(now)}.tar.gz`)
    // Written under another name and renamed: a half-written archive never looks like a backup.
    await writeArchive(`${file}.partial`, staging)
    await rename(`${file}.partial`, file)
    return { file, manifest }
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

/** The archives in `dir`, newest first. */
export async function listBackups(dir: string) {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return []
  }
  const archives = await Promise.all(
    names
      .filter((n) => ARCHIVE_PATTERN.test(n))
      .map(async (name) => {
        const info = await stat(path.join(dir, name))
        return { file: path.join(dir, name), name, at: takenAt(name, info.mtime), bytes: info.size }
      }),
  )
  return archives.sort((a, b) => b.name.localeCompare(a.name))
}

/** Deletes all but the newest `keep` archives; returns what it deleted. */
export async function pruneBackups(dir: string, keep: number) {
  const old = (await listBackups(dir)).slice(Math.max(1, keep))
  for (const archive of old) await rm(archive.file, { force: true })
  return old.map((a) => a.name)
}

export async function newestBackup(dir: string): Promise<LastBackup> {
  const [latest] = await listBackups(dir)
  return latest ? { at: latest.at.toISOString(), file: latest.name, bytes: latest.bytes } : null
}

export { listFiles }
