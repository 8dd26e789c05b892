import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import path from 'node:path'
import { and, eq, isNotNull, isNull, or, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { videoCaptions, videoUploads, videos } from '#db/schema'
import { env } from '~/env.server'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { LocalizedTextSchema } from './videos'
import { fieldErrorsOf } from '~/shared/forms'
import { captionErrors } from './webvtt'
import { storeLocalFile, storeServerFile } from '~/modules/files/uploads.server'
import { VIDEO_POSTER_PURPOSE, VIDEO_PURPOSE } from './media.server'
import { probeVideo } from './probe.server'

export const MAX_VIDEO_BYTES = 2 * 1024 ** 3
export const MAX_CHUNK_BYTES = 64 * 1024 ** 2
export const MAX_POSTER_BYTES = 5 * 1024 ** 2

function uploadsDir() {
  const dir = path.join(env().UPLOADS_DIR, 'videos')
  mkdirSync(dir, { recursive: true })
  return dir
}

/** What the first bytes say the file is, whatever its name: MP4/MOV (`ftyp` box) or WebM/Matroska (EBML). */
export function sniffContainer(head: Uint8Array): 'mp4' | 'webm' | null {
  if (head.length >= 12 && head[4] === 0x66 && head[5] === 0x74 && head[6] === 0x79 && head[7] === 0x70) return 'mp4'
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'webm'
  return null
}

/** The upload page: who may open it, and whether uploads go to Mux. */
export async function uploadPageInfo(user: CurrentUser) {
  await assertCan(user, 'upload:videos:all')
  const e = env()
  return { mux: Boolean(e.MUX_TOKEN_ID && e.MUX_TOKEN_SECRET), maxBytes: MAX_VIDEO_BYTES }
}

export const CreateUploadSchema = z.object({ size: z.number().int().positive().max(MAX_VIDEO_BYTES, 'videos.upload.tooLarge') }).strict()

/** Starts a resumable upload; the browser then PUTs chunks (UpChunk protocol) to its URL. */
export async function createUpload(user: CurrentUser, input: z.infer<typeof CreateUploadSchema>) {
  await assertCan(user, 'upload:videos:all')
  const { size } = CreateUploadSchema.parse(input)
  const id = crypto.randomUUID()
  const file = path.join(uploadsDir(), `${id}.part`)
  writeFileSync(file, new Uint8Array())
  await db.insert(videoUploads).values({ id, userId: user.id, path: file, totalBytes: size })
  return { id, url: `/videos/uploads/${id}` }
}

/**
 * Reads and drops the rest of a request body. Cancelling it instead would reset the connection,
 * and the browser would see a network error rather than our answer.
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>) {
  for (;;) {
    const { done } = await reader.read()
    if (done) return
  }
}

type ChunkResult = { status: 200 | 308; received: number; complete: boolean } | { status: 400 | 404 | 409 | 413 | 415; error: string }

/**
 * Stores one chunk (`Content-Range: bytes a-b/total`). Chunks must arrive in order; a chunk
 * already stored (a retry) is acknowledged without writing. The first chunk is sniffed and a
 * file that is not a video is refused and deleted, whatever it is called.
 */
export async function receiveChunk(
  user: CurrentUser,
  uploadId: string,
  contentRange: string | null,
  body: ReadableStream<Uint8Array> | null,
): Promise<ChunkResult> {
  await assertCan(user, 'upload:videos:all')
  const [upload] = await db
    .select()
    .from(videoUploads)
    .where(and(eq(videoUploads.id, uploadId), eq(videoUploads.userId, user.id), isNull(videoUploads.completedAt)))
  if (!upload) return { status: 404, error: 'videos.upload.unknown' }
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange ?? '')
  if (!range || !body) return { status: 400, error: 'videos.upload.badRange' }
  const [start, end, total] = range.slice(1).map(Number)
  if (end < start || total !== upload.totalBytes || end >= total) return { status: 400, error: 'videos.upload.badRange' }
  if (end - start + 1 > MAX_CHUNK_BYTES) return { status: 413, error: 'videos.upload.chunkTooLarge' }
  if (end < upload.receivedBytes) {
    await drain(body.getReader())
    return { status: 200, received: upload.receivedBytes, complete: upload.receivedBytes === total }
  }
  if (start !== upload.receivedBytes) {
    await drain(body.getReader())
    return { status: 409, error: 'videos.upload.gap' }
  }
  const handle = await open(upload.path, 'r+')
  let written = 0
  let container = upload.container as 'mp4' | 'webm' | null
  try {
    const reader = body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (written + value.length > end - start + 1) {
        await drain(reader)
        return { status: 400, error: 'videos.upload.badRange' }
      }
      if (start === 0 && written === 0) {
        container = sniffContainer(value)
        if (!container) {
          await drain(reader)
          await handle.close()
          await discardUpload(upload.id, upload.path)
          return { status: 415, error: 'videos.upload.notVideo' }
        }
      }
      await handle.write(value, 0, value.length, start + written)
      written += value.length
    }
  } finally {
    await handle.close().catch(() => {})
  }
  if (written !== end - start + 1) return { status: 400, error: 'videos.upload.badRange' }
  const received = end + 1
  await db.update(videoUploads).set({ receivedBytes: received, container }).where(eq(videoUploads.id, upload.id))
  return { status: received === total ? 200 : 308, received, complete: received === total }
}

