import { sql, type SQL } from 'drizzle-orm'
import PgBoss from 'pg-boss'
import { z } from 'zod'
import { type Executor } from '#db/client.server'
import { parseRows } from '#db/rows'
import { DEFAULT_RETRY_DELAY_SECONDS, DEFAULT_RETRY_LIMIT, type JobData, type JobHandler, type JobRunner, type Periodic, type SendOptions } from './jobs.server'

/**
 * pg-boss's SQL run through one of our drizzle executors, so a job is enqueued inside the
 * caller's transaction (and vanishes if it rolls back). pg-boss writes `$n` placeholders;
 * they become drizzle parameters, objects as JSON text.
 */
export function executorAdapter(executor: Executor): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const parts = text.split(/\$(\d+)/)
      const chunks: SQL[] = []
      parts.forEach((part, i) => {
        if (i % 2 === 0) {
          if (part) chunks.push(sql.raw(part))
        } else {
          const value = values[Number(part) - 1]
          const param = value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value
          chunks.push(sql`${param ?? null}`)
        }
      })
      // pg-boss's own statements: rows of any shape, read by pg-boss.
      return { rows: parseRows(z.unknown(), await executor.execute(sql.join(chunks))) }
    },
  }
}

/** pg-boss's schema (its default). */
const PGBOSS_SCHEMA = 'pgboss'

/** The runner on PostgreSQL: pg-boss with its own connection pool and schema (`pgboss`). */
export class PgBossRunner implements JobRunner {
  readonly kind = 'pg-boss' as const
  readonly boss: PgBoss
  private ready: Promise<void> | undefined
  private queues = new Map<string, Promise<void>>()

  private retryDelay: number

  constructor(connectionString: string, options: Partial<PgBoss.ConstructorOptions> & { retryDelaySeconds?: number } = {}) {
    const { retryDelaySeconds = DEFAULT_RETRY_DELAY_SECONDS, ...bossOptions } = options
    this.retryDelay = retryDelaySeconds
    this.boss = new PgBoss({ connectionString, max: 4, application_name: 'genjin-jobs', ...bossOptions })
    this.boss.on('error', (error) => console.error('pg-boss', error))
  }

  /** Starts pg-boss (creating or migrating its schema) on first use. */
  private async ensureStarted() {
    this.ready ??= this.boss.start().then(() => undefined)
    await this.ready
  }

  /** pg-boss 10 drops jobs sent to a queue that does not exist; create each queue once. */
  private async ensureQueue(name: string) {
    await this.ensureStarted()
    let created = this.queues.get(name)
    if (!created) {
      created = this.createQueue(name).catch((error: unknown) => {
        // Not remembered as created: the next send or start tries again.
        this.queues.delete(name)
        throw error
      })
      this.queues.set(name, created)
    }
    await created
  }

  /**
   * Two app instances starting on one database create the same queues at the same moment, and
   * PostgreSQL may pick one of them as a deadlock victim (40P01; seen in
   * `npm run bench:check-in -- --instances 2`: that instance then ran no jobs at all). The other
   * one commits, so trying again finds the queue there.
   */
  private async createQueue(name: string) {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.boss.createQueue(name, { name, retryLimit: DEFAULT_RETRY_LIMIT, retryDelay: this.retryDelay, retryBackoff: true })
        return
      } catch (error) {
        const code = (error as { code?: string }).code
        if (attempt >= 5 || (code !== '40P01' && code !== '23505' && code !== '40001')) throw error
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50))
      }
    }
  }

  async send(name: string, data: JobData, options: SendOptions = {}, executor?: Executor) {
    await this.ensureQueue(name)
    const db = executor ? executorAdapter(executor) : this.boss.getDb()
    // pg-boss 10 keeps one job per singleton key only under its 'short'/'stately' queue policies,
    // which limit keyless jobs too (one waiting job per queue); our queues are 'standard'. The
    // contract (one waiting job per name and key) is kept here. Two sends racing may both enqueue:
    // handlers are idempotent (see jobs.server.ts).
    if (options.singletonKey) {
      const waiting = await db.executeSql(
        `select 1 from ${PGBOSS_SCHEMA}.job where name = $1 and singleton_key = $2 and state in ('created', 'retry') limit 1`,
        [name, options.singletonKey],
      )
      if (waiting.rows.length > 0) return null
    }
    return this.boss.send(name, data, {
      startAfter: options.startAfter,
      singletonKey: options.singletonKey,
      retryLimit: options.retryLimit ?? DEFAULT_RETRY_LIMIT,
      retryDelay: this.retryDelay,
      retryBackoff: true,
      ...(executor ? { db } : {}),
    })
  }

  async start(handlers: ReadonlyMap<string, JobHandler>, periodic: readonly Periodic[]) {
    await this.ensureStarted()
    for (const [name, handler] of handlers) {
      await this.ensureQueue(name)
      await this.boss.work<JobData>(name, { batchSize: 1, pollingIntervalSeconds: 2, includeMetadata: true }, async ([job]) => {
        await handler(job.data ?? {}, { id: job.id, attempt: job.retryCount + 1, now: new Date() })
      })
    }
    for (const p of periodic) {
      await this.ensureQueue(p.name)
      // pg-boss keeps schedules in its tables: one enqueue per minute slot whatever the number of instances.
      await this.boss.schedule(p.name, `*/${p.everyMinutes} * * * *`, {}, { singletonKey: p.name })
    }
  }

  async stop() {
    if (!this.ready) return
    await this.boss.stop({ graceful: true, timeout: 10_000 })
    this.ready = undefined
    this.queues.clear()
  }
}
