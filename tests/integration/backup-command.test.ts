/**
 * The commands as an operator runs them on PGlite: `npm run db:backup` with no server, then
 * while `npm start`'s server holds the directory (the server takes it: decision 029), and
 * `npm run db:restore` refusing the served directory but restoring into a new one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const work = mkdtempSync(path.join(tmpdir(), 'genjin-backup-command-'))
const { VITEST: _vitest, VITEST_POOL_ID: _pool, VITEST_WORKER_ID: _worker, TEST_DATABASE_URL: _test, ...inherited } = process.env
const env = {
  ...inherited,
  DATABASE_URL: '',
  PGLITE_DIR: path.join(work, 'pglite'),
  UPLOADS_DIR: path.join(work, 'uploads'),
  BACKUP_DIR: path.join(work, 'backups'),
  SESSION_SECRET: 'x'.repeat(32),
}

function tsx(script: string, args: string[] = [], extra: Record<string, string> = {}) {
  const result = spawnSync('npx', ['tsx', script, ...args], { env: { ...env, ...extra }, encoding: 'utf8', timeout: 180_000 })
  return {
    status: result.status,
    out: result.stdout,
    err: result.stderr
      .split('\n')
      .filter((l) => l.trim() && !l.includes('npm warn'))
      .join('\n'),
  }
}

async function freePort() {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

let server: ChildProcess | undefined
afterAll(() => {
  if (server?.pid) process.kill(-server.pid, 'SIGTERM')
})

// PGlite only by nature: the PostgreSQL run of the suite (TEST_DATABASE_URL) skips it.
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('npm run db:backup and db:restore on PGlite', () => {
  it('backs up with no server, through the running server, and restores into a new directory', async () => {
    expect(tsx('scripts/migrate.ts', ['--seed']).status).toBe(0)
    const offline = tsx('scripts/backup.ts')
    expect(offline.err).toBe('')
    expect(offline.out).toMatch(/^Backup written: .*genjin-backup-.*\.tar\.gz\n  schema \w+, \d+ tables, \d+ rows/)

    const port = await freePort()
    server = spawn('npx', ['tsx', 'scripts/serve.ts', '--dev'], { env: { ...env, PORT: String(port) }, stdio: 'ignore', detached: true })
    let up = false
    for (let i = 0; i < 240 && !up; i++) {
      await new Promise((r) => setTimeout(r, 500))
      up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    }
    expect(up).toBe(true)
    expect(existsSync(`${env.PGLITE_DIR}.server.json`)).toBe(true)

    const served = tsx('scripts/backup.ts')
    expect(served.err).toBe('')
    expect(served.out).toContain(`(taken by the server running on port ${port})`)
    expect(readdirSync(env.BACKUP_DIR).filter((f) => f.endsWith('.tar.gz'))).toHaveLength(2)
    // The server still serves (and its connection is not left inside the dump's transaction).
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).ok).toBe(true)

    const archive = path.join(
      env.BACKUP_DIR,
      readdirSync(env.BACKUP_DIR)
        .filter((f) => f.endsWith('.tar.gz'))
        .sort()
        .at(-1)!,
    )
    const refused = tsx('scripts/restore.ts', [archive, '--force'])
    expect(refused.status).toBe(1)
    expect(refused.err).toMatch(/^genjin: restore failed: a Genjin server is running on .*; stop it before restoring into it; nothing was changed$/)

    const restored = tsx('scripts/restore.ts', [archive], { PGLITE_DIR: path.join(work, 'restored'), UPLOADS_DIR: path.join(work, 'restored-uploads') })
    expect(restored.err).toBe('')
    expect(restored.out).toMatch(/^Restored .* into PGlite at .*restored:\n/)
    expect(restored.out).toMatch(/\d+ tables, \d+ rows \(counts checked\)/)
  }, 600_000)
})
