import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { readFile, truncate, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import * as tar from 'tar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { connect, db, rowsOf, useConnection, type Connection } from '#db/client.server'
import { enrolments, users } from '#db/schema'
import { seedCourseAssignments } from '#db/seed/course-assignments'
import { seedDemoCompany } from '#db/seed/demo-company'
import { writeAttendance } from '~/modules/attendance/attendance.server'
import { uploadImage } from '~/modules/courses/media.server'
import { startQuizAttempt, submitQuizAttempt } from '~/modules/courses/learning.server'
import { fixtureCourse, realCourses } from '../../../tests/setup/courses'
import { createPerson } from '../../../tests/setup/fixtures'
import { pngBytes } from '../../../tests/setup/png'
import { scheduleSession } from '../../../tests/setup/sessions'
import { listFiles, sha256File } from './archive.server'
import { createBackup, pruneBackups, listBackups } from './backup.server'
import { restoreBackup } from './restore.server'
import { listTables, type RawQuery } from './tables.server'

// Real databases on both sides: PGlite in this process, PostgreSQL on the local server.
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const work = mkdtempSync(path.join(tmpdir(), 'genjin-backup-test-'))
const sourceUploads = path.join(work, 'uploads')
process.env.UPLOADS_DIR = sourceUploads
const backups = path.join(work, 'backups')

const databases: string[] = []
const clients: { end: () => Promise<unknown> }[] = []
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

/** Every table, every row (as JSON text, sorted): generic over whatever tables exist. */
async function everyRow(query: RawQuery) {
  const out: Record<string, string[]> = {}
  for (const table of await listTables(query)) {
    const rows = await query(`select row_to_json(t)::text as r from ${table.quoted} t`)
    out[table.name] = rows.map((r) => String(r.r)).sort()
  }
  return out
}

async function fileHashes(dir: string) {
  return Object.fromEntries(await Promise.all((await listFiles(dir)).map(async (f) => [f, await sha256File(path.join(dir, f))])))
}

let source: Connection
let sourceRows: Record<string, string[]>

/** The demo company with a quarter's activity: assignments, a session with attendance, quiz attempts, an image. */
async function seedActivity() {
  await seedDemoCompany(db)
  await realCourses()
  await seedCourseAssignments(db)
  const hr = await createPerson({ roles: ['hr_admin'] })
  const { sessionId } = await scheduleSession(hr, { startsAt: new Date(Date.now() - 3_600_000) })
  const people = await db.select({ id: users.id }).from(users).limit(12)
  for (const [i, person] of people.entries()) {
    await db.transaction((tx) =>
      writeAttendance(tx, { sessionId, userId: person.id, status: i % 4 === 0 ? 'absent' : 'present', method: 'trainer', by: hr.id }),
    )
  }
  const fixture = await fixtureCourse()
  for (const answers of [
    { q1: ['a'], q2: ['a', 'b'], q3: ['true'], q4: ['b'] },
    { q1: ['a'], q2: ['a'], q3: ['true'], q4: ['c'] },
  ]) {
    const learner = await createPerson({ roles: ['employee'] })
    await db.insert(enrolments).values({ courseId: fixture.course.id, userId: learner.id })
    const started = await startQuizAttempt(learner, 'good-course', 'check')
    if (!started.ok) throw new Error('quiz did not start')
    await submitQuizAttempt(learner, started.attemptId, answers)
  }
  const png = pngBytes(8, 8)
  const uploaded = await uploadImage(hr, new Blob([png]).stream(), png.length)
  if (!uploaded.ok) throw new Error('image upload failed')
  return { hr, sessionId }
}

let activity: Awaited<ReturnType<typeof seedActivity>>
beforeAll(async () => {
  source = connect({ pgliteDir: 'memory://' })
  await source.migrate()
  useConnection(source)
  activity = await seedActivity()
  sourceRows = await everyRow(await pgliteQuery(source.pglite!))
}, 180_000)

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()))
  await source?.close()
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  for (const name of databases) await admin.unsafe(`drop database if exists ${name} with (force)`)
  await admin.end()
})

