import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { mkdir, readFile, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import * as tar from 'tar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { connect, connection, withConnection, type Connection } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { checkInWithLink, markAttendance } from '~/modules/attendance/attendance.server'
import { checkInToken, intervalAt } from '~/modules/attendance/check-in-token'
import type { CurrentUser } from '~/modules/auth/permissions'
import { inviteAudience } from '~/modules/sessions/invitations.server'
import { prepareDemo } from '../../../tests/setup/demo-routes'
import { scheduleSession } from '../../../tests/setup/sessions'
import { listFiles, sha256File } from './archive.server'
import { createBackup, listBackups, pruneBackups } from './backup.server'
import { restoreBackup, type RestoreTarget } from './restore.server'
import { listTables, type RawQuery } from './tables.server'

/**
 * Real databases on both sides. The demo company, with its activity and stored files, is seeded
 * once into this file's database (PGlite, or PostgreSQL under TEST_DATABASE_URL), moved to the
 * other kind of database and back; every later test reuses those databases and archives.
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const work = mkdtempSync(path.join(tmpdir(), 'genjin-backup-test-'))
const sourceUploads = path.join(work, 'uploads')
process.env.UPLOADS_DIR = sourceUploads
const noUploads = path.join(work, 'no-uploads')

const databases: string[] = []
const clients: { end: () => Promise<unknown> }[] = []

/** An empty PostgreSQL database (no migrations: a restore brings the schema). */
async function freshPostgres() {
  const name = `genjin_test_restore_${randomBytes(5).toString('hex')}`
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  databases.push(name)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return url.toString()
}

function postgresQuery(url: string): RawQuery {
  const client = postgres(url, { max: 1, onnotice: () => {}, connection: { TimeZone: 'UTC' } })
  clients.push(client)
  return (text) => client.unsafe(text) as unknown as Promise<Record<string, unknown>[]>
}

async function pgliteQuery(pg: PGlite): Promise<RawQuery> {
  await pg.exec(`set timezone = 'UTC'`)
  return async (text) => (await pg.query<Record<string, unknown>>(text)).rows
}

/**
 * Every table, every row (as JSON text, sorted): generic over whatever tables exist; and where
 * every sequence stands, so the restored database's next insert does not collide.
 */
async function everyRow(query: RawQuery) {
  const out: Record<string, string[]> = {}
  for (const table of await listTables(query)) {
    const rows = await query(`select row_to_json(t)::text as r from ${table.quoted} t`)
    out[table.name] = rows.map((r) => String(r.r)).sort()
  }
  const sequences = await query(`select schemaname || '.' || sequencename as name, last_value::text as at from pg_sequences
    where schemaname in ('public', 'drizzle') order by 1`)
  out['(sequences)'] = sequences.map((s) => `${String(s.name)} ${String(s.at)}`)
  return out
}

async function fileHashes(dir: string) {
  return Object.fromEntries(await Promise.all((await listFiles(dir)).map(async (f) => [f, await sha256File(path.join(dir, f))])))
}

type Kind = 'PostgreSQL' | 'PGlite'
/** A restore target: an empty PostgreSQL database, or a PGlite directory that does not exist yet. */
type Target = { kind: Kind; restore: RestoreTarget; uploads: string }

let targets = 0
async function freshTarget(kind: Kind): Promise<Target> {
  const n = ++targets
  const uploads = path.join(work, `uploads-${n}`)
  return kind === 'PostgreSQL'
    ? { kind, restore: { databaseUrl: await freshPostgres() }, uploads }
    : { kind, restore: { pgliteDir: path.join(work, `pglite-${n}`) }, uploads }
}

/** Every row of a restored target (a PGlite directory is opened for the read and closed again). */
async function restoredRows(target: Pick<Target, 'restore'>) {
  if (target.restore.databaseUrl) return everyRow(postgresQuery(target.restore.databaseUrl))
  const pg = new PGlite(target.restore.pgliteDir!)
  try {
    return await everyRow(await pgliteQuery(pg))
  } finally {
    await pg.close()
  }
}

function rawOf(c: Connection): RawQuery {
  if (c.url) return postgresQuery(c.url)
  return async (text) => (await c.pglite!.query<Record<string, unknown>>(text)).rows
}

function open(target: Target): Connection {
  return target.restore.databaseUrl ? connect({ databaseUrl: target.restore.databaseUrl, max: 8 }) : connect({ pgliteDir: target.restore.pgliteDir! })
}

/** Unpacks an archive, lets `edit` change it, and packs it again under another name. */
async function repack(archive: string, name: string, edit: (dir: string) => Promise<void>) {
  const dir = path.join(work, `${name}-unpacked`)
  await mkdir(dir, { recursive: true })
  await tar.extract({ file: archive, cwd: dir })
  await edit(dir)
  const file = path.join(work, `${name}.tar.gz`)
  await tar.create({ gzip: true, file, cwd: dir }, readdirSync(dir))
  return file
}

let here: Connection
let hereKind: Kind
let otherKind: Kind
let sourceRows: Record<string, string[]>
let sourceFiles: Record<string, string>
/** The demo moved to the other kind of database, and back again. */
let moved: Target
let back: Target
let archive: string

beforeAll(async () => {
  here = connection()
  hereKind = here.driver === 'pglite' ? 'PGlite' : 'PostgreSQL'
  otherKind = hereKind === 'PGlite' ? 'PostgreSQL' : 'PGlite'
  // What `npm start` seeds on a fresh database: people, courses, a training programme with
  // attendance, surveys and progress, case analysis with uploaded slides, follow-up plans and
  // check-ins, role-play with a stored recording, KPI periods.
  await prepareDemo()
  sourceRows = await everyRow(here.pglite ? await pgliteQuery(here.pglite) : postgresQuery(here.url!))
  sourceFiles = await fileHashes(sourceUploads)
}, 300_000)

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()))
  rmSync(work, { recursive: true, force: true })
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  for (const name of databases) await admin.unsafe(`drop database if exists ${name} with (force)`)
  await admin.end()
})

