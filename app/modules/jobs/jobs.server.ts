import type { Executor } from '#db/client.server'
import { env } from '~/env.server'

/**
 * Background jobs behind one interface: pg-boss on PostgreSQL (DATABASE_URL set), an
 * in-process runner over our own `jobs` table on embedded PGlite. See docs/decisions/008.
 *
 * A job may run more than once (a retry after a crash, two app instances sending the same
 * job): handlers make every email or notification idempotent in the database (see
 * `notify` with a `dedupeKey`), inserted in the same transaction as the email is queued.
 */
export type JobData = Record<string, unknown>
export type SendOptions = {
  /** Not before this instant. */
  startAfter?: Date
  /** At most one waiting or running job per name and key. */
  singletonKey?: string
  /** Retries after the first failure (default 3), with backoff. */
  retryLimit?: number
}
export type JobContext = { id: string; attempt: number; now: Date }
export type JobHandler<T extends JobData = JobData> = (data: T, context: JobContext) => Promise<void>

export interface JobRunner {
  readonly kind: 'pg-boss' | 'in-process'
  /**
   * Enqueues a job. With `executor` a transaction, the job is enqueued only if it commits
   * (pg-boss runs its insert through the same transaction). Returns the job id, or null when
   * a job with the same singleton key is already waiting.
   */
  send(name: string, data: JobData, options?: SendOptions, executor?: Executor): Promise<string | null>
  /** Starts working the registered handlers (and periodic jobs). */
  start(handlers: ReadonlyMap<string, JobHandler>, periodic: readonly Periodic[]): Promise<void>
  stop(): Promise<void>
  /** Deletes old finished jobs, where the runner does not do it itself (pg-boss does). */
  prune?(now: Date): Promise<void>
}

export type Periodic = { name: string; everyMinutes: number }

export const DEFAULT_RETRY_LIMIT = 3
export const DEFAULT_RETRY_DELAY_SECONDS = 30

const handlers = new Map<string, JobHandler>()
const periodic: Periodic[] = []
let runner: JobRunner | undefined
let started = false

/** Registers the handler for a job name (before or after start). */
export function registerJobHandler<T extends JobData>(name: string, handler: JobHandler<T>) {
  handlers.set(name, handler as JobHandler)
}

/** A job enqueued every `everyMinutes` minutes (once across all app instances). */
export function registerPeriodicJob(name: string, everyMinutes: number) {
  if (!periodic.some((p) => p.name === name)) periodic.push({ name, everyMinutes })
}

export function jobHandler(name: string) {
  return handlers.get(name)
}

/** The runner of this process: pg-boss with DATABASE_URL, else in-process (made on first use). */
export async function jobRunner(): Promise<JobRunner> {
  if (!runner) {
    // Tests bring their own database through useConnection, never DATABASE_URL's.
    const url = process.env.VITEST ? undefined : env().DATABASE_URL
    if (url) {
      const { PgBossRunner } = await import('./pg-boss.server')
      runner = new PgBossRunner(url)
    } else {
      const { InProcessRunner } = await import('./in-process.server')
      runner = new InProcessRunner()
    }
  }
  return runner
}

/** Replaces the runner (tests, or a script that wants another one). */
export function useJobRunner(next: JobRunner | undefined) {
  runner = next
  started = false
}

/** Enqueues a job on the process's runner; see JobRunner.send. */
export async function sendJob(name: string, data: JobData, options: SendOptions = {}, executor?: Executor) {
  return (await jobRunner()).send(name, data, options, executor)
}

/** Starts the runner with every registered handler. Idempotent. */
export async function startJobs() {
  if (started) return
  started = true
  await (await jobRunner()).start(handlers, periodic)
}

export async function stopJobs() {
  if (!started || !runner) return
  started = false
  await runner.stop()
}