describe('backup and restore', () => {
  let postgresUrl: string

  it('moves the demo company from PGlite to PostgreSQL: every row and every file', async () => {
    expect(sourceRows['public.attendance'].length).toBeGreaterThan(0)
    expect(sourceRows['public.quiz_attempts'].length).toBe(2)
    const { file, manifest } = await createBackup(source, { dir: backups, uploadsDir: sourceUploads })
    expect(manifest.source.driver).toBe('pglite')
    expect(manifest.files).toHaveLength(1)
    expect(manifest.tables['public.users']).toBe(sourceRows['public.users'].length)

    postgresUrl = await freshPostgres()
    const uploads = path.join(work, 'uploads-on-postgres')
    const report = await restoreBackup(file, { databaseUrl: postgresUrl }, { uploadsDir: uploads })
    expect(report).toMatchObject({ target: 'PostgreSQL', files: 1, migrated: 0 })

    expect(await everyRow(postgresQuery(postgresUrl))).toEqual(sourceRows)
    expect(await fileHashes(uploads)).toEqual(await fileHashes(sourceUploads))
  }, 120_000)

  it('moves it back from PostgreSQL to PGlite: every row and every file', async () => {
    const { file, manifest } = await createBackup(connect({ databaseUrl: postgresUrl, max: 1 }), {
      dir: path.join(work, 'pg-backups'),
      uploadsDir: path.join(work, 'uploads-on-postgres'),
    })
    expect(manifest.source.driver).toBe('postgres')
    const dir = path.join(work, 'restored-pglite')
    const uploads = path.join(work, 'uploads-on-pglite')
    const report = await restoreBackup(file, { pgliteDir: dir }, { uploadsDir: uploads })
    expect(report.target).toBe(`PGlite at ${dir}`)
    const pg = new PGlite(dir)
    try {
      expect(await everyRow(await pgliteQuery(pg))).toEqual(sourceRows)
    } finally {
      await pg.close()
    }
    expect(await fileHashes(uploads)).toEqual(await fileHashes(sourceUploads))
  }, 120_000)

  it('refuses a non-empty PGlite directory and changes nothing; --force keeps the old one aside', async () => {
    const [archive] = await listBackups(backups)
    const dir = path.join(work, 'restored-pglite')
    const before = readdirSync(dir).sort()
    await expect(restoreBackup(archive.file, { pgliteDir: dir }, { uploadsDir: path.join(work, 'other-uploads') })).rejects.toThrow(
      /^the target directory .* is not empty; restore into a new directory \(PGLITE_DIR\), or pass --force to replace it; nothing was changed$/,
    )
    expect(readdirSync(dir).sort()).toEqual(before)
    await restoreBackup(archive.file, { pgliteDir: dir }, { uploadsDir: path.join(work, 'other-uploads'), force: true })
    // The replaced directory and its version marker, side by side.
    const aside = readdirSync(work)
      .filter((f) => f.startsWith('restored-pglite.replaced-'))
      .sort()
    expect(aside).toEqual([expect.stringMatching(/^restored-pglite\.replaced-\d+$/), expect.stringMatching(/^restored-pglite\.replaced-\d+\.version$/)])
    const pg = new PGlite(dir)
    try {
      expect(await everyRow(await pgliteQuery(pg))).toEqual(sourceRows)
    } finally {
      await pg.close()
    }
  }, 120_000)

  it('refuses a non-empty database and changes nothing, unless forced', async () => {
    const [archive] = await listBackups(backups)
    const before = await everyRow(postgresQuery(postgresUrl))
    await expect(restoreBackup(archive.file, { databaseUrl: postgresUrl }, { uploadsDir: path.join(work, 'nowhere') })).rejects.toThrow(
      /^the target database is not empty \(\d+ tables\); restore into an empty database, or pass --force/,
    )
    expect(await everyRow(postgresQuery(postgresUrl))).toEqual(before)
    expect(existsSync(path.join(work, 'nowhere'))).toBe(false)
    const forced = await restoreBackup(archive.file, { databaseUrl: postgresUrl }, { uploadsDir: path.join(work, 'nowhere'), force: true })
    expect(forced.rows).toBeGreaterThan(0)
    expect(await everyRow(postgresQuery(postgresUrl))).toEqual(sourceRows)
  }, 120_000)

  it('refuses a truncated archive and creates nothing', async () => {
    const [archive] = await listBackups(backups)
    const cut = path.join(work, 'truncated.tar.gz')
    await writeFile(cut, await readFile(archive.file))
    await truncate(cut, Math.floor(archive.bytes / 2))
    const dir = path.join(work, 'never-created')
    await expect(restoreBackup(cut, { pgliteDir: dir }, { uploadsDir: path.join(work, 'never-uploads') })).rejects.toThrow(
      /^the archive truncated\.tar\.gz is damaged or incomplete .*; nothing was changed$/,
    )
    expect(existsSync(dir)).toBe(false)
    expect(existsSync(path.join(work, 'never-uploads'))).toBe(false)
  }, 60_000)

  it('refuses, in one line, a backup of a newer schema than the code', async () => {
    const [archive] = await listBackups(backups)
    const unpacked = path.join(work, 'newer')
    await mkdir(unpacked, { recursive: true })
    await tar.extract({ file: archive.file, cwd: unpacked })
    const manifest = JSON.parse(await readFile(path.join(unpacked, 'manifest.json'), 'utf8'))
    manifest.schema = { migration: '0042_from_the_future', createdAt: manifest.schema.createdAt + 86_400_000, applied: manifest.schema.applied + 1 }
    await writeFile(path.join(unpacked, 'manifest.json'), JSON.stringify(manifest))
    const newer = path.join(work, 'newer.tar.gz')
    await tar.create({ gzip: true, file: newer, cwd: unpacked }, ['manifest.json', 'database.sql', 'uploads'])
    const url = await freshPostgres()
    const error = await restoreBackup(newer, { databaseUrl: url }, { uploadsDir: path.join(work, 'newer-uploads') }).catch((e: Error) => e)
    expect((error as Error).message).toMatch(
      /^this backup is of a newer database schema \(0042_from_the_future\) than this Genjin knows \(\w+\);.*nothing was changed$/,
    )
    expect((error as Error).message).not.toContain('\n')
    expect(await listTables(postgresQuery(url))).toEqual([])
  }, 60_000)

  async function backupDuringBurst(connection: Connection, name: string) {
    useConnection(connection)
    try {
      const learners = await Promise.all(Array.from({ length: 40 }, () => createPerson({ roles: ['employee'] })))
      const { sessionId } = await scheduleSession(activity.hr, { startsAt: new Date(Date.now() - 600_000) })
      const before = Number(rowsOf<{ n: number }>(await connection.db.execute(sql`select count(*)::int as n from attendance`))[0].n)
      const burst = Promise.all(
        learners.map((l, i) =>
          new Promise((r) => setTimeout(r, i * 5)).then(() =>
            connection.db.transaction((tx) => writeAttendance(tx, { sessionId, userId: l.id, status: 'present', method: 'code', by: l.id })),
          ),
        ),
      )
      const backup = await createBackup(connection, { dir: path.join(work, `burst-${name}`), uploadsDir: sourceUploads })
      await burst
      const dir = path.join(work, `burst-${name}-restored`)
      await restoreBackup(backup.file, { pgliteDir: dir }, { uploadsDir: path.join(work, `burst-${name}-uploads`) })
      const restored = new PGlite(dir)
      try {
        const orphans = await restored.query(
          `select a.user_id from attendance a where not exists (select 1 from attendance_changes c where c.session_id = a.session_id and c.user_id = a.user_id)`,
        )
        expect(orphans.rows).toEqual([])
        const { rows } = await restored.query<{ n: number }>(`select count(*)::int as n from attendance where session_id = $1`, [sessionId])
        expect(rows[0].n).toBe(backup.manifest.tables['public.attendance'] - before)
      } finally {
        await restored.close()
      }
    } finally {
      useConnection(source)
    }
  }

  it('keeps a backup taken during a check-in burst on PostgreSQL consistent: no attendance without its change record', async () => {
    const pg = connect({ databaseUrl: postgresUrl, max: 8 })
    try {
      await backupDuringBurst(pg, 'postgres')
    } finally {
      await pg.close()
    }
  }, 120_000)

  it('keeps a backup taken during a check-in burst on PGlite consistent', async () => {
    await backupDuringBurst(source, 'pglite')
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
