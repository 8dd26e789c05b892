import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { count, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { storedFiles } from '#db/schema'
import { translator } from '~/i18n'
import { createPerson } from '../../../tests/setup/fixtures'
import { PDF_MIME, PPTX_MIME } from './files'
import { makeExecutable, makeManyEntriesPptx, makePdf, makePptx, makeZipBombPptx } from '../../../tests/setup/files/fixtures'
import { createTusUpload, patchTusUpload, tusRequest, tusUpload } from '../../../tests/setup/files/tus'
import { getStorage } from './storage.server'
import { parseEnv } from '~/env.server'
import { claimUpload, cleanUpAbandonedUploads, UPLOAD_EXPIRY_MS, uploadLimit, UploadRejected, uploadRejectionMessage } from './uploads.server'

// Uploads of this file land in a temporary directory, never in data/.
process.env.UPLOADS_DIR = mkdtempSync(path.join(tmpdir(), 'genjin-files-'))

async function bytesOf(key: string) {
  const chunks: Buffer[] = []
  for await (const c of await getStorage().get(key)) chunks.push(Buffer.from(c))
  return Buffer.concat(chunks)
}

async function fileCount() {
  const [{ n }] = await db.select({ n: count() }).from(storedFiles)
  return n
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(UploadRejected)
  return error as UploadRejected
}

describe('resumable uploads and claiming them', () => {
  it('resumes an interrupted upload from the offset the server kept, and claims it as a stored file', async () => {
    const member = await createPerson()
    const pdf = await makePdf(3)
    const { response, id } = await createTusUpload(member, pdf.length, { purpose: 'slides', filename: '第一组 slides.pdf' })
    expect(response.status).toBe(201)
    await patchTusUpload(member, id, 0, pdf.subarray(0, 1000))
    // After a reload the client asks where to continue (HEAD) and sends the rest.
    const head = await tusRequest(member, `/uploads/tus/${id}`, { method: 'HEAD' })
    expect(head.headers.get('Upload-Offset')).toBe('1000')
    expect((await patchTusUpload(member, id, 1000, pdf.subarray(1000))).status).toBe(204)

    const file = await db.transaction((tx) => claimUpload(tx, member, id, { purpose: 'slides' }))
    expect(file).toMatchObject({ purpose: 'slides', mime: PDF_MIME, size: pdf.length, name: '第一组 slides.pdf', createdBy: member.id })
    expect((await bytesOf(file.storageKey)).equals(pdf)).toBe(true)
    // An upload is claimed once.
    expect((await refusal(db.transaction((tx) => claimUpload(tx, member, id, { purpose: 'slides' })))).code).toBe('not-found')
  })

  it('recognises a PPTX by its content and names it by what it is', async () => {
    const member = await createPerson()
    const id = await tusUpload(member, await makePptx(2), { purpose: 'slides', filename: 'deck' })
    const file = await db.transaction((tx) => claimUpload(tx, member, id, { purpose: 'slides' }))
    expect(file).toMatchObject({ mime: PPTX_MIME, name: 'deck.pptx' })
  })

  it('lets only the owner continue or claim an upload', async () => {
    const owner = await createPerson()
    const other = await createPerson()
    const pdf = await makePdf()
    const { id } = await createTusUpload(owner, pdf.length, { purpose: 'slides', filename: 'a.pdf', owner: other.id })
    expect((await patchTusUpload(other, id, 0, pdf)).status).toBe(404)
    expect((await tusRequest(other, `/uploads/tus/${id}`, { method: 'HEAD' })).status).toBe(404)
    expect((await tusRequest(null, '/uploads/tus', { method: 'POST', headers: { 'Upload-Length': '10' } })).status).toBe(401)
    await patchTusUpload(owner, id, 0, pdf)
    expect((await refusal(db.transaction((tx) => claimUpload(tx, other, id, { purpose: 'slides' })))).code).toBe('not-found')
    // Claiming an unfinished upload is refused, too.
    const { id: partial } = await createTusUpload(owner, pdf.length, { purpose: 'slides', filename: 'b.pdf' })
    expect((await refusal(db.transaction((tx) => claimUpload(tx, owner, partial, { purpose: 'slides' })))).code).toBe('incomplete')
  })

  it('refuses a renamed executable, an empty file, 60 MB, a truncated PDF and zip bombs, and stores nothing', async () => {
    const member = await createPerson()
    const t = translator('en')
    const zh = translator('zh-CN')
    const before = await fileCount()
    const claim = (id: string) => refusal(db.transaction((tx) => claimUpload(tx, member, id, { purpose: 'slides' })))

    const exe = await claim(await tusUpload(member, makeExecutable(), { purpose: 'slides', filename: 'slides.pdf' }))
    expect(exe.code).toBe('wrong-type')
    expect(uploadRejectionMessage(t, exe)).toMatch(/PDF or PowerPoint/)
    expect(uploadRejectionMessage(zh, exe)).toMatch(/PDF/)

    const truncated = (await makePdf(4)).subarray(0, 1500)
    const cut = await claim(await tusUpload(member, Buffer.from(truncated), { purpose: 'slides', filename: 'cut.pdf' }))
    expect(cut.code).toBe('corrupt')

    expect((await claim(await tusUpload(member, await makeZipBombPptx(), { purpose: 'slides', filename: 'bomb.pptx' }))).code).toBe('zip-bomb')
    expect((await claim(await tusUpload(member, await makeManyEntriesPptx(), { purpose: 'slides', filename: 'many.pptx' }))).code).toBe('zip-bomb')

    // Empty and oversize uploads are refused when they start, before a byte is sent.
    const empty = await createTusUpload(member, 0, { purpose: 'slides', filename: 'empty.pdf' })
    expect(empty.response.status).toBe(400)
    expect(await empty.response.text()).toBe('empty')
    const big = await createTusUpload(member, 60 * 1024 * 1024, { purpose: 'slides', filename: 'big.pdf' })
    expect(big.response.status).toBe(413)
    expect(uploadRejectionMessage(t, new UploadRejected('too-large'))).toMatch(/50 MB/)
    expect(uploadRejectionMessage(t, new UploadRejected('empty'))).toMatch(/empty/)

    expect(await fileCount()).toBe(before)
    // Not a rejection: other errors are not swallowed into a field message.
    expect(() => uploadRejectionMessage(t, new Error('disk full'))).toThrow('disk full')
  })

  it('lets a 1 GB role-play recording start, refuses a byte more, and reads other limits from UPLOAD_LIMITS_MB', async () => {
    const member = await createPerson()
    expect(uploadLimit('roleplay-video')).toBe(1024 * 1024 * 1024)
    const gig = await createTusUpload(member, 1024 * 1024 * 1024, { purpose: 'roleplay-video', filename: 'skit.mp4' })
    expect(gig.response.status).toBe(201)
    expect((await tusRequest(member, `/uploads/tus/${gig.id}`, { method: 'DELETE' })).status).toBe(204)
    const over = await createTusUpload(member, 1024 * 1024 * 1024 + 1, { purpose: 'roleplay-video', filename: 'skit.mp4' })
    expect(over.response.status).toBe(413)

    expect(parseEnv({ UPLOAD_LIMITS_MB: 'roleplay-video=2048, slides=20' }).UPLOAD_LIMITS_MB).toEqual({ 'roleplay-video': 2048, slides: 20 })
    expect(parseEnv({}).UPLOAD_LIMITS_MB).toEqual({})
    expect(() => parseEnv({ UPLOAD_LIMITS_MB: 'slides=lots' })).toThrow(/UPLOAD_LIMITS_MB/)
    expect(() => parseEnv({ UPLOAD_LIMITS_MB: 'slides=0' })).toThrow(/UPLOAD_LIMITS_MB/)
  })

  it('refuses a purpose nobody asked for', async () => {
    const member = await createPerson()
    const { response } = await createTusUpload(member, 10, { purpose: 'anything', filename: 'x.pdf' })
    expect(response.status).toBe(400)
    const pdf = await makePdf()
    const id = await tusUpload(member, pdf)
    expect((await refusal(db.transaction((tx) => claimUpload(tx, member, id, { purpose: 'roleplay-video' })))).code).toBe('not-found')
    expect(await db.select().from(storedFiles).where(eq(storedFiles.createdBy, member.id))).toHaveLength(0)
  })

  it('deletes unfinished uploads older than the expiry, and keeps recent and finished ones', async () => {
    const member = await createPerson()
    const pdf = await makePdf()
    const { id: abandoned } = await createTusUpload(member, pdf.length, { purpose: 'slides', filename: 'old.pdf' })
    await patchTusUpload(member, abandoned, 0, pdf.subarray(0, 500))
    const { id: recent } = await createTusUpload(member, pdf.length, { purpose: 'slides', filename: 'new.pdf' })
    const finished = await tusUpload(member, pdf)
    // The upload was started longer ago than the expiry (the store keeps its creation date beside it).
    const info = path.join(process.env.UPLOADS_DIR!, 'tus', `${abandoned}.json`)
    const json = JSON.parse(readFileSync(info, 'utf8')) as { creation_date: string }
    json.creation_date = new Date(Date.now() - UPLOAD_EXPIRY_MS - 60_000).toISOString()
    writeFileSync(info, JSON.stringify(json))

    expect(await cleanUpAbandonedUploads()).toBe(1)
    expect(existsSync(path.join(process.env.UPLOADS_DIR!, 'tus', abandoned))).toBe(false)
    expect((await tusRequest(member, `/uploads/tus/${abandoned}`, { method: 'HEAD' })).status).toBe(404)
    expect((await tusRequest(member, `/uploads/tus/${recent}`, { method: 'HEAD' })).status).toBe(200)
    expect((await db.transaction((tx) => claimUpload(tx, member, finished, { purpose: 'slides' }))).mime).toBe(PDF_MIME)
  })
})
