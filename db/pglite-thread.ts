/**
 * The web process's side of PGlite in a worker thread (decision 043): the few methods drizzle's
 * PGlite driver calls (`query`, `exec`, `transaction`), plus `ping` for the health check and `dump`
 * for backups, each a message to db/pglite-thread.worker.ts.
 */
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { PGlite, QueryOptions, Results } from '@electric-sql/pglite'
import type { Dumped } from '../app/modules/backups/pglite-dump.server'
import type { Reply, Request } from './pglite-thread.worker'

type Body = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never

/** Rebuilds the error PGlite threw in the worker (DatabaseError's code, constraint, detail…). */
function rebuildError(fields: Record<string, unknown>) {
  const error = new Error(String(fields.message ?? 'PGlite worker error'))
  Object.assign(error, fields)
  return error
}

export class PGliteThread {
  private worker: Worker
  private nextId = 1
  private pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  private failed: Error | undefined
  readonly waitReady: Promise<void>

  constructor(dataDir: string) {
    const file = path.resolve(process.env.GENJIN_PGLITE_WORKER ?? 'db/pglite-thread.worker.mjs')
    // A JavaScript entry that loads the TypeScript worker through tsx, whatever started us (npm start, vitest).
    this.worker = new Worker(file, { workerData: { dataDir } })
    let notReady: (error: Error) => void = () => {}
    this.waitReady = new Promise<void>((resolve, reject) => {
      notReady = reject
      const onReady = (message: { ready?: boolean; error?: Record<string, unknown> }) => {
        if (message.ready === undefined) return
        this.worker.off('message', onReady)
        if (message.ready) {
          if (this.pending.size === 0) this.worker.unref()
          resolve()
        } else reject(rebuildError(message.error ?? {}))
      }
      this.worker.on('message', onReady)
    })
    this.waitReady.catch(() => {})
    this.worker.on('message', (message: Reply | { ready: boolean }) => {
      if (!('id' in message)) return
      const waiting = this.pending.get(message.id)
      if (!waiting) return
      this.pending.delete(message.id)
      if (message.ok) waiting.resolve(message.value)
      else waiting.reject(rebuildError(message.error))
    })
    const fail = (error: Error) => {
      this.failed = error
      notReady(error)
      for (const waiting of this.pending.values()) waiting.reject(error)
      this.pending.clear()
    }
    this.worker.on('error', fail)
    this.worker.on('exit', (code) => fail(new Error(`the PGlite worker thread exited (code ${code})`)))
    // Once ready, an idle worker must not keep a finished script alive; pending calls keep it referenced.
  }

  private async call<T>(body: Body): Promise<T> {
    await this.waitReady
    if (this.failed) throw this.failed
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref()
      this.pending.set(id, {
        resolve: (value) => {
          if (this.pending.size === 0) this.worker.unref()
          resolve(value as T)
        },
        reject: (error) => {
          if (this.pending.size === 0) this.worker.unref()
          reject(error)
        },
      })
      this.worker.postMessage({ ...body, id })
    })
  }

  private queryIn<T>(tx: number | undefined, sql: string, params?: unknown[], options?: QueryOptions) {
    return this.call<Results<T>>({
      op: 'query',
      sql,
      params,
      rowMode: options?.rowMode,
      rawOids: options?.parsers ? Object.keys(options.parsers).map(Number) : undefined,
      tx,
    })
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions) {
    return this.queryIn<T>(undefined, sql, params, options)
  }

  exec(sql: string) {
    return this.call<Results[]>({ op: 'exec', sql })
  }

  /** `select 1` ahead of every queued query: waits only for the query that is running. */
  ping() {
    return this.call<boolean>({ op: 'ping' })
  }

  /** The backup's dump, taken in the worker (pg_dump needs synchronous access to PGlite). */
  dump() {
    return this.call<Dumped>({ op: 'dump' })
  }

  async transaction<T>(run: (tx: { query: PGliteThread['query']; exec: PGliteThread['exec']; rollback: () => Promise<void> }) => Promise<T>): Promise<T> {
    const txId = await this.call<number>({ op: 'begin' })
    let rolledBack = false
    const tx = {
      query: <R>(sql: string, params?: unknown[], options?: QueryOptions) => this.queryIn<R>(txId, sql, params, options),
      exec: (sql: string) => this.call<Results[]>({ op: 'exec', sql, tx: txId }),
      rollback: async () => {
        rolledBack = true
      },
    }
    let result: T
    try {
      result = await run(tx)
    } catch (error) {
      await this.call({ op: 'end', tx: txId, commit: false }).catch(() => {})
      throw error
    }
    await this.call({ op: 'end', tx: txId, commit: !rolledBack })
    return result
  }

  async close() {
    try {
      await this.call({ op: 'close' })
    } finally {
      await this.worker.terminate()
    }
  }

  /** For drizzle's type: the driver only calls the methods above. */
  asPGlite() {
    return this as unknown as PGlite
  }
}
