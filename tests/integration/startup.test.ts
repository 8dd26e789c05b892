import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { parseEnv } from '~/env.server'

function startServer(env: Record<string, string>) {
  const result = spawnSync('npx', ['tsx', 'scripts/serve.ts'], {
    env: { ...process.env, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), APP_URL: 'http://localhost:3999', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  })
  const lines = result.stderr.split('\n').filter((l) => l.trim() && !l.includes('npm warn'))
  return { status: result.status, lines }
}

describe('configuration at start-up', () => {
  it('stops with one clear line when DATABASE_URL is unreachable', () => {
    const { status, lines } = startServer({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere', PORT: '3999' })
    expect(status).toBe(1)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^genjin: DATABASE_URL is not reachable/)
  })

  it('stops with one line naming a bad variable', () => {
    const { status, lines } = startServer({ PORT: 'eighty' })
    expect(status).toBe(1)
    expect(lines).toEqual([expect.stringMatching(/^genjin: Invalid configuration: PORT: /)])
  })

  it('requires a session secret in production unless demo mode is on', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/)
    expect(parseEnv({ NODE_ENV: 'production', DEMO_MODE: 'true', APP_URL: 'http://localhost:3000' }).DEMO_MODE).toBe(true)
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/)
  })
})
