#!/usr/bin/env node
// `npm start`: build the app if the sources changed, migrate the database (PGlite under ./data
// unless DATABASE_URL is set), seed the demo company into an empty database in demo mode, then serve.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { buildIfChanged } from './build-stamp.mjs'
import { migrateArgs, startEnv } from './start-env.mjs'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
process.chdir(root)

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { stdio: 'inherit', env })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

// Build only when the sources differ from those of the last build (a content hash, not file times).
if (!buildIfChanged({ quiet: true })) process.exit(1)

// `npm start` on the embedded database is the newcomer's demo (demo mode on unless turned off);
// with DATABASE_URL it is a deployment: no demo mode unless asked for, and APP_URL required.
const env = startEnv(process.env)
if (!env.SESSION_SECRET) {
  mkdirSync('data', { recursive: true })
  const file = 'data/session-secret'
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 })
  env.SESSION_SECRET = readFileSync(file, 'utf8').trim()
}
// Plain http on localhost: browsers accept Secure cookies there, elsewhere set COOKIE_SECURE.
run(process.execPath, ['--import', ...migrateArgs(env)], env)
if (env.DEMO_MODE === 'true') {
  console.log('\nDemo accounts (password genjin-demo-2026), or one click at /demo:')
  for (const [role, email] of [
    ['HR admin', 'hr.admin@example.com'],
    ['trainer', 'trainer@example.com'],
    ['external lecturer', 'lecturer@example.com'],
    ['manager', 'manager@example.com'],
    ['employee', 'employee@example.com'],
  ])
    console.log(`  ${role.padEnd(18)} ${email}`)
  console.log('')
} else {
  console.log('\nNo demo mode. On an empty database, create the first HR admin with `npm run admin:create`.\n')
}
// The server is our direct child (no npx/sh in between) and stops with us: SIGTERM or SIGINT to
// `npm start` reaches it, and we exit with its status.
const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts'], { stdio: 'inherit', env })
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => server.kill(signal))
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[signal] ?? 1) : 1)))
