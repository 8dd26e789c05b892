import { createHash, randomUUID } from 'node:crypto'
import { createWriteStream, mkdtempSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { FileStore } from '@tus/file-store'
import { MemoryLocker, Server, type DataStore } from '@tus/server'
import type { Executor } from '#db/client.server'
import { storedFiles, type StoredFile } from '#db/schema'
import { env } from '~/env.server'
import type { Translate } from '~/i18n'
import type { CurrentUser } from '~/modules/auth/permissions'
import { isUploadPurpose, MAX_UPLOAD_BYTES, UPLOAD_PURPOSES, type UploadPurpose } from './files'
import { inspectUpload, UploadRejected } from './inspect.server'
import { getStorage } from './storage.server'

export { UploadRejected } from './inspect.server'

/** Where the tus endpoint lives (docs/decisions/023). */
export const TUS_PATH = '/uploads/tus'
/** Unfinished uploads older than this are deleted by the periodic cleanup. */
export const UPLOAD_EXPIRY_MS = 24 * 60 * 60 * 1000

/**
 * The largest upload of a purpose in bytes: UPLOAD_LIMITS_MB when it names the purpose, else the
 * default in files.ts (slides 50 MB, role-play recordings 1 GB). Pages pass it to the upload control.
 */
export function uploadLimit(purpose: UploadPurpose): number {
  const configured = env().UPLOAD_LIMITS_MB[purpose]
  return configured ? configured * 1024 * 1024 : MAX_UPLOAD_BYTES[purpose]
}

/** A purpose in UPLOAD_LIMITS_MB that does not exist is a typo: say so at start-up, not at the first upload. */
function checkConfiguredLimits() {
  const unknown = Object.keys(env().UPLOAD_LIMITS_MB).filter((p) => !isUploadPurpose(p))
  if (unknown.length) throw new Error(`Invalid configuration: UPLOAD_LIMITS_MB: unknown purpose ${unknown.join(', ')} (known: ${UPLOAD_PURPOSES.join(', ')})`)
}

type TusStore = DataStore & { read(id: string): Readable | Promise<Readable>; remove(id: string): Promise<void> }

/**
 * Uploads in progress are staged on this server's disk (UPLOADS_DIR/tus) whatever the storage;
 * a claimed upload moves into the storage (disk or S3). Several app instances need sticky
 * routing for /uploads/tus or a shared UPLOADS_DIR (docs/decisions/023).
 */
export function tusStore(): TusStore {
  return new FileStore({ directory: path.join(env().UPLOADS_DIR, 'tus'), expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS }) as unknown as TusStore
}

const users = new WeakMap<object, string>()
let server: Server | undefined
let store: TusStore | undefined

function refuse(status_code: number, body: string): never {
  throw { status_code, body }
}

function uploadServer() {
  if (server) return server
  checkConfiguredLimits()
  store = tusStore()
  server = new Server({
    path: TUS_PATH,
    datastore: store,
    locker: new MemoryLocker(),
    relativeLocation: true,
    // The largest of all purposes bounds every PATCH; onUploadCreate holds each upload to its own.
    maxSize: () => Math.max(...UPLOAD_PURPOSES.map(uploadLimit)),
    // Finished uploads are claimed through claimUpload, never read back over tus.
    disableTerminationForFinishedUploads: true,
    async onUploadCreate(req, upload) {
      const owner = users.get(req)
      if (!owner) refuse(401, 'sign-in')
      const purpose = upload.metadata?.purpose
      if (!isUploadPurpose(purpose)) refuse(400, 'purpose')
      if (upload.size === undefined) refuse(400, 'length')
      if (upload.size === 0) refuse(400, 'empty')
      if (upload.size > uploadLimit(purpose)) refuse(413, 'too-large')
      // The owner comes from the session, whatever the client put in its metadata.
      return { metadata: { ...upload.metadata, owner } }
    },
    async onIncomingRequest(req, id) {
      if (req.method === 'POST') return
      const owner = users.get(req)
      const upload = await store!.getUpload(id).catch(() => undefined)
      if (!owner || !upload || upload.metadata?.owner !== owner) refuse(404, 'not-found')
    },
  })
  return server
}

/**
 * Handles one tus request (POST creates, HEAD asks the offset, PATCH appends, DELETE cancels)
 * for a signed-in person. Only its owner can see or continue an upload.
 */
export async function handleTusRequest(user: CurrentUser, request: Request) {
  if (request.method === 'GET') return new Response(null, { status: 405 })
  users.set(request, user.id)
  const response = await uploadServer().handleWeb(request)
  response.headers.set('Cache-Control', 'no-store')
  return response
}

/** Deletes unfinished uploads past their expiry; run by the periodic job. */
export async function cleanUpAbandonedUploads() {
  return uploadServer().cleanUpExpiredUploads()
}

/** Only a base name, no control characters or path parts, ending with the recognised extension. */
export function cleanFileName(name: string | null | undefined, ext: string) {
  const base = (name ?? '')
    .split(/[\\/]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f"<>:|?*]/g, '')
    .trim()
    .slice(0, 180)
  const stem = base.replace(/\.[^.]*$/, '') || 'upload'
  return `${stem}.${ext}`
}

/**
 * Turns a finished upload of this person into a stored file: checks it by content (type, size,
 * zip directory, PDF structure), copies it into the storage under a new key and inserts its
 * `stored_files` row with `tx`. Throws UploadRejected (nothing stored) when it is refused. An
 * upload can be claimed once; existing files are never touched.
 */
export async function claimUpload(
  tx: Executor,
  user: CurrentUser,
  uploadId: string,
  opts: {
    purpose: UploadPurpose
    /**
     * The owning domain's own check of the complete local copy (e.g. ffprobe for a video), run
     * after the content check and before anything is stored; throw UploadRejected to refuse.
     */
    verify?: (localPath: string, mime: string) => Promise<void>
  },
): Promise<StoredFile> {
  uploadServer()
  if (!/^[0-9a-f]{32}$/.test(uploadId)) throw new UploadRejected('not-found')
  const upload = await store!.getUpload(uploadId).catch(() => undefined)
  if (!upload || upload.metadata?.owner !== user.id || upload.metadata?.purpose !== opts.purpose) throw new UploadRejected('not-found')
  if (upload.size === undefined || upload.offset !== upload.size) throw new UploadRejected('incomplete')
  if (upload.size === 0) throw new UploadRejected('empty')
  if (upload.size > uploadLimit(opts.purpose)) throw new UploadRejected('too-large')

  const dir = mkdtempSync(path.join(tmpdir(), 'genjin-claim-'))
  const local = path.join(dir, 'upload')
  try {
    const hash = createHash('sha256')
    await pipeline(
      await store!.read(uploadId),
      new Transform({
        transform(chunk, _enc, done) {
          hash.update(chunk)
          done(null, chunk)
        },
      }),
      createWriteStream(local),
    )
    const { mime, ext } = await inspectUpload(local, upload.size, opts.purpose)
    if (opts.verify) await opts.verify(local, mime)
    const id = randomUUID()
    const storageKey = `files/${id}`
    const { createReadStream } = await import('node:fs')
    await getStorage().put(storageKey, createReadStream(local), { contentType: mime, size: upload.size })
    const [row] = await tx
      .insert(storedFiles)
      .values({
        id,
        storageKey,
        purpose: opts.purpose,
        name: cleanFileName(upload.metadata?.filename, ext),
        mime,
        size: upload.size,
        sha256: hash.digest('hex'),
        createdBy: user.id,
      })
      .returning()
    await store!.remove(uploadId).catch(() => {})
    return row
  } catch (error) {
    // A refused upload is gone for good: the person uploads again.
    if (error instanceof UploadRejected) await store!.remove(uploadId).catch(() => {})
    throw error
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The localized field error for a refused upload (any other error is rethrown). */
export function uploadRejectionMessage(t: Translate, error: unknown) {
  if (error instanceof UploadRejected) return t(error.messageKey)
  throw error
}

type ServerFileInput = { purpose: string; name: string; mime: string; createdBy?: string | null }

async function insertStoredFile(tx: Executor, id: string, input: ServerFileInput & { size: number; sha256: string }) {
  const [row] = await tx
    .insert(storedFiles)
    .values({
      id,
      storageKey: `files/${id}`,
      purpose: input.purpose,
      name: input.name,
      mime: input.mime,
      size: input.size,
      sha256: input.sha256,
      createdBy: input.createdBy ?? null,
    })
    .returning()
  return row
}

/** Stores bytes made on the server (a PDF rendering, a poster, seed data) as a file, without tus. */
export async function storeServerFile(tx: Executor, input: ServerFileInput & { body: Buffer }) {
  const id = randomUUID()
  await getStorage().put(`files/${id}`, input.body, { contentType: input.mime })
  return insertStoredFile(tx, id, { ...input, size: input.body.length, sha256: createHash('sha256').update(input.body).digest('hex') })
}

/**
 * Stores a file already on this server's disk (a finished video upload, a file from before the
 * storage module) as a stored file, streaming it into the storage and hashing it on the way.
 * The local file is left where it is; the caller removes it once its row is committed.
 */
export async function storeLocalFile(tx: Executor, input: ServerFileInput & { path: string }) {
  const id = randomUUID()
  const hash = createHash('sha256')
  let size = 0
  const { createReadStream } = await import('node:fs')
  const source = createReadStream(input.path)
  const counted = source.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk)
        size += chunk.length
        done(null, chunk)
      },
    }),
  )
  source.on('error', (error) => counted.destroy(error))
  await getStorage().put(`files/${id}`, counted, { contentType: input.mime })
  return insertStoredFile(tx, id, { ...input, size, sha256: hash.digest('hex') })
}

/** Forgets the process's tus server (tests that switch UPLOADS_DIR or S3). */
export function resetUploadServer() {
  server = undefined
  store = undefined
}
