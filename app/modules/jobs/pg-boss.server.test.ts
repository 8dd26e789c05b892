/**
 * The pg-boss runner against real PostgreSQL. Runs only with TEST_DATABASE_URL (the merger's
 * PostgreSQL run); pg-boss works in this test file's own database.
 */
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db, rowsOf } from '#db/client.server'
import type { JobHandler } from './jobs.server'
import { PgBossRunner } from './pg-boss.server'

const adminUrl = process.env.TEST_DATABASE_URL

async function until(check: () => Promise<boolean> | boolean, what: string) {
  const deadline = Date.now() + 30_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

describe.skipIf(!adminUrl)('the pg-boss job runner (PostgreSQL)', () => {
  let runner: PgBossRunner
  const calls: Record<string, number> = { flaky: 0, once: 0 }
  const handlers = new Map<string, JobHandler>([
    [
      'test.pg.flaky',
      async () => {
        calls.flaky++
        if (calls.flaky === 1) throw new Error('first attempt fails')
      },
    ],
    [
      'test.pg.once',
      async () => {
        calls.once++
      },
    ],
  ])

  beforeAll(async () => {
    const [{ name }] = rowsOf<{ name: string }>(await db.execute(sql`select current_database() as name`))
    const url = new URL(adminUrl!)
    url.pathname = `/${name}`
    runner = new PgBossRunner(url.toString(), { retryDelaySeconds: 1, max: 2 })
    await runner.start(handlers, [])
  })
  afterAll(async () => {
    await runner?.stop()
  })

  it('retries a failing job until it succeeds', async () => {
    const id = await runner.send('test.pg.flaky', { n: 1 })
    expect(id).toBeTruthy()
    await until(async () => (await runner.boss.getJobById('test.pg.flaky', id!))?.state === 'completed', 'the retried job')
    expect(calls.flaky).toBe(2)
  })

  it('enqueues inside our transaction: a rollback leaves no job, a commit runs it once', async () => {
    await db
      .transaction(async (tx) => {
        await runner.send('test.pg.once', { rolledBack: true }, {}, tx)
        throw new Error('rollback')
      })
      .catch(() => {})
    const id = await db.transaction(async (tx) => runner.send('test.pg.once', { committed: true }, {}, tx))
    expect(id).toBeTruthy()
    await until(async () => (await runner.boss.getJobById('test.pg.once', id!))?.state === 'completed', 'the committed job')
    const jobs = rowsOf<{ data: Record<string, unknown> }>(await db.execute(sql`select data from pgboss.job where name = 'test.pg.once'`))
    expect(jobs.map((j) => j.data)).toEqual([{ committed: true }])
    expect(calls.once).toBe(1)
  })
})
