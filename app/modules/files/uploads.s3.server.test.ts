import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { useS3Storage } from '../../../tests/setup/s3-server'
import { PDF_MIME } from './files'
import { makePdf } from '../../../tests/setup/files/fixtures'
import { createTusUpload, patchTusUpload, tusRequest } from '../../../tests/setup/files/tus'
import { getStorage } from './storage.server'
import { claimUpload } from './uploads.server'

process.env.UPLOADS_DIR = mkdtempSync(path.join(tmpdir(), 'genjin-files-s3-'))

// The same upload path with S3_* set: the upload is staged on disk, then claimed into a real
// S3-protocol server started here.
useS3Storage('genjin-uploads')

describe('uploads on S3-compatible storage', () => {
  it('resumes a tus upload and claims it into the bucket', async () => {
    expect(getStorage().kind).toBe('s3')
    const member = await createPerson()
    const pdf = await makePdf(3)
    const { response, id } = await createTusUpload(member, pdf.length, { purpose: 'slides', filename: 'deck.pdf' })
    expect(response.status).toBe(201)
    expect((await patchTusUpload(member, id, 0, pdf.subarray(0, 2000))).status).toBe(204)
    const head = await tusRequest(member, `/uploads/tus/${id}`, { method: 'HEAD' })
    expect(head.headers.get('Upload-Offset')).toBe('2000')
    expect((await patchTusUpload(member, id, 2000, pdf.subarray(2000))).status).toBe(204)

    const file = await db.transaction((tx) => claimUpload(tx, member, id, { purpose: 'slides' }))
    expect(file).toMatchObject({ mime: PDF_MIME, size: pdf.length })
    const chunks: Buffer[] = []
    for await (const c of await getStorage().get(file.storageKey)) chunks.push(Buffer.from(c))
    expect(Buffer.concat(chunks).equals(pdf)).toBe(true)
    // The staged upload on the app server's disk is gone once it is in the bucket (docs/decisions/048).
    expect(existsSync(path.join(process.env.UPLOADS_DIR!, 'tus', id))).toBe(false)
  })
})