async function discardUpload(id: string, file: string) {
  rmSync(file, { force: true })
  await db.delete(videoUploads).where(eq(videoUploads.id, id))
}

export const FinalizeSchema = z
  .object({
    uploadId: z.string().uuid(),
    kind: z.enum(['positive', 'negative', 'lecture']),
    title: LocalizedTextSchema,
    description: z
      .object({ en: z.string().trim().max(4000), 'zh-CN': z.string().trim().max(4000) })
      .strict()
      .default({ en: '', 'zh-CN': '' }),
    durationSeconds: z.number().positive().max(86_400),
    captions: z
      .object({ en: z.string().max(500_000).optional(), 'zh-CN': z.string().max(500_000).optional() })
      .strict()
      .default({}),
  })
  .strict()

export type FinalizeInput = z.infer<typeof FinalizeSchema>

/**
 * Turns a completed upload into a video: metadata in both languages, the poster the browser
 * made, captions (validated WebVTT). ffprobe verifies the whole file and gives the duration; a
 * damaged or truncated file is refused and deleted. The file moves to its final name.
 */
export async function finalizeUpload(user: CurrentUser, input: FinalizeInput, poster: Uint8Array | null) {
  await assertCan(user, 'upload:videos:all')
  const parsed = FinalizeSchema.safeParse(input)
  if (!parsed.success) return { ok: false as const, errors: fieldErrorsOf(parsed.error) }
  const value = parsed.data
  const errors = captionErrors(value.captions, value.durationSeconds)
  if (poster && (poster.length > MAX_POSTER_BYTES || !(poster[0] === 0xff && poster[1] === 0xd8))) errors.poster = ['videos.upload.badPoster']
  if (Object.keys(errors).length) return { ok: false as const, errors }
  const [upload] = await db
    .select()
    .from(videoUploads)
    .where(and(eq(videoUploads.id, value.uploadId), eq(videoUploads.userId, user.id), isNull(videoUploads.completedAt)))
  if (!upload || upload.receivedBytes !== upload.totalBytes || !upload.container)
    return { ok: false as const, errors: { uploadId: ['videos.upload.incomplete'] } }
  // The whole container is checked on the server and its duration is the one we keep; without
  // ffprobe (a machine without Debian's ffmpeg) the browser's measurement stands, with a warning.
  const probe = await probeVideo(upload.path)
  if (!probe.ok && probe.reason === 'corrupt') {
    await discardUpload(upload.id, upload.path)
    return { ok: false as const, errors: { uploadId: ['videos.upload.corrupt'] } }
  }
  if (!probe.ok) console.warn('genjin: ffprobe is not installed; uploaded videos are not verified (apt-get install -y ffmpeg)')
  const durationSeconds = probe.ok ? probe.durationSeconds : value.durationSeconds
  const id = `upload-${randomBytes(5).toString('hex')}`
  const mime = upload.container === 'webm' ? 'video/webm' : 'video/mp4'
  // The verified file and its poster become stored files in the one storage (local disk or S3,
  // docs/decisions/047); the staged .part goes once the rows are committed.
  await db.transaction(async (tx) => {
    const file = await storeLocalFile(tx, { path: upload.path, purpose: VIDEO_PURPOSE, name: `${id}.${upload.container}`, mime, createdBy: user.id })
    const posterFile = poster
      ? await storeServerFile(tx, { body: Buffer.from(poster), purpose: VIDEO_POSTER_PURPOSE, name: `${id}.jpg`, mime: 'image/jpeg', createdBy: user.id })
      : null
    await tx.insert(videos).values({
      id,
      kind: value.kind,
      title: value.title,
      description: value.description,
      origin: 'upload',
      provider: 'local',
      fileId: file.id,
      posterFileId: posterFile?.id ?? null,
      durationSeconds: Math.round(durationSeconds * 1000) / 1000,
      status: 'ready',
      createdBy: user.id,
    })
    for (const locale of ['zh-CN', 'en'] as const) {
      const text = value.captions[locale]?.trim()
      if (text) await tx.insert(videoCaptions).values({ videoId: id, locale, vtt: `${text}\n` })
    }
    await tx
      .update(videoUploads)
      .set({ completedAt: sql`now()`, videoId: id })
      .where(eq(videoUploads.id, upload.id))
    await audit({ actorId: user.id, action: 'video.uploaded', entityType: 'video', entityId: id, after: { bytes: file.size, container: upload.container } }, tx)
  })
  rmSync(upload.path, { force: true })
  return { ok: true as const, videoId: id }
}

