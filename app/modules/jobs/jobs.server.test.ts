import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { jobs } from '#db/schema'
import { InProcessRunner } from './in-process.server'
import { registerJobHandler, sendJob, useJobRunner } from './jobs.server'

const runner = new InProcessRunner()
beforeAll(() => useJobRunner(runner))
afterAll(() => useJobRunner(undefined))

async function jobRow(id: string) {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id))
  return row
}

describe('the in-process job runner', () => {
  it('runs a due job once, however often it polls', async () => {
    const seen: unknown[] = []
    registerJobHandler('test.once', async (data) => {
      seen.push(data)
    })
    const now = new Date('2030-01-01T00:00:00Z')
    const id = (await sendJob('test.once', { n: 1 }, { startAfter: now }))!
    expect(await runner.runDue({ now: new Date(now.getTime() - 1000) })).toEqual({ completed: 0, failed: 0 })
    const [first, second] = await Promise.all([runner.runDue({ now }), runner.runDue({ now })])
    expect(first.completed + second.completed).toBe(1)
    await runner.runDue({ now: new Date(now.getTime() + 86_400_000) })
    expect(seen).toEqual([{ n: 1 }])
    expect(await jobRow(id)).toMatchObject({ state: 'completed', retryCount: 0 })
  })

  it('retries a failing job with a growing delay, then completes it', async () => {
    let calls = 0
    const attempts: number[] = []
    registerJobHandler('test.flaky', async (_data, context) => {
      calls++
      attempts.push(context.attempt)
      if (calls < 3) throw new Error('SMTP hiccup')
    })
    const t0 = new Date('2031-01-01T00:00:00Z')
    const id = (await sendJob('test.flaky', {}, { startAfter: t0 }))!
    expect(await runner.runDue({ now: t0 })).toEqual({ completed: 0, failed: 1 })
    const afterFirst = await jobRow(id)
    expect(afterFirst).toMatchObject({ state: 'retry', retryCount: 1, lastError: expect.stringContaining('SMTP hiccup') })
    expect(afterFirst.startAfter.getTime() - t0.getTime()).toBe(30_000)
    // Not before its backoff has passed.
    expect(await runner.runDue({ now: new Date(t0.getTime() + 29_000) })).toEqual({ completed: 0, failed: 0 })
    const t1 = new Date(t0.getTime() + 30_000)
    expect(await runner.runDue({ now: t1 })).toEqual({ completed: 0, failed: 1 })
    const afterSecond = await jobRow(id)
    expect(afterSecond.startAfter.getTime() - t1.getTime()).toBe(60_000)
    expect(await runner.runDue({ now: new Date(t1.getTime() + 60_000) })).toEqual({ completed: 1, failed: 0 })
    expect(attempts).toEqual([1, 2, 3])
    expect(await jobRow(id)).toMatchObject({ state: 'completed', retryCount: 2 })
  })

  it('gives up after the retry limit', async () => {
    let calls = 0
    registerJobHandler('test.broken', async () => {
      calls++
      throw new Error('always')
    })
    const t = new Date('2032-01-01T00:00:00Z')
    const id = (await sendJob('test.broken', {}, { startAfter: t, retryLimit: 1 }))!
    await runner.runDue({ now: t })
    await runner.runDue({ now: new Date(t.getTime() + 3600_000) })
    await runner.runDue({ now: new Date(t.getTime() + 7200_000) })
    expect(calls).toBe(2)
    expect(await jobRow(id)).toMatchObject({ state: 'failed' })
  })

  it('keeps one waiting job per singleton key', async () => {
    const t = new Date('2033-01-01T00:00:00Z')
    const first = await sendJob('test.single', {}, { startAfter: t, singletonKey: 'k' })
    const second = await sendJob('test.single', {}, { startAfter: t, singletonKey: 'k' })
    expect(first).toBeTruthy()
    expect(second).toBeNull()
  })

  it('enqueues with the transaction: a rollback leaves no job', async () => {
    await db
      .transaction(async (tx) => {
        await sendJob('test.rolled-back', {}, {}, tx)
        throw new Error('rollback')
      })
      .catch(() => {})
    expect(await db.select().from(jobs).where(eq(jobs.name, 'test.rolled-back'))).toEqual([])
  })

  it('takes back a job whose worker died while running it', async () => {
    const t = new Date('2034-01-01T00:00:00Z')
    let calls = 0
    registerJobHandler('test.stale', async () => {
      calls++
    })
    const id = (await sendJob('test.stale', {}, { startAfter: t }))!
    await db.update(jobs).set({ state: 'active', startedAt: t }).where(eq(jobs.id, id))
    await runner.runDue({ now: new Date(t.getTime() + 5 * 60_000) })
    expect(calls).toBe(0)
    await runner.runDue({ now: new Date(t.getTime() + 16 * 60_000) })
    expect(calls).toBe(1)
  })
})