describe('backup and restore', () => {
  it('moves the demo company with its activity to the other kind of database: every row and every file', async () => {
    for (const table of [
      'attendance',
      'attendance_changes',
      'quiz_attempts',
      'survey_responses',
      'check_ins',
      'roleplay_recordings',
      'stored_files',
      'kpi_periods',
    ])
      expect(sourceRows[`public.${table}`]?.length, table).toBeGreaterThan(0)
    expect(Object.keys(sourceFiles).length).toBeGreaterThan(2)

    const backup = await createBackup(here, { dir: path.join(work, 'backups'), uploadsDir: sourceUploads })
    archive = backup.file
    expect(backup.manifest.source.driver).toBe(here.driver)
    expect(Object.fromEntries(backup.manifest.files.map((f) => [f.path, f.sha256]))).toEqual(sourceFiles)
    expect(backup.manifest.tables['public.users']).toBe(sourceRows['public.users'].length)

    moved = await freshTarget(otherKind)
    const report = await restoreBackup(archive, moved.restore, { uploadsDir: moved.uploads })
    expect(report).toMatchObject({ files: Object.keys(sourceFiles).length, migrated: 0 })
    expect(report.target).toBe(otherKind === 'PostgreSQL' ? 'PostgreSQL' : `PGlite at ${moved.restore.pgliteDir}`)

    expect(await restoredRows(moved)).toEqual(sourceRows)
    expect(await fileHashes(moved.uploads)).toEqual(sourceFiles)
  }, 180_000)

  it('moves it back: every row and every file', async () => {
    const source = open(moved)
    let file: string
    try {
      const backup = await createBackup(source, { dir: path.join(work, 'backups-moved'), uploadsDir: moved.uploads })
      expect(backup.manifest.source.driver).toBe(source.driver)
      file = backup.file
    } finally {
      await source.close()
    }
    back = await freshTarget(hereKind)
    await restoreBackup(file, back.restore, { uploadsDir: back.uploads })
    expect(await restoredRows(back)).toEqual(sourceRows)
    expect(await fileHashes(back.uploads)).toEqual(sourceFiles)
  }, 180_000)

  /** The PostgreSQL and the PGlite target, both holding the demo now. */
  const filled = () => {
    const [pg, lite] = moved.kind === 'PostgreSQL' ? [moved, back] : [back, moved]
    return { pg, lite, dir: lite.restore.pgliteDir! }
  }

  it('refuses a non-empty database and changes nothing; --force replaces it', async () => {
    const { pg } = filled()
    const uploads = path.join(work, 'nowhere')
    await expect(restoreBackup(archive, pg.restore, { uploadsDir: uploads })).rejects.toThrow(
      /^the target database is not empty \(\d+ tables\); restore into an empty database, or pass --force to replace it; nothing was changed$/,
    )
    expect(await restoredRows(pg)).toEqual(sourceRows)
    expect(existsSync(uploads)).toBe(false)
    const forced = await restoreBackup(archive, pg.restore, { uploadsDir: uploads, force: true })
    expect(forced.rows).toBeGreaterThan(0)
    expect(await restoredRows(pg)).toEqual(sourceRows)
  }, 120_000)

  it('refuses a non-empty PGlite directory and changes nothing; --force keeps the old one aside', async () => {
    const { lite, dir } = filled()
    const before = await fileHashes(dir)
    await expect(restoreBackup(archive, lite.restore, { uploadsDir: noUploads })).rejects.toThrow(
      /^the target directory .* is not empty; restore into a new directory \(PGLITE_DIR\), or pass --force to replace it; nothing was changed$/,
    )
    expect(await fileHashes(dir)).toEqual(before)
    expect(readdirSync(work).filter((f) => f.startsWith(`${path.basename(dir)}.`))).toEqual([`${path.basename(dir)}.version`])
    await restoreBackup(archive, lite.restore, { uploadsDir: path.join(work, 'other-uploads'), force: true })
    // The replaced directory and its version marker, side by side.
    const aside = readdirSync(work)
      .filter((f) => f.startsWith(`${path.basename(dir)}.replaced-`))
      .sort()
    expect(aside).toEqual([expect.stringMatching(/\.replaced-\d+$/), expect.stringMatching(/\.replaced-\d+\.version$/)])
    expect(await fileHashes(path.join(work, aside[0]))).toEqual(before)
    expect(await restoredRows(lite)).toEqual(sourceRows)
  }, 120_000)

  /** The refused archive touched neither the filled database nor a PGlite directory nor the uploads. */
  async function expectNothingChanged(
    attempt: (target: RestoreTarget, uploadsDir: string) => Promise<unknown>,
    message: RegExp,
    kinds: Kind[] = ['PostgreSQL', 'PGlite'],
  ) {
    const { pg } = filled()
    const dir = path.join(work, `never-${++targets}`)
    const uploads = path.join(work, `never-uploads-${targets}`)
    for (const target of kinds.map((kind) => (kind === 'PostgreSQL' ? pg.restore : { pgliteDir: dir }))) {
      const error = (await attempt(target, uploads).catch((e: Error) => e)) as Error
      expect(error).toBeInstanceOf(Error)
      expect(error.message).toMatch(message)
      expect(error.message).not.toContain('\n')
    }
    expect(await restoredRows(pg)).toEqual(sourceRows)
    expect(existsSync(dir)).toBe(false)
    expect(readdirSync(work).filter((f) => f.startsWith(`${path.basename(dir)}.`))).toEqual([])
    expect(existsSync(uploads)).toBe(false)
  }

  it('refuses a truncated archive, even forced, and changes nothing', async () => {
    const cut = path.join(work, 'truncated.tar.gz')
    await writeFile(cut, await readFile(archive))
    await truncate(cut, Math.floor((await readFile(archive)).length / 2))
    await expectNothingChanged(
      (target, uploadsDir) => restoreBackup(cut, target, { uploadsDir, force: true }),
      /^the archive truncated\.tar\.gz is damaged or incomplete .*; nothing was changed$/,
    )
  }, 60_000)

  it('refuses, in one line, a backup of a newer schema than the code, even forced, and changes nothing', async () => {
    const newer = await repack(archive, 'newer', async (dir) => {
      const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'))
      manifest.schema = { migration: '0042_from_the_future', createdAt: manifest.schema.createdAt + 86_400_000, applied: manifest.schema.applied + 1 }
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest))
    })
    await expectNothingChanged(
      (target, uploadsDir) => restoreBackup(newer, target, { uploadsDir, force: true }),
      /^this backup is of a newer database schema \(0042_from_the_future\) than this Genjin knows \(\w+\); restore it with the Genjin version that made it or a newer one; nothing was changed$/,
    )
  }, 60_000)

  it('refuses an archive whose file does not match its SHA-256, even forced, and changes nothing', async () => {
    const [first] = Object.keys(sourceFiles).sort()
    const tampered = await repack(archive, 'tampered', async (dir) => {
      await writeFile(path.join(dir, 'uploads', first), 'not the file that was backed up')
    })
    await expectNothingChanged(
      (target, uploadsDir) => restoreBackup(tampered, target, { uploadsDir, force: true }),
      new RegExp(
        `^the archive tampered\\.tar\\.gz is damaged: uploads/${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not match its manifest; nothing was changed$`,
      ),
    )
  }, 60_000)

  // Into the filled PostgreSQL database, forced: the dropped schemas come back with the rollback.
  // (A PGlite target loads into a new directory beside it, removed on any failure.)
  it('rolls the whole load back, even a forced one, when a row count differs from the manifest', async () => {
    const miscounted = await repack(archive, 'miscounted', async (dir) => {
      const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'))
      manifest.tables['public.attendance'] += 1
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest))
    })
    const rows = sourceRows['public.attendance'].length
    await expectNothingChanged(
      (target, uploadsDir) => restoreBackup(miscounted, target, { uploadsDir, force: true }),
      new RegExp(`^restored ${rows} rows into public\\.attendance, the manifest says ${rows + 1}; nothing was changed$`),
      ['PostgreSQL'],
    )
  }, 120_000)

  /**
   * A check-in burst (learners scanning the QR code, the trainer marking others) runs while the
   * backup is taken: some check-ins are done before it starts, the rest run during and after it.
   * The restored database holds each attendance with its change record, and exactly what the
   * manifest counted.
   */
  const ORPHANS = `select a.session_id, a.user_id from attendance a
    where not exists (select 1 from attendance_changes c where c.session_id = a.session_id and c.user_id = a.user_id) order by 1, 2`

  const Person = z.object({ id: column.text, name: column.text, email: column.text })
  const Count = z.object({ n: column.number })

  async function backupDuringBurst(source: Connection) {
    const { hr, people, sessionId, startsAt } = await withConnection(source, async () => {
      const [hrRow] = parseRows(
        Person,
        await source.db.execute(
          sql`select u.id, u.name, u.email from users u join user_roles r on r.user_id = u.id where r.role = 'hr_admin' and u.active limit 1`,
        ),
      )
      const hr: CurrentUser = { ...hrRow, locale: null, roles: ['hr_admin'], departmentId: null, managerId: null, sessionId: hrRow.id }
      const rows = parseRows(Person, await source.db.execute(sql`select id, name, email from users where active and id <> ${hr.id} order by email limit 24`))
      const people: CurrentUser[] = rows.map((r) => ({ ...r, locale: null, roles: ['employee'], departmentId: null, managerId: null, sessionId: r.id }))
      const session = await scheduleSession(hr, { startsAt: new Date(Date.now() + 2 * 86_400_000) })
      expect(await inviteAudience(hr, session.sessionId, { userIds: people.map((p) => p.id) })).toMatchObject({ ok: true, invited: people.length })
      return { hr, people, ...session }
    })
    const now = { now: new Date(startsAt.getTime() - 2 * 60_000) }
    const token = checkInToken(sessionId, intervalAt(now.now))
    const count = async (c: Connection) =>
      parseRows(Count, await c.db.execute(sql`select count(*)::int as n from attendance where session_id = ${sessionId}`))[0].n
    const before = parseRows(Count, await source.db.execute(sql`select count(*)::int as n from attendance`))[0].n
    // The demo's KPI history is seeded without change records: the backup must add no others.
    const seededOrphans = await rawOf(source)(ORPHANS)

    let next = 0
    let done = 0
    let started!: () => void
    const someDone = new Promise<void>((resolve) => (started = resolve))
    const burst = withConnection(source, () =>
      Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < people.length) {
            const i = next++
            if (i % 3 === 2) expect(await markAttendance(hr, sessionId, people[i].id, 'present', now)).toMatchObject({ ok: true })
            else expect(await checkInWithLink(people[i], token, now)).toMatchObject({ ok: true, already: false })
            if (++done === 3) started()
          }
        }),
      ),
    )
    await Promise.race([someDone, burst])
    const doneBefore = done
    const backup = await createBackup(source, { dir: path.join(work, `burst-${source.driver}`), uploadsDir: noUploads })
    const doneAfter = done
    await burst
    expect(await count(source)).toBe(people.length)

    // Restored into PostgreSQL, the quicker target to create: the backup is what is checked here.
    const restored = await freshTarget('PostgreSQL')
    await restoreBackup(backup.file, restored.restore, { uploadsDir: restored.uploads })
    const query = postgresQuery(restored.restore.databaseUrl!)
    expect(await query(ORPHANS)).toEqual(seededOrphans)
    const [{ n, changes }] = (await query(
      `select (select count(*)::int from attendance where session_id = '${sessionId}') as n, (select count(*)::int from attendance_changes where session_id = '${sessionId}') as changes`,
    )) as { n: number; changes: number }[]
    expect(changes).toBe(n)
    expect(n).toBe(backup.manifest.tables['public.attendance'] - before)
    // Taken during the burst: everything done before it started is in it, nothing begun after it ended.
    expect(n).toBeGreaterThanOrEqual(doneBefore)
    expect(n).toBeLessThanOrEqual(doneAfter + 4)
  }

  it('keeps a backup taken during a check-in burst consistent: no attendance without its change record (this database)', async () => {
    await backupDuringBurst(here)
  }, 120_000)

  it('keeps a backup taken during a check-in burst consistent (the other kind of database)', async () => {
    const { pg, lite } = filled()
    const other = open(otherKind === 'PostgreSQL' ? pg : lite)
    try {
      await backupDuringBurst(other)
    } finally {
      await other.close()
    }
  }, 120_000)

  it('keeps only the newest archives', async () => {
    const dir = path.join(work, 'prune')
    await mkdir(dir, { recursive: true })
    for (const stamp of ['2026-01-01T00-00-00-000Z', '2026-01-02T00-00-00-000Z', '2026-01-03T00-00-00-000Z'])
      await writeFile(path.join(dir, `genjin-backup-${stamp}.tar.gz`), '')
    await writeFile(path.join(dir, 'notes.txt'), '')
    expect(await pruneBackups(dir, 2)).toEqual(['genjin-backup-2026-01-01T00-00-00-000Z.tar.gz'])
    expect((await listBackups(dir)).map((b) => b.name)).toEqual([
      'genjin-backup-2026-01-03T00-00-00-000Z.tar.gz',
      'genjin-backup-2026-01-02T00-00-00-000Z.tar.gz',
    ])
  })
})
