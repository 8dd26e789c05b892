import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { Table } from './spreadsheet.server'
import type { XlsxJob } from './xlsx.worker'

type Done = { id: number; ok: true; bytes: Uint8Array<ArrayBuffer> } | { id: number; ok: false; message: string }

let worker: Worker | undefined
let nextId = 1
const pending = new Map<number, { resolve: (bytes: Uint8Array<ArrayBuffer>) => void; reject: (error: Error) => void }>()

function start() {
  const w = new Worker(path.resolve(process.env.GENJIN_XLSX_WORKER ?? 'app/modules/exports/xlsx.worker.mjs'))
  w.on('message', (done: Done) => {
    const waiting = pending.get(done.id)
    if (!waiting) return
    pending.delete(done.id)
    if (pending.size === 0) w.unref()
    if (done.ok) waiting.resolve(done.bytes)
    else waiting.reject(new Error(done.message))
  })
  const fail = (error: Error) => {
    if (worker === w) worker = undefined
    for (const waiting of pending.values()) waiting.reject(error)
    pending.clear()
  }
  w.on('error', fail)
  w.on('exit', (code) => fail(new Error(`the Excel worker thread exited (code ${code})`)))
  w.unref()
  return w
}

/**
 * The Excel file for a table, built in a worker thread (one, started on first use, jobs in turn):
 * the web process's event loop stays free for other requests while ExcelJS works.
 */
export function xlsxInThread(table: Table, sheetName: string, widths?: number[]): Promise<Uint8Array<ArrayBuffer>> {
  worker ??= start()
  const w = worker
  const id = nextId++
  return new Promise<Uint8Array<ArrayBuffer>>((resolve, reject) => {
    pending.set(id, { resolve, reject })
    w.ref()
    const job: XlsxJob = { id, table, sheetName, widths }
    w.postMessage(job)
  })
}
