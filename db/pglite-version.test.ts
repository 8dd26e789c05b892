import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { describe, expect, it } from 'vitest'
import { connect } from './client.server'
import { PGLITE_PG_MAJOR, PGLITE_VERSION, versionMarkerPath } from './pglite-version'

const scratch = () => mkdtempSync(path.join(tmpdir(), 'genjin-pglite-version-'))

describe('PGlite version guard', () => {
  it('matches the pinned package and the PostgreSQL it embeds', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
    expect(pkg.dependencies['@electric-sql/pglite']).toBe(PGLITE_VERSION)
    const pg = new PGlite()
    const { rows } = await pg.query<{ v: string }>("select current_setting('server_version') as v")
    await pg.close()
    expect(rows[0].v.split('.')[0]).toBe(PGLITE_PG_MAJOR)
  })

  it('marks a new data directory with the PGlite version that created it', async () => {
    const dir = path.join(scratch(), 'pglite')
    const connection = connect({ pgliteDir: dir })
    await connection.migrate()
    await connection.close()
    expect(readFileSync(versionMarkerPath(dir), 'utf8').trim()).toBe(PGLITE_VERSION)
  })

  it('refuses a directory another PGlite version wrote, without touching it', () => {
    const dir = path.join(scratch(), 'pglite')
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'PG_VERSION'), `${PGLITE_PG_MAJOR}\n`)
    writeFileSync(versionMarkerPath(dir), '0.3.14\n')
    expect(() => connect({ pgliteDir: dir })).toThrow(/written by PGlite 0\.3\.14; this Genjin uses PGlite 0\.3\.15 and will not open it\. Back it up/)
    expect(readdirSync(dir)).toEqual(['PG_VERSION'])
  })

  it('refuses an unmarked directory of another PostgreSQL major version', () => {
    const dir = path.join(scratch(), 'pglite')
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'PG_VERSION'), '16\n')
    expect(() => connect({ pgliteDir: dir })).toThrow(/written by another PGlite version \(PostgreSQL 16\)/)
  })

  it('stops the migration at start-up with one line saying how to move the data', () => {
    const dir = path.join(scratch(), 'pglite')
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'PG_VERSION'), `${PGLITE_PG_MAJOR}\n`)
    writeFileSync(versionMarkerPath(dir), '0.2.17\n')
    const result = spawnSync('npx', ['tsx', 'scripts/migrate.ts'], {
      env: { ...process.env, PGLITE_DIR: dir, DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(result.status).toBe(1)
    const lines = result.stderr.split('\n').filter((l) => l.trim() && !l.includes('npm warn'))
    expect(lines).toEqual([
      expect.stringMatching(
        /^genjin: cannot prepare the database: the embedded database at .* was written by PGlite 0\.2\.17; .*npm run db:backup.*npm run db:restore/,
      ),
    ])
  })
})
