import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { connect, db, useConnection, type Connection } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { authSessions, users } from '#db/schema'
import { createBackup } from '~/modules/backups/backup.server'
import { getCurrentUser } from '~/modules/auth/session.server'
import { createPerson, requestAs } from '../tests/setup/fixtures'

// Decision 043: the web server runs PGlite in a worker thread. Everything the app relies on must
// behave as with PGlite in the process: drizzle's driver, migrations, transactions, errors, backups.
let thread: Connection

beforeAll(async () => {
  thread = connect({ pgliteDir: 'memory://', thread: true })
  await thread.migrate()
  useConnection(thread)
})

afterAll(async () => {
  await thread.close()
})

const heavy = sql`select count(*)::int as n from generate_series(1, 600000) g where g % 7 = 0`

describe('PGlite in a worker thread', () => {
  it('applies every migration through drizzle', async () => {
    const journal = JSON.parse(readFileSync('db/migrations/meta/_journal.json', 'utf8')) as { entries: unknown[] }
    const [row] = parseRows(z.object({ n: column.number }), await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`))
    expect(row.n).toBe(journal.entries.length)
  })

  it('reads and writes through the domain modules with the same types (dates, arrays, json)', async () => {
    const person = await createPerson({ roles: ['employee', 'manager'] })
    const request = await requestAs(person, '/')
    const user = await getCurrentUser(request)
    expect(user).toMatchObject({ id: person.id })
    expect([...(user?.roles ?? [])].sort()).toEqual(['employee', 'manager'])
    const [session] = await db.select().from(authSessions).where(eq(authSessions.userId, person.id))
    expect(session.expiresAt).toBeInstanceOf(Date)
  })

  it('commits, rolls back on a throw, on tx.rollback(), and to a savepoint', async () => {
    const before = await db.$count(users)
    await db.transaction(async (tx) => {
      await tx.insert(users).values({ name: 'Committed', email: 'committed@example.test' })
    })
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(users).values({ name: 'Thrown', email: 'thrown@example.test' })
        throw new Error('no')
      }),
    ).rejects.toThrow('no')
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(users).values({ name: 'Rolled back', email: 'rolled@example.test' })
        tx.rollback()
      }),
    ).rejects.toThrow()
    await db.transaction(async (tx) => {
      await tx.insert(users).values({ name: 'Outer', email: 'outer@example.test' })
      await expect(
        tx.transaction(async (inner) => {
          await inner.insert(users).values({ name: 'Inner', email: 'inner@example.test' })
          throw new Error('inner')
        }),
      ).rejects.toThrow('inner')
    })
    const names = (await db.select({ name: users.name }).from(users)).map((r) => r.name)
    expect(names).toEqual(expect.arrayContaining(['Committed', 'Outer']))
    expect(names).not.toEqual(expect.arrayContaining(['Thrown']))
    expect(names.filter((n) => ['Thrown', 'Rolled back', 'Inner'].includes(n))).toEqual([])
    expect(await db.$count(users)).toBe(before + 2)
  })

  it("keeps PostgreSQL's error fields (a unique violation is 23505 with its constraint)", async () => {
    await db.insert(users).values({ name: 'Once', email: 'once@example.test' })
    const error = await db
      .insert(users)
      .values({ name: 'Twice', email: 'once@example.test' })
      .then(() => null)
      .catch((e: Error & { cause?: Record<string, unknown> }) => e)
    const fields = (error?.cause ?? error) as Record<string, unknown>
    expect(fields.code).toBe('23505')
    expect(String(fields.constraint)).toMatch(/email/)
    // The connection is usable afterwards, also for a transaction.
    await db.transaction(async (tx) => {
      await tx.execute(sql`select 1`)
    })
  })

  it('answers the health ping before reports queued ahead of it, and keeps this event loop free', async () => {
    const finished: string[] = []
    const reports = Array.from({ length: 4 }, (_, i) => db.execute(heavy).then(() => finished.push(`report ${i + 1}`)))
    let turns = 0
    const ticking = setInterval(() => turns++, 0)
    const ping = thread.ping().then(() => finished.push('ping'))
    await Promise.all([...reports, ping])
    clearInterval(ticking)
    // The ping was sent last but waited for at most the report that was running.
    expect(finished.indexOf('ping')).toBeLessThan(finished.indexOf('report 3'))
    // While the worker computed four reports, this thread went on running timers.
    expect(turns).toBeGreaterThan(0)
  })

  it('takes a backup in the worker (pg_dump there) with row counts from the same instant', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'genjin-thread-backup-'))
    const { manifest } = await createBackup(thread, { dir, uploadsDir: path.join(dir, 'no-uploads') })
    expect(manifest.source.driver).toBe('pglite')
    expect(manifest.tables['public.users']).toBe(await db.$count(users))
    // The app's connection is back to normal after the dump (search path, no open transaction).
    await db.transaction(async (tx) => {
      await tx.insert(users).values({ name: 'After backup', email: 'after-backup@example.test' })
    })
    expect(await db.$count(users)).toBe(manifest.tables['public.users'] + 1)
  })
})
