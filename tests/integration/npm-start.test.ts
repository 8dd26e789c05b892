import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildIsCurrent } from '../../scripts/build-stamp.mjs'

/**
 * `npm start` as a newcomer runs it: a fresh embedded database, then the server. It prints only
 * useful lines, and a SIGTERM to it stops the server too (nothing keeps the port). It builds the
 * app only when the sources differ from the last build's (scripts/build-stamp.mjs): in a fresh
 * clone this test builds once and the e2e run after it reuses the build; after that it does not.
 */
describe('npm start', () => {
  it('prints the useful lines, builds only when the sources changed, and stops the server on SIGTERM', async () => {
    const built = buildIsCurrent()
    const dir = mkdtempSync(path.join(tmpdir(), 'genjin-start-'))
    const port = String(4300 + Math.floor(Math.random() * 60))
    const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: path.join(dir, 'pglite'), PORT: port }
    for (const name of ['DATABASE_URL', 'NODE_ENV', 'VITEST', 'TEST_DATABASE_URL']) delete env[name]
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      await new Promise<void>((resolve, reject) => {
        const check = setInterval(() => {
          if (output.includes('Genjin is running')) {
            clearInterval(check)
            resolve()
          }
        }, 200)
        void exited.then(() => reject(new Error(`npm start exited early:\n${output}`)))
      })
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
      const lines = output.split('\n').filter((l) => l.trim())
      expect(lines.length, output).toBeLessThan(25)
      expect(output).not.toMatch(/build\/client\/assets/)
      if (built) expect(output).not.toContain('Building Genjin')
      expect(buildIsCurrent()).toBe(true)
      child.kill('SIGTERM')
      await exited
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow()
    } finally {
      child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  }, 600_000)
})
