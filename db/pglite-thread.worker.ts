/**
 * PGlite in a worker thread (decision 043). PGlite executes SQL synchronously in WebAssembly: in the
 * web process a heavy report query froze the event loop, so no other request — not even /healthz —
 * was answered until it finished. Here the queries run in this thread; the web process only sends
 * messages (db/pglite-thread.ts).
 *
 * Operations outside a transaction go through one queue, taken one at a time; a `ping` (the health
 * check's `select 1`) jumps the queue, so it waits for at most the query that is running, not for
 * every report queued behind it. Inside a transaction, queries run as they arrive: PGlite's own
 * transaction lock keeps everyone else out until the transaction ends.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import { dumpPglite } from '../app/modules/backups/pglite-dump.server'

export type Request =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; rowMode?: 'array' | 'object'; rawOids?: number[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'ping' }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' }

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: Record<string, unknown> }

const port = parentPort!
const pg = new PGlite((workerData as { dataDir: string }).dataDir)

function serializeError(error: unknown): Record<string, unknown> {
  const e = error instanceof Error ? error : new Error(String(error))
  const out: Record<string, unknown> = { message: e.message, name: e.name, stack: e.stack }
  // DatabaseError's fields: code, detail, constraint, table, column, severity, hint, position…
  for (const [key, value] of Object.entries(e)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) out[key] = value
  }
  return out
}

const reply = (message: Reply) => port.postMessage(message)

async function answer(id: number, run: () => Promise<unknown>) {
  try {
    reply({ id, ok: true, value: await run() })
  } catch (error) {
    reply({ id, ok: false, error: serializeError(error) })
  }
}

/** drizzle passes identity parsers (keep dates and intervals as text); functions cannot cross threads. */
function queryOptions(message: Extract<Request, { op: 'query' }>) {
  const parsers = Object.fromEntries((message.rawOids ?? []).map((oid) => [oid, (value: string) => value]))
  return { rowMode: message.rowMode, parsers }
}

let nextTx = 1
const transactions = new Map<number, { tx: Transaction; finish: (commit: boolean) => void; endId?: number }>()

function runIn(target: PGlite | Transaction, message: Extract<Request, { op: 'query' | 'exec' }>) {
  if (message.op === 'exec') return target.exec(message.sql)
  return target.query(message.sql, message.params ?? [], queryOptions(message))
}

/** Runs a whole transaction: answers `begin` once inside, then waits for `end` from the web process. */
function transaction(beginId: number) {
  const txId = nextTx++
  return pg
    .transaction(async (tx) => {
      const commit = await new Promise<boolean>((finish) => {
        transactions.set(txId, { tx, finish })
        reply({ id: beginId, ok: true, value: txId })
      })
      if (!commit) await tx.rollback()
    })
    .then(
      () => {
        const endId = transactions.get(txId)?.endId
        transactions.delete(txId)
        if (endId !== undefined) reply({ id: endId, ok: true, value: null })
      },
      (error: unknown) => {
        const entry = transactions.get(txId)
        transactions.delete(txId)
        // Failed before it began (answer `begin`) or at commit (answer `end`).
        reply({ id: entry?.endId ?? beginId, ok: false, error: serializeError(error) })
      },
    )
}

const queue: Request[] = []
let pumping = false

async function handle(message: Request) {
  switch (message.op) {
    case 'query':
    case 'exec':
      return answer(message.id, () => runIn(pg, message))
    case 'ping':
      return answer(message.id, async () => (await pg.query('select 1 as ok')).rows.length === 1)
    case 'begin':
      return transaction(message.id)
    case 'dump':
      return answer(message.id, () => dumpPglite(pg))
    case 'close':
      return answer(message.id, () => pg.close())
    default:
      return undefined
  }
}

async function pump() {
  if (pumping) return
  pumping = true
  while (queue.length) {
    await handle(queue.shift()!)
    // Let messages that arrived while the query ran (a ping) into the queue before the next one.
    await new Promise((resolve) => setImmediate(resolve))
  }
  pumping = false
}

port.on('message', (message: Request) => {
  if ((message.op === 'query' || message.op === 'exec') && message.tx !== undefined) {
    const entry = transactions.get(message.tx)
    if (!entry) return reply({ id: message.id, ok: false, error: { message: 'the transaction has ended' } })
    void answer(message.id, () => runIn(entry.tx, message))
    return
  }
  if (message.op === 'end') {
    const entry = transactions.get(message.tx)
    if (!entry) return reply({ id: message.id, ok: false, error: { message: 'the transaction has ended' } })
    entry.endId = message.id
    entry.finish(message.commit)
    return
  }
  if (message.op === 'ping') queue.unshift(message)
  else queue.push(message)
  void pump()
})

pg.waitReady.then(
  () => port.postMessage({ ready: true }),
  (error: unknown) => port.postMessage({ ready: false, error: serializeError(error) }),
)
