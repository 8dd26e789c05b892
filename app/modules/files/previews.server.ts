import { spawn } from 'node:child_process'
import { accessSync, constants, mkdtempSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { eq, sql } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { filePreviews, storedFiles, type PreviewStatus } from '#db/schema'
import { registerJobHandler, registerPeriodicJob, sendJob } from '~/modules/jobs/jobs.server'
import { PREVIEW_PURPOSE } from './access.server'
import { PDF_MIME, PPTX_MIME } from './files'
import { getStorage } from './storage.server'
import { cleanUpAbandonedUploads, storeServerFile } from './uploads.server'

export const CONVERT_JOB = 'files.convert-to-pdf'
export const CLEANUP_JOB = 'files.clean-up-uploads'
/** A conversion that takes longer than this is stopped and counts as failed. */
export const CONVERSION_TIME_LIMIT_MS = 120_000

/** LibreOffice's soffice on PATH (or SOFFICE_PATH), or undefined where it is not installed. */
export function findSoffice(): string | undefined {
  const candidates = [process.env.SOFFICE_PATH, ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => dir && path.join(dir, 'soffice'))]
  for (const candidate of candidates) {
    if (!candidate) continue
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

export class ConversionFailed extends Error {}

/**
 * Converts a PPTX to PDF with `soffice --headless --convert-to pdf`, with its own temporary
 * profile (so conversions never share or lock the user's profile) and a time limit after which
 * the whole process group is killed.
 */
export async function convertToPdf(input: Buffer, ext: string, options: { soffice?: string; timeLimitMs?: number } = {}) {
  const soffice = options.soffice ?? findSoffice()
  if (!soffice) throw new ConversionFailed('LibreOffice (soffice) is not installed')
  const dir = mkdtempSync(path.join(tmpdir(), 'genjin-convert-'))
  try {
    const source = path.join(dir, `slides.${ext}`)
    await writeFile(source, input)
    const profile = pathToFileURL(path.join(dir, 'profile')).href
    const args = [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--nolockcheck', '--convert-to', 'pdf', '--outdir', dir, source]
    await new Promise<void>((resolve, reject) => {
      const child = spawn(soffice, args, { cwd: dir, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOME: dir } })
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)))
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL')
        } catch {
          child.kill('SIGKILL')
        }
        reject(new ConversionFailed(`LibreOffice took longer than ${Math.round((options.timeLimitMs ?? CONVERSION_TIME_LIMIT_MS) / 1000)} s`))
      }, options.timeLimitMs ?? CONVERSION_TIME_LIMIT_MS)
      child.on('error', (error) => {
        clearTimeout(timer)
        reject(new ConversionFailed(error.message))
      })
      child.on('exit', (code) => {
        clearTimeout(timer)
        if (code === 0) resolve()
        else reject(new ConversionFailed(`LibreOffice exited with ${code}: ${stderr.trim()}`))
      })
    })
    const pdf = await readFile(path.join(dir, 'slides.pdf')).catch(() => {
      throw new ConversionFailed('LibreOffice wrote no PDF')
    })
    if (!pdf.subarray(0, 5).equals(Buffer.from('%PDF-'))) throw new ConversionFailed('LibreOffice wrote something that is not a PDF')
    return pdf
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Asks for a PDF rendering of a file (PPTX → PDF in a background job, enqueued only if `tx`
 * commits). A PDF needs none. Asking again after a failure or on a server that now has
 * LibreOffice tries again.
 */
export async function requestPdfPreview(tx: Executor, fileId: string) {
  const [file] = await tx.select({ mime: storedFiles.mime }).from(storedFiles).where(eq(storedFiles.id, fileId))
  if (!file || file.mime === PDF_MIME) return
  await tx
    .insert(filePreviews)
    .values({ fileId, status: 'pending' })
    .onConflictDoUpdate({
      target: filePreviews.fileId,
      set: { status: 'pending', error: null, updatedAt: new Date() },
      setWhere: sql`${filePreviews.status} <> 'ready'`,
    })
  await sendJob(CONVERT_JOB, { fileId }, { singletonKey: fileId, retryLimit: 1 }, tx)
}

export type Preview = { status: PreviewStatus; pdfFileId: string | null; error: string | null }

/**
 * What can be shown of a file: a PDF is its own preview; a PPTX has the status of its
 * conversion; null when nobody asked for one.
 */
export async function getPreview(fileId: string, executor: Executor = db): Promise<Preview | null> {
  const [row] = await executor
    .select({ mime: storedFiles.mime, status: filePreviews.status, pdfFileId: filePreviews.pdfFileId, error: filePreviews.error })
    .from(storedFiles)
    .leftJoin(filePreviews, eq(filePreviews.fileId, storedFiles.id))
    .where(eq(storedFiles.id, fileId))
  if (!row) return null
  if (row.mime === PDF_MIME) return { status: 'ready', pdfFileId: fileId, error: null }
  if (!row.status) return null
  return { status: row.status as PreviewStatus, pdfFileId: row.pdfFileId, error: row.error }
}

async function readAll(key: string) {
  const chunks: Buffer[] = []
  for await (const chunk of await getStorage().get(key)) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks)
}

async function setPreview(fileId: string, values: { status: PreviewStatus; error?: string | null; pdfFileId?: string | null }) {
  await db
    .update(filePreviews)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(filePreviews.fileId, fileId))
}

/** The job: converts one file, or records why it could not. */
export async function runConversion(fileId: string, options: { soffice?: string | null; timeLimitMs?: number } = {}) {
  const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, fileId))
  const preview = await getPreview(fileId)
  if (!file || !preview || preview.status === 'ready') return
  if (file.mime !== PPTX_MIME) return setPreview(fileId, { status: 'failed', error: `no converter for ${file.mime}` })
  const soffice = options.soffice === null ? undefined : (options.soffice ?? findSoffice())
  if (!soffice) return setPreview(fileId, { status: 'unavailable', error: 'LibreOffice is not installed' })
  try {
    const pdf = await convertToPdf(await readAll(file.storageKey), 'pptx', { soffice, timeLimitMs: options.timeLimitMs })
    await db.transaction(async (tx) => {
      const stored = await storeServerFile(tx, {
        body: pdf,
        purpose: PREVIEW_PURPOSE,
        name: file.name.replace(/\.[^.]*$/, '') + '.pdf',
        mime: PDF_MIME,
        createdBy: null,
      })
      await tx.update(filePreviews).set({ status: 'ready', pdfFileId: stored.id, error: null, updatedAt: new Date() }).where(eq(filePreviews.fileId, fileId))
    })
  } catch (error) {
    if (!(error instanceof ConversionFailed)) throw error
    await setPreview(fileId, { status: 'failed', error: error.message.slice(0, 500) })
  }
}

let registered = false

/** Registers the conversion job and the hourly cleanup of abandoned uploads (background.server.ts). */
export function registerFileJobs() {
  if (registered) return
  registered = true
  registerJobHandler<{ fileId: string }>(CONVERT_JOB, async ({ fileId }) => runConversion(fileId))
  registerJobHandler(CLEANUP_JOB, async () => {
    await cleanUpAbandonedUploads()
  })
  registerPeriodicJob(CLEANUP_JOB, 60)
}
