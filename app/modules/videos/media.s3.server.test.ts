import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { images, storedFiles, videos } from '#db/schema'
import { uploadImage } from '~/modules/courses/media.server'
import { fileResponse } from '~/modules/files/access.server'
import { getStorage } from '~/modules/files/storage.server'
import { createPerson, requestAs } from '../../../tests/setup/fixtures'
import { pngBytes } from '../../../tests/setup/png'
import { useS3Storage } from '../../../tests/setup/s3-server'
import { registerVideoFileAccess } from './media.server'
import { createUpload, finalizeUpload, receiveChunk } from './uploads.server'

process.env.UPLOADS_DIR = mkdtempSync(path.join(tmpdir(), 'genjin-media-s3-'))

// Lesson images and uploaded teaching videos with S3_* set: their bytes land in a real
// S3-protocol server started here, and a video seeks with Range reads from the bucket.
useS3Storage('genjin-media')

async function bytesOf(key: string) {
  const chunks: Buffer[] = []
  for await (const c of await getStorage().get(key)) chunks.push(Buffer.from(c))
  return Buffer.concat(chunks)
}

describe('lesson media on S3-compatible storage', () => {
  it('stores a lesson image in the bucket', async () => {
    expect(getStorage().kind).toBe('s3')
    const hr = await createPerson({ roles: ['hr_admin'] })
    const png = pngBytes(4, 4)
    const result = await uploadImage(hr, new Blob([new Uint8Array(png)]).stream(), png.length)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const [image] = await db.select().from(images).where(eq(images.id, result.id))
    const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, image.fileId!))
    expect((await bytesOf(file.storageKey)).equals(Buffer.from(png))).toBe(true)
  })

  it('stores an uploaded video in the bucket and serves byte ranges from it', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    const sample = new Uint8Array(readFileSync('content/videos/follow-up-sample/negative.mp4'))
    const { id } = await createUpload(trainer, { size: sample.length })
    expect(await receiveChunk(trainer, id, `bytes 0-${sample.length - 1}/${sample.length}`, new Blob([sample]).stream())).toMatchObject({ complete: true })
    const title = { en: 'Recording', 'zh-CN': '录像' }
    const done = await finalizeUpload(trainer, { uploadId: id, kind: 'lecture', title, description: title, durationSeconds: 88.6, captions: {} }, null)
    expect(done.ok).toBe(true)
    if (!done.ok) return
    const [video] = await db.select().from(videos).where(eq(videos.id, done.videoId))
    const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, video.fileId!))
    expect((await bytesOf(file.storageKey)).equals(Buffer.from(sample))).toBe(true)

    registerVideoFileAccess()
    const learner = await createPerson({ roles: ['employee'] })
    const ranged = await fileResponse(learner, file.id, await requestAs(learner, `/files/${file.id}`, { headers: { Range: 'bytes=-1000' } }))
    expect(ranged.status).toBe(206)
    expect(ranged.headers.get('Content-Range')).toBe(`bytes ${sample.length - 1000}-${sample.length - 1}/${sample.length}`)
    expect(Buffer.from(await ranged.arrayBuffer()).equals(Buffer.from(sample.subarray(sample.length - 1000)))).toBe(true)
  })
})