/**
 * Moves uploaded videos and posters from before the storage module (files under
 * UPLOADS_DIR/videos named in `file_path` / `poster_path`) into the storage, once, at start-up
 * (scripts/migrate.ts). Videos shipped in content/videos stay where they are: they are content.
 * A file that is missing on disk is left as it was (the player gets a 404, as before).
 */
export async function moveLegacyVideoFiles(executor: Executor) {
  const waiting = await executor
    .select()
    .from(videos)
    .where(
      and(
        eq(videos.origin, 'upload'),
        eq(videos.provider, 'local'),
        or(and(isNull(videos.fileId), isNotNull(videos.filePath)), and(isNull(videos.posterFileId), isNotNull(videos.posterPath))),
      ),
    )
  let moved = 0
  for (const video of waiting) {
    const done: string[] = []
    await executor.transaction(async (tx) => {
      const set: Partial<typeof videos.$inferInsert> = {}
      if (!video.fileId && video.filePath && existsSync(video.filePath)) {
        const ext = path.extname(video.filePath).slice(1).toLowerCase()
        const file = await storeLocalFile(tx, {
          path: video.filePath,
          purpose: VIDEO_PURPOSE,
          name: `${video.id}.${ext}`,
          mime: ext === 'webm' ? 'video/webm' : 'video/mp4',
          createdBy: video.createdBy,
        })
        Object.assign(set, { fileId: file.id, filePath: null })
        done.push(video.filePath)
      }
      if (!video.posterFileId && video.posterPath && existsSync(video.posterPath)) {
        const file = await storeLocalFile(tx, {
          path: video.posterPath,
          purpose: VIDEO_POSTER_PURPOSE,
          name: `${video.id}.jpg`,
          mime: 'image/jpeg',
          createdBy: video.createdBy,
        })
        Object.assign(set, { posterFileId: file.id, posterPath: null })
        done.push(video.posterPath)
      }
      if (Object.keys(set).length) await tx.update(videos).set(set).where(eq(videos.id, video.id))
    })
    for (const file of done) rmSync(file, { force: true })
    if (done.length) moved++
  }
  return { moved, waiting: waiting.length }
}
