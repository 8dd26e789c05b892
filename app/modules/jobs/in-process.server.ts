import { and, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { jobs } from '#db/schema'
import { DEFAULT_RETRY_DELAY_SECONDS, DEFAULT_RETRY_LIMIT, jobHandler, type JobData, type JobRunner, type Periodic, type SendOptions } from './jobs.server'

/** A job still `active` this long after it started is taken to have died with its process. */
const STALE_AFTER_MINUTES = 15
const POLL_MS = 2_000

const ClaimedJob = z.object({
  id: column.text,
  name: column.text,
  /** Checked per job (JobDataSchema), so that one bad payload fails its job, not the whole claim. */
  data: z.unknown(),
  retry_count: column.number,
  retry_limit: column.number,
  retry_delay: column.number,
})
const JobDataSchema = z.record(z.unknown()) satisfies z.ZodType<JobData>

/**
 * The runner for embedded PGlite: jobs live in our `jobs` table, one process polls it.
 * Claims use FOR UPDATE SKIP LOCKED, so it would stay correct with more than one worker.
 * Everything goes through the shared `db` (PGlite has a single connection).
 */
export class InProcessRunner implements JobRunner {
  readonly kind = 'in-process' as const
  private timers: NodeJS.Timeout[] = []
  private running: Promise<unknown> | undefined

  async send(name: string, data: JobData, options: SendOptions = {}, executor: Executor = db) {
    const [row] = await executor
      .insert(jobs)
      .values({
        name,
        data,
        singletonKey: options.singletonKey ?? null,
        retryLimit: options.retryLimit ?? DEFAULT_RETRY_LIMIT,
        retryDelay: DEFAULT_RETRY_DELAY_SECONDS,
        startAfter: options.startAfter ?? new Date(),
      })
      .onConflictDoNothing()
      .returning({ id: jobs.id })
    return row?.id ?? null
  }

  /**
   * Runs the jobs due at `now`, one after another, and returns how many completed and failed
   * (a failure with retries left counts as failed and is rescheduled with backoff).
   * Tests drive time through `now`.
   */
  async runDue(options: { now?: Date; limit?: number } = {}) {
    const now = options.now ?? new Date()
    const nowText = now.toISOString()
    await db.execute(sql`
      update ${jobs} set state = 'retry', start_after = ${nowText}::timestamptz, last_error = 'stale: the worker stopped'
      where state = 'active' and started_at < ${nowText}::timestamptz - make_interval(mins => ${STALE_AFTER_MINUTES})`)
    const claimed = parseRows(
      ClaimedJob,
      await db.execute(sql`
        update ${jobs} set state = 'active', started_at = ${nowText}::timestamptz
        where id in (
          select id from ${jobs}
          where state in ('created', 'retry') and start_after <= ${nowText}::timestamptz
          order by start_after
          limit ${options.limit ?? 20}
          for update skip locked)
        returning id, name, data, retry_count, retry_limit, retry_delay`),
    )
    let completed = 0
    let failed = 0
    for (const job of claimed) {
      try {
        const handler = jobHandler(job.name)
        if (!handler) throw new Error(`no handler for job ${job.name}`)
        await handler(JobDataSchema.parse(job.data ?? {}), { id: job.id, attempt: job.retry_count + 1, now })
        await db
          .update(jobs)
          .set({ state: 'completed', completedAt: new Date() })
          .where(and(eq(jobs.id, job.id), eq(jobs.state, 'active')))
        completed++
      } catch (error) {
        failed++
        const retry = job.retry_count < job.retry_limit
        const delaySeconds = job.retry_delay * 2 ** job.retry_count
        await db
          .update(jobs)
          .set({
            state: retry ? 'retry' : 'failed',
            retryCount: retry ? job.retry_count + 1 : job.retry_count,
            startAfter: retry ? new Date(now.getTime() + delaySeconds * 1000) : undefined,
            lastError: String(error instanceof Error ? (error.stack ?? error.message) : error).slice(0, 2000),
            completedAt: retry ? null : new Date(),
          })
          .where(eq(jobs.id, job.id))
        if (!retry) console.error(`job ${job.name} ${job.id} failed for good`, error)
      }
    }
    return { completed, failed }
  }

  async start(_handlers: unknown, periodic: readonly Periodic[]) {
    const tick = () => {
      // One pass at a time: a slow job must not let the next poll claim more behind it.
      if (this.running) return
      this.running = this.runDue()
        .catch((error) => console.error('background jobs: poll failed', error))
        .finally(() => (this.running = undefined))
    }
    this.timers.push(setInterval(tick, POLL_MS))
    for (const p of periodic) {
      const enqueue = () => this.send(p.name, {}, { singletonKey: p.name }).catch((error) => console.error(`background jobs: ${p.name}`, error))
      void enqueue()
      this.timers.push(setInterval(enqueue, p.everyMinutes * 60_000))
    }
    for (const timer of this.timers) timer.unref()
  }

  async stop() {
    for (const timer of this.timers) clearInterval(timer)
    this.timers = []
    await this.running
  }

  /** Deletes finished jobs older than `days` (run by the sweep). */
  async prune(now: Date, days = 7) {
    await db.execute(
      sql`delete from ${jobs} where state in ('completed', 'failed') and created_at < ${now.toISOString()}::timestamptz - make_interval(days => ${days})`,
    )
  }
}
