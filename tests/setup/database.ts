import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll } from 'vitest'
import { connect, useConnection, type Connection } from '#db/client.server'

/**
 * Each test file gets its own database: PGlite in memory by default, or a fresh
 * PostgreSQL database when TEST_DATABASE_URL is set. Never the dev server's data directory.
 */
let connection: Connection | undefined
let dropDatabase: (() => Promise<void>) | undefined

beforeAll(async () => {
  const adminUrl = process.env.TEST_DATABASE_URL
  if (adminUrl) {
    const name = `genjin_test_${randomBytes(6).toString('hex')}`
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name}`)
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
    connection = connect({ pgliteDir: 'memory://' })
  }
  await connection.migrate()
  useConnection(connection)
})

afterAll(async () => {
  await connection?.close()
  await dropDatabase?.()
})
