import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { and, eq, isNull } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { images, storedFiles, type Image } from '#db/schema'
import { env } from '~/env.server'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { registerFileAccess, storedFileResponse } from '~/modules/files/access.server'
import { getStorage } from '~/modules/files/storage.server'
import { storeLocalFile, storeServerFile } from '~/modules/files/uploads.server'
import { imageUrl, MAX_IMAGE_BYTES, type ImageMime } from './media'

/**
 * Images for lesson Markdown. What a file is comes from its first bytes, never from its name or
 * the Content-Type the browser sent: only PNG, JPEG, WebP and GIF are kept (no SVG, which can
 * carry script). The bytes are stored files in the one storage (local disk or S3,
 * docs/decisions/047) with the purpose below.
 */
export const LESSON_IMAGE_PURPOSE = 'lesson-image'

/** Lessons are read by every role, so their images are too (also through /files/<id>). */
export function registerLessonImageAccess() {
  registerFileAccess(LESSON_IMAGE_PURPOSE, async () => true)
}

/** Where images lived before the storage module: UPLOADS_DIR/images/<sha256>. */
function legacyImagePath(sha256: string) {
  return path.join(env().UPLOADS_DIR, 'images', sha256)
}

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) => signature.every((b, i) => bytes[offset + i] === b)
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0))

/** The image type its magic bytes say, or null. */
export function sniffImage(bytes: Uint8Array): ImageMime | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif'
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp'
  return null
}

/** Width and height from the image header, where that is cheap; null when the header is odd. */
export function imageSize(bytes: Uint8Array, mime: ImageMime): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  try {
    if (mime === 'image/png') return { width: view.getUint32(16), height: view.getUint32(20) }
    if (mime === 'image/gif') return { width: view.getUint16(6, true), height: view.getUint16(8, true) }
    if (mime === 'image/webp') {
      const chunk = String.fromCharCode(...bytes.subarray(12, 16))
      if (chunk === 'VP8X')
        return { width: 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16)), height: 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16)) }
      if (chunk === 'VP8 ') return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff }
      if (chunk === 'VP8L') {
        const bits = view.getUint32(21, true)
        return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 }
      }
      return null
    }
    // JPEG: walk the segments to the first start-of-frame marker.
    let offset = 2
    while (offset + 9 < bytes.length) {
      if (bytes[offset] !== 0xff) return null
      const marker = bytes[offset + 1]
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: view.getUint16(offset + 7), height: view.getUint16(offset + 5) }
      }
      offset += 2 + view.getUint16(offset + 2)
    }
  } catch {
    return null
  }
  return null
}

/** Reads a request body, stopping as soon as it is larger than the limit. */
async function readLimited(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | null> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.length
    if (total > limit) {
      // Read the rest and drop it: cancelling would reset the connection before our answer arrives.
      for (;;) if ((await reader.read()).done) break
      return null
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.length
  }
  return bytes
}

export type UploadImageResult =
  | { ok: true; id: string; url: string; mime: ImageMime; width: number | null; height: number | null }
  | { ok: false; status: 400 | 413 | 415; error: 'authoring.image.empty' | 'authoring.image.tooLarge' | 'authoring.image.notImage' }

/**
 * Stores an uploaded image for lesson Markdown (the raw request body). Only people who author
 * courses may upload. The same bytes uploaded again give the same image.
 */
