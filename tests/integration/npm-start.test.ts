import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildIsCurrent } from '../../scripts/build-stamp.mjs'

/**
 * `npm start` as a newcomer runs it: a fresh embedded database, then the server. It prints only
 * useful lines, and a SIGTERM to it stops the server too (nothing keeps the port). It builds the
 * app only when the sources differ from the last build's (scripts/build-stamp.mjs): in a fresh
 * clone this test builds once and the e2e run after it reuses the build; after that it does not.
 * On that database, the operator's commands (docs/operations.md): `npm run db:backup` while it
 * serves (the server takes the backup: decision 029) and after it stopped, `npm run db:restore`
 * refusing the served directory and restoring into a new one.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'genjin-start-'))
const port = String(4300 + Math.floor(Math.random() * 60))
const base = `http://127.0.0.1:${port}`
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PGLITE_DIR: path.join(dir, 'pglite'),
  UPLOADS_DIR: path.join(dir, 'uploads'),
  BACKUP_DIR: path.join(dir, 'backups'),
  PORT: port,
}
for (const name of ['DATABASE_URL', 'NODE_ENV', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'TEST_DATABASE_URL']) delete env[name]
// `npm start` always runs on the embedded database (DATABASE_URL is removed above), so the suite's
// PostgreSQL run would repeat exactly the PGlite run's test: it skips the file (CI time).
const onPostgresRun = Boolean(process.env.TEST_DATABASE_URL)

/** `npm run db:backup` / `db:restore` are `tsx scripts/…`: the same, without npm's own start-up. */
function command(script: string, args: string[] = [], extra: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...env, ...extra }, encoding: 'utf8', timeout: 180_000 })
  return { status: result.status, out: result.stdout, err: result.stderr.trim() }
}

/** The same, while the test goes on (two restores into different targets at once). */
function commandAsync(script: string, args: string[] = [], extra: Record<string, string> = {}) {
  const running = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  running.stdout.on('data', (d) => (out += d))
  running.stderr.on('data', (d) => (err += d))
  return new Promise<{ status: number | null; out: string; err: string }>((resolve) =>
    running.on('close', (status) => resolve({ status, out, err: err.trim() })),
  )
}

const archives = () =>
  readdirSync(env.BACKUP_DIR!)
    .filter((f) => f.endsWith('.tar.gz'))
    .sort()

let child: ChildProcess
let built = false
let output = ''
let exited: Promise<number | null>

beforeAll(async () => {
  if (onPostgresRun) return
  built = buildIsCurrent()
  child = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (output.includes('Genjin is running')) {
        clearInterval(check)
        resolve()
      }
    }, 200)
    void exited.then(() => reject(new Error(`npm start exited early:\n${output}`)))
  })
}, 600_000)

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
const database = `genjin_test_start_${Math.random().toString(16).slice(2, 10)}`

afterAll(async () => {
  child?.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${database} with (force)`)
  await admin.end()
})

describe.skipIf(onPostgresRun)('npm start', () => {
  it('prints the useful lines', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200)
    const lines = output.split('\n').filter((l) => l.trim())
    expect(lines.length, output).toBeLessThan(25)
    expect(output).not.toMatch(/build\/client\/assets/)
  })

  it('builds only when the sources changed since the last build', () => {
    if (built) expect(output).not.toContain('Building Genjin')
    expect(buildIsCurrent()).toBe(true)
  })

  it('serves on while npm run db:backup takes a backup through it; npm run db:restore refuses its directory', async () => {
    expect(existsSync(`${env.PGLITE_DIR}.server.json`)).toBe(true)
    const served = command('scripts/backup.ts')
    expect(served.err).toBe('')
    expect(served.out).toMatch(
      new RegExp(
        `^\\(taken by the server running on port ${port}\\)\\nBackup written: .*genjin-backup-.*\\.tar\\.gz\\n  schema \\w+, \\d+ tables, \\d+ rows, [1-9]\\d* uploaded files`,
      ),
    )
    expect(archives()).toHaveLength(1)

    // Still serving, and writing (the dump's transaction is not left open): a demo sign-in stores
    // a session, and the HR admin's home page shows the backup.
    expect((await fetch(`${base}/healthz`)).ok).toBe(true)
    const signIn = await fetch(`${base}/demo`, { method: 'POST', body: new URLSearchParams({ email: 'hr.admin@example.com' }), redirect: 'manual' })
    expect(signIn.status).toBe(302)
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]
    expect(await (await fetch(`${base}/`, { headers: { cookie } })).text()).toContain('data-testid="last-backup"')

    const refused = command('scripts/restore.ts', [path.join(env.BACKUP_DIR!, archives()[0]), '--force'])
    expect(refused.status).toBe(1)
    expect(refused.err).toMatch(/^genjin: restore failed: a Genjin server is running on .*; stop it before restoring into it; nothing was changed$/)
  }, 120_000)

  it('stops the server on SIGTERM', async () => {
    child.kill('SIGTERM')
    await exited
    await expect(fetch(`${base}/healthz`)).rejects.toThrow()
  }, 60_000)

  it('backs up with the server stopped, restores into a new directory, and moves to PostgreSQL', async () => {
    const offline = command('scripts/backup.ts')
    expect(offline.err).toBe('')
    expect(offline.out).toMatch(/^Backup written: .*genjin-backup-.*\.tar\.gz\n  schema \w+, \d+ tables, \d+ rows/)
    expect(archives()).toHaveLength(2)

    // The move as docs/operations.md writes it: the archive taken while serving, DATABASE_URL set for the restore.
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${database}`)
    await admin.end()
    const url = new URL(ADMIN_URL)
    url.pathname = `/${database}`
    const [moved, restored] = await Promise.all([
      commandAsync('scripts/restore.ts', [path.join(env.BACKUP_DIR!, archives()[0])], {
        DATABASE_URL: url.toString(),
        UPLOADS_DIR: path.join(dir, 'uploads-on-postgres'),
      }),
      // The one taken with the server stopped, into a new PGlite directory.
      commandAsync('scripts/restore.ts', [path.join(env.BACKUP_DIR!, archives()[1])], {
        PGLITE_DIR: path.join(dir, 'restored'),
        UPLOADS_DIR: path.join(dir, 'restored-uploads'),
      }),
    ])
    expect(moved.err).toBe('')
    expect(moved.out).toMatch(
      /^Restored .* into PostgreSQL:\n  backup of .* from PGlite \(PostgreSQL [\d.]+\), schema \w+\n  \d+ tables, \d+ rows \(counts checked\), [1-9]\d* uploaded files/,
    )
    expect(restored.err).toBe('')
    expect(restored.out).toMatch(/^Restored .* into PGlite at .*restored:\n/)
    expect(restored.out).toMatch(/\d+ tables, \d+ rows \(counts checked\), [1-9]\d* uploaded files/)
  }, 180_000)
})
