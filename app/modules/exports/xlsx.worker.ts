/**
 * Builds Excel files in a worker thread (decision 043): ExcelJS and its zip run for hundreds of
 * milliseconds on a large report, which in the web process held up every other request.
 */
import { parentPort } from 'node:worker_threads'
import { toXlsx, type Table } from './spreadsheet.server'

export type XlsxJob = { id: number; table: Table; sheetName: string; widths?: number[] }

parentPort!.on('message', async (job: XlsxJob) => {
  try {
    const buffer = await toXlsx(job.table, job.sheetName, job.widths)
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).slice()
    parentPort!.postMessage({ id: job.id, ok: true, bytes }, [bytes.buffer])
  } catch (error) {
    parentPort!.postMessage({ id: job.id, ok: false, message: (error as Error).message })
  }
})
