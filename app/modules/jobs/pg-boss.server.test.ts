/**
 * The pg-boss runner against real PostgreSQL. Runs only with TEST_DATABASE_URL (the merger's
 * PostgreSQL run); pg-boss works in this test file's own database.
 */
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { emails } from '#db/schema'
import { registerNotificationJobs, runSweep } from '~/jobs.server'
import { inviteAudience, respondToInvitation } from '~/modules/sessions/invitations.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { scheduleSession } from '../../../tests/setup/sessions'
import { registerJobHandler, startJobs, stopJobs, useJobRunner, type JobHandler } from './jobs.server'
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
    ['test.pg.single', async () => {}],
  ])

  beforeAll(async () => {
    const [{ name }] = parseRows(z.object({ name: column.text }), await db.execute(sql`select current_database() as name`))
    const url = new URL(adminUrl!)
    url.pathname = `/${name}`
    runner = new PgBossRunner(url.toString(), { retryDelaySeconds: 1, max: 2 })
    for (const [name, handler] of handlers) registerJobHandler(name, handler)
    registerNotificationJobs()
    useJobRunner(runner)
    await startJobs()
  })
  afterAll(async () => {
    await stopJobs()
    useJobRunner(undefined)
  })

  it('retries a failing job until it succeeds', async () => {
    const id = await runner.send('test.pg.flaky', { n: 1 })
    expect(id).toBeTruthy()
    await until(async () => (await runner.boss.getJobById('test.pg.flaky', id!))?.state === 'completed', 'the retried job')
    expect(calls.flaky).toBe(2)
  })

  it('keeps one waiting job per singleton key (pg-boss alone would enqueue each), and takes a new one once it ran', async () => {
    const later = new Date(Date.now() + 3_600_000)
    const first = await runner.send('test.pg.single', { n: 1 }, { singletonKey: 'pg-single', startAfter: later })
    expect(first).toBeTruthy()
    expect(await runner.send('test.pg.single', { n: 2 }, { singletonKey: 'pg-single', startAfter: later })).toBeNull()
    expect(await db.transaction(async (tx) => runner.send('test.pg.single', { n: 3 }, { singletonKey: 'pg-single' }, tx))).toBeNull()
    // Another key is another job.
    const other = await runner.send('test.pg.single', { n: 4 }, { singletonKey: 'pg-other', startAfter: later })
    expect(other).toBeTruthy()
    await runner.boss.cancel('test.pg.single', [first!, other!])
    expect(await runner.send('test.pg.single', { n: 5 }, { singletonKey: 'pg-single', startAfter: later })).toBeTruthy()
    const waiting = parseRows(
      z.object({ data: z.record(z.unknown()) }),
      await db.execute(sql`select data from pgboss.job where name = 'test.pg.single' and singleton_key = 'pg-single' and state = 'created'`),
    )
    expect(waiting.map((j) => j.data)).toEqual([{ n: 5 }])
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
    const jobs = parseRows(z.object({ data: z.record(z.unknown()) }), await db.execute(sql`select data from pgboss.job where name = 'test.pg.once'`))
    expect(jobs.map((j) => j.data)).toEqual([{ committed: true }])
    expect(calls.once).toBe(1)
  })

  it('sends a session reminder through pg-boss once, whether the scheduled job or the sweep delivers it', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const person = await createPerson()
    // Starts in 30 minutes: the 1-hour reminder is due at once.
    const { sessionId } = await scheduleSession(hr, { startsAt: new Date(Date.now() + 30 * 60_000) })
    await inviteAudience(hr, sessionId, { userIds: [person.id] })
    await respondToInvitation(person, sessionId, 'accept')
    // The job queued at scheduling may have run before the acceptance; the sweep's job catches up.
    await runSweep()
    const reminded = async () =>
      (
        await db
          .select()
          .from(emails)
          .where(and(eq(emails.toUserId, person.id), eq(emails.kind, 'session_reminder')))
      ).length
    await until(async () => (await reminded()) > 0, 'the reminder email')
    // Another sweep and a few polls later, still one.
    await runSweep()
    await new Promise((resolve) => setTimeout(resolve, 3000))
    expect(await reminded()).toBe(1)
  })
})
