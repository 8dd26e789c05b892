import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, inject } from 'vitest'
import { connect, useConnection, type Connection } from '#db/client.server'
import { registerEventHandlers } from '~/events.server'

/**
 * Each test file gets its own database: PGlite in memory by default, or a fresh
 * PostgreSQL database when TEST_DATABASE_URL is set. Never the dev server's data directory.
 */
let connection: Connection | undefined

// The subscriptions the app process wires at start-up (entry.server.tsx).
registerEventHandlers()
let dropDatabase: (() => Promise<void>) | undefined

beforeAll(async () => {
  const adminUrl = process.env.TEST_DATABASE_URL
  if (adminUrl) {
    const name = `genjin_test_${randomBytes(6).toString('hex')}`
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
    const template = inject('postgresTemplate')
    await createDatabase(admin, name, template)
    await admin.end()
    const url = new URL(adminUrl)
    url.pathname = `/${name}`
    connection = connect({ databaseUrl: url.toString(), max: 5 })
    dropDatabase = async () => {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} })
      await a.unsafe(`drop database if exists ${name} with (force)`)
      await a.end()
    }
  } else {
    const template = inject('pgliteTemplate')
    connection = connect({ pgliteDir: 'memory://', loadDataDir: template ? new Blob([readFileSync(template)]) : undefined })
  }
  // Started from the migrated template, this only confirms every migration is applied.
  await connection.migrate()
  useConnection(connection)
})

afterAll(async () => {
  await connection?.close()
  await dropDatabase?.()
})

/** A copy of the migrated template (another file may be copying it at the same moment: wait and retry). */
async function createDatabase(admin: postgres.Sql, name: string, template: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(template ? `create database ${name} template ${template}` : `create database ${name}`)
      return
    } catch (error) {
      const busy = /being accessed by other users/.test(String(error))
      if (!busy || attempt >= 50) throw error
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200))
    }
  }
}