export async function uploadImage(
  actor: CurrentUser,
  body: ReadableStream<Uint8Array> | null,
  declaredLength?: number | null,
  ip?: string,
): Promise<UploadImageResult> {
  await assertCan(actor, 'manage:courses:all')
  if (declaredLength && declaredLength > MAX_IMAGE_BYTES) {
    if (body) await readLimited(body, 0).catch(() => null)
    return { ok: false, status: 413, error: 'authoring.image.tooLarge' }
  }
  const bytes = body ? await readLimited(body, MAX_IMAGE_BYTES) : new Uint8Array()
  if (bytes === null) return { ok: false, status: 413, error: 'authoring.image.tooLarge' }
  if (bytes.length === 0) return { ok: false, status: 400, error: 'authoring.image.empty' }
  const mime = sniffImage(bytes)
  if (!mime) return { ok: false, status: 415, error: 'authoring.image.notImage' }
  const size = imageSize(bytes, mime)
  const sha256 = createHash('sha256').update(bytes).digest('hex')

  const width = size && size.width > 0 && size.width < 100_000 ? size.width : null
  const height = size && size.height > 0 && size.height < 100_000 ? size.height : null
  const [known] = await db.select().from(images).where(eq(images.sha256, sha256))
  let inserted: Image | undefined
  if (!known) {
    // The bytes go into the storage first; the row that names them is written with their file row.
    inserted = await db
      .transaction(async (tx) => {
        const file = await storeServerFile(tx, {
          body: Buffer.from(bytes),
          purpose: LESSON_IMAGE_PURPOSE,
          name: `${sha256.slice(0, 16)}.${mime.split('/')[1]}`,
          mime,
          createdBy: actor.id,
        })
        const [row] = await tx
          .insert(images)
          .values({ sha256, mime, size: bytes.length, width, height, fileId: file.id, uploadedBy: actor.id })
          .onConflictDoNothing({ target: images.sha256 })
          .returning()
        // Someone uploaded the same image at the same moment: theirs stands, ours is dropped.
        if (!row) throw new SameImage(file.storageKey)
        return row
      })
      .catch(async (error: unknown) => {
        if (!(error instanceof SameImage)) throw error
        await getStorage().delete(error.storageKey)
        return undefined
      })
  }
  const image = known ?? inserted ?? (await db.select().from(images).where(eq(images.sha256, sha256)))[0]
  if (!image.fileId) await moveLegacyImage(db, image)
  if (inserted) await audit({ actorId: actor.id, action: 'image.uploaded', entityType: 'image', entityId: image.id, after: { mime, size: bytes.length }, ip })
  return { ok: true, id: image.id, url: imageUrl(image.id), mime: image.mime as ImageMime, width: image.width, height: image.height }
}

class SameImage extends Error {
  constructor(readonly storageKey: string) {
    super('The same image was stored at the same moment')
  }
}

/**
 * Moves an image from before the storage module (UPLOADS_DIR/images/<sha256>) into the storage
 * and links its row; the old file goes once the row is committed. Nothing happens when the old
 * file is missing (the row then answers 404, as before).
 */
export async function moveLegacyImage(executor: Executor, image: Image): Promise<string | null> {
  const legacy = legacyImagePath(image.sha256)
  if (image.fileId || !existsSync(legacy)) return image.fileId
  const fileId = await executor.transaction(async (tx) => {
    const file = await storeLocalFile(tx, {
      path: legacy,
      purpose: LESSON_IMAGE_PURPOSE,
      name: `${image.sha256.slice(0, 16)}.${image.mime.split('/')[1]}`,
      mime: image.mime,
      createdBy: image.uploadedBy,
    })
    const [moved] = await tx
      .update(images)
      .set({ fileId: file.id })
      .where(and(eq(images.id, image.id), isNull(images.fileId)))
      .returning({ id: images.id })
    // Moved by another process meanwhile: keep theirs.
    if (!moved) {
      await tx.delete(storedFiles).where(eq(storedFiles.id, file.id))
      await getStorage().delete(file.storageKey)
      return (await tx.select({ fileId: images.fileId }).from(images).where(eq(images.id, image.id)))[0].fileId
    }
    return file.id
  })
  await rm(legacy, { force: true })
  return fileId
}

/** Moves every image still under UPLOADS_DIR/images into the storage (run at start-up by scripts/migrate.ts). */
export async function moveLegacyImages(executor: Executor) {
  const waiting = await executor.select().from(images).where(isNull(images.fileId))
  let moved = 0
  for (const image of waiting) if (await moveLegacyImage(executor, image)) moved++
  return { moved, missing: waiting.length - moved }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * An uploaded image as a response: for anyone signed in (lessons are read by every role). The
 * id never points at other bytes, so browsers may keep it.
 */
export async function imageResponse(_viewer: CurrentUser, id: string, ifNoneMatch: string | null) {
  if (!UUID.test(id)) throw new Response('Not found', { status: 404 })
  const [image] = await db.select().from(images).where(eq(images.id, id))
  if (!image) throw new Response('Not found', { status: 404 })
  const headers = new Headers({
    'Content-Type': image.mime,
    'Cache-Control': 'private, max-age=31536000, immutable',
    ETag: `"${image.sha256}"`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Content-Disposition': 'inline',
  })
  if (ifNoneMatch === `"${image.sha256}"`) return new Response(null, { status: 304, headers })
  // An image from before the storage module moves in on its first request.
  const fileId = image.fileId ?? (await moveLegacyImage(db, image))
  const [file] = fileId ? await db.select().from(storedFiles).where(eq(storedFiles.id, fileId)) : []
  if (!file) throw new Response('Not found', { status: 404 })
  return storedFileResponse(undefined, file, headers)
}
