import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { jobs } from '#db/schema'
import { InProcessRunner } from '~/modules/jobs/in-process.server'
import { useJobRunner } from '~/modules/jobs/jobs.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { PDF_MIME, PPTX_MIME } from './files'
import { CONVERT_JOB, convertToPdf, findSoffice, getPreview, registerFileJobs, requestPdfPreview, runConversion } from './previews.server'
import { getStorage } from './storage.server'
import { makePptx } from '../../../tests/setup/files/fixtures'
import { storeServerFile } from './uploads.server'

process.env.UPLOADS_DIR = mkdtempSync(path.join(tmpdir(), 'genjin-files-previews-'))

const runner = new InProcessRunner()
beforeAll(() => {
  useJobRunner(runner)
  registerFileJobs()
})
afterAll(() => useJobRunner(undefined))

const soffice = findSoffice()
// CI installs LibreOffice (.ci/run) and must run the conversion; only a developer machine without it skips.
if (!soffice && process.env.CI) throw new Error('LibreOffice (soffice) is required in CI: apt-get install libreoffice-impress')

describe('PDF previews', () => {
  it.skipIf(!soffice)('converts a PPTX to PDF in a background job with LibreOffice (needs soffice)', { timeout: 240_000 }, async () => {
    const member = await createPerson()
    const pptx = await makePptx(3, 'Case 4')
    const file = await db.transaction((tx) =>
      storeServerFile(tx, { body: pptx, purpose: 'slides', name: 'group 2.pptx', mime: PPTX_MIME, createdBy: member.id }),
    )
    await db.transaction((tx) => requestPdfPreview(tx, file.id))
    expect(await getPreview(file.id)).toMatchObject({ status: 'pending' })
    expect(await db.select().from(jobs).where(eq(jobs.name, CONVERT_JOB))).toHaveLength(1)

    expect(await runner.runDue({ now: new Date(Date.now() + 1000) })).toMatchObject({ completed: 1, failed: 0 })
    const preview = await getPreview(file.id)
    expect(preview).toMatchObject({ status: 'ready', error: null })
    const chunks: Buffer[] = []
    const [rendering] = await db.query.storedFiles.findMany({ where: (f, { eq }) => eq(f.id, preview!.pdfFileId!) })
    expect(rendering).toMatchObject({ mime: PDF_MIME, name: 'group 2.pdf', purpose: 'preview' })
    for await (const c of await getStorage().get(rendering.storageKey)) chunks.push(Buffer.from(c))
    const pdf = Buffer.concat(chunks)
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
    const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), isEvalSupported: false }).promise
    expect(doc.numPages).toBe(3)
    await doc.destroy()
  })

  it.skipIf(!soffice)('stops a conversion that exceeds its time limit and records the failure', { timeout: 120_000 }, async () => {
    await expect(convertToPdf(await makePptx(1), 'pptx', { soffice, timeLimitMs: 1 })).rejects.toThrow(/longer than/)
  })

  it('says "unavailable" where LibreOffice is missing, and a PDF is its own preview', async () => {
    const member = await createPerson()
    const file = await db.transaction((tx) =>
      storeServerFile(tx, { body: Buffer.from('not really a deck'), purpose: 'slides', name: 'x.pptx', mime: PPTX_MIME, createdBy: member.id }),
    )
    await db.transaction((tx) => requestPdfPreview(tx, file.id))
    await runConversion(file.id, { soffice: null })
    expect(await getPreview(file.id)).toMatchObject({ status: 'unavailable', pdfFileId: null })

    const pdf = await db.transaction((tx) =>
      storeServerFile(tx, { body: Buffer.from('%PDF-1.4'), purpose: 'slides', name: 'y.pdf', mime: PDF_MIME, createdBy: member.id }),
    )
    expect(await getPreview(pdf.id)).toEqual({ status: 'ready', pdfFileId: pdf.id, error: null })
  })

  it.skipIf(!soffice)('records a failed conversion of a file LibreOffice cannot read', { timeout: 120_000 }, async () => {
    const member = await createPerson()
    const file = await db.transaction((tx) =>
      storeServerFile(tx, { body: Buffer.from('PK\u0003\u0004 broken'), purpose: 'slides', name: 'broken.pptx', mime: PPTX_MIME, createdBy: member.id }),
    )
    await db.transaction((tx) => requestPdfPreview(tx, file.id))
    await runConversion(file.id)
    expect(await getPreview(file.id)).toMatchObject({ status: 'failed' })
  })
})
