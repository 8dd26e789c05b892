import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import type { TestProject } from 'vitest/node'
import { connect } from '#db/client.server'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A tarball of a migrated PGlite data directory each test file starts from. */
    pgliteTemplate: string
    /** A migrated PostgreSQL database each test file's database is copied from. */
    postgresTemplate: string
  }
}

/**
 * Migrates one database before the run, and each test file starts from a copy of it instead of
 * running every migration again (most of a small test file's time went into migrating).
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL
  if (adminUrl) {
    const name = `genjin_template_${randomBytes(6).toString('hex')}`
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name}`)
    await admin.end()
    const url = new URL(adminUrl)
    url.pathname = `/${name}`
    const template = connect({ databaseUrl: url.toString(), max: 1 })
    await template.migrate()
    await template.close()
    project.provide('postgresTemplate', name)
    project.provide('pgliteTemplate', '')
    return async () => {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} })
      await a.unsafe(`drop database if exists ${name} with (force)`)
      await a.end()
    }
  }
  const template = connect({ pgliteDir: 'memory://' })
  await template.migrate()
  const dump = await template.pglite!.dumpDataDir('none')
  await template.close()
  const dir = mkdtempSync(path.join(tmpdir(), 'genjin-test-template-'))
  const file = path.join(dir, 'pglite.tar')
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
  project.provide('pgliteTemplate', file)
  project.provide('postgresTemplate', '')
  return () => rmSync(dir, { recursive: true, force: true })
}
