import { Readable } from 'node:stream'
import { eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { filePreviews, storedFiles, type StoredFile } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { getStorage, StorageNotFound } from './storage.server'

export type FileAccessCheck = (user: CurrentUser, file: StoredFile) => Promise<boolean>

const checks = new Map<string, FileAccessCheck>()

/**
 * Says who may read the files of a purpose ('slides': the group's members, its trainers…).
 * The domain that owns the files registers it at start-up; a purpose nobody registered is
 * readable by its uploader only. PDF renderings of a file follow the file's own rule.
 */
export function registerFileAccess(purpose: string, check: FileAccessCheck) {
  checks.set(purpose, check)
}

export const PREVIEW_PURPOSE = 'preview'

/** Whether this person may read the file. */
export async function canReadFile(user: CurrentUser, file: StoredFile): Promise<boolean> {
  if (file.purpose === PREVIEW_PURPOSE) {
    const [source] = await db
      .select({ file: storedFiles })
      .from(filePreviews)
      .innerJoin(storedFiles, eq(storedFiles.id, filePreviews.fileId))
      .where(eq(filePreviews.pdfFileId, file.id))
    return Boolean(source) && canReadFile(user, source.file)
  }
  if (file.createdBy === user.id) return true
  const check = checks.get(file.purpose)
  return check ? check(user, file) : false
}

/** The file's row when this person may read it; a 404 otherwise (never a 403 that says it exists). */
export async function requireReadableFile(user: CurrentUser, fileId: string) {
  const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  if (!/^[0-9a-f-]{36}$/i.test(fileId)) throw notFound()
  const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, fileId))
  if (!file || !(await canReadFile(user, file))) throw notFound()
  return file
}

/** `attachment; filename=…` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(name: string) {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/** The single `bytes=a-b`, `bytes=a-` or `bytes=-n` range of a Range header; 'unsatisfiable' when it is outside the file. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return 'unsatisfiable'
  let start: number
  let end: number
  if (match[1] === '') {
    // Suffix range: the last N bytes.
    start = Math.max(0, size - Number(match[2]))
    end = size - 1
  } else {
    start = Number(match[1])
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  }
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start > end || start >= size) return 'unsatisfiable'
  return { start, end }
}

/**
 * The bytes of a stored file as a response with the given headers: the whole file, or one
 * Range (206, which a video needs to seek; 416 outside the file), 304 for a matching ETag,
 * no body for HEAD. Streams from the storage, never buffering the file.
 */
export async function storedFileResponse(request: Request | undefined, file: StoredFile, headers: Headers) {
  const etag = `"${file.sha256}"`
  headers.set('ETag', etag)
  headers.set('Accept-Ranges', 'bytes')
  const ifRange = request?.headers.get('If-Range')
  const range = !ifRange || ifRange === etag ? parseRange(request?.headers.get('Range') ?? null, file.size) : null
  if (range === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${file.size}`)
    return new Response(null, { status: 416, headers })
  }
  if (!range && request?.headers.get('If-None-Match') === etag) return new Response(null, { status: 304, headers })
  if (range) {
    headers.set('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`)
    headers.set('Content-Length', String(range.end - range.start + 1))
  } else headers.set('Content-Length', String(file.size))
  if (request?.method === 'HEAD') return new Response(null, { status: range ? 206 : 200, headers })
  let body: Readable
  try {
    body = await getStorage().get(file.storageKey, range ?? undefined)
  } catch (error) {
    if (error instanceof StorageNotFound) throw new Response('Not found', { status: 404 })
    throw error
  }
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { status: range ? 206 : 200, headers })
}

/**
 * The download of a stored file: always an attachment, its recognised type with nosniff and a
 * CSP sandbox, so nothing uploaded is ever rendered as a page on our origin. pdf.js reads the
 * same response with fetch (which ignores Content-Disposition), and a <video> seeks in it with
 * Range requests.
 */
export async function fileResponse(user: CurrentUser, fileId: string, request?: Request) {
  const file = await requireReadableFile(user, fileId)
  return storedFileResponse(
    request,
    file,
    new Headers({
      'Content-Type': file.mime,
      'Content-Disposition': contentDisposition(file.name),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'private, no-cache',
    }),
  )
}
