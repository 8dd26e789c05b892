#!/usr/bin/env node
// The server the end-to-end tests run against: the production build on a fresh database
// (a new PGlite directory, or a new database on the PostgreSQL server in E2E_DATABASE_ADMIN_URL),
// migrated and seeded with the demo company, demo mode on.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const env = {
  ...process.env,
  NODE_ENV: 'production',
  DEMO_MODE: 'true',
  PORT: process.env.E2E_PORT ?? '3300',
  APP_URL: `http://localhost:${process.env.E2E_PORT ?? '3300'}`,
  SESSION_SECRET: randomBytes(24).toString('hex'),
  PGLITE_DIR: mkdtempSync(path.join(tmpdir(), 'genjin-e2e-')),
  UPLOADS_DIR: mkdtempSync(path.join(tmpdir(), 'genjin-e2e-uploads-')),
}
delete env.DATABASE_URL

const adminUrl = process.env.E2E_DATABASE_ADMIN_URL
if (adminUrl) {
  const name = `genjin_e2e_${randomBytes(5).toString('hex')}`
  const create = spawnSync(
    'npx',
    [
      'tsx',
      '-e',
      `const postgres = require('postgres'); (async () => { const sql = postgres(${JSON.stringify(adminUrl)}, { max: 1 }); await sql.unsafe('create database ${name}'); await sql.end() })()`,
    ],
    { stdio: 'inherit' },
  )
  if (create.status !== 0) process.exit(1)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  env.DATABASE_URL = url.toString()
}

const migrate = spawnSync('npx', ['tsx', 'scripts/migrate.ts', '--seed'], { stdio: 'inherit', env })
if (migrate.status !== 0) process.exit(migrate.status ?? 1)
const server = spawn('npx', ['tsx', 'scripts/serve.ts'], { stdio: 'inherit', env })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code) => process.exit(code ?? 0))
