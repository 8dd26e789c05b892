import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { env } from '~/env.server'

/**
 * One place for the bytes of every uploaded file: a directory on local disk (UPLOADS_DIR) by
 * default, any S3-compatible store when S3_* is set (docs/decisions/023). Keys are ours
 * (`files/<uuid>`), never a name a person typed.
 */
export interface Storage {
  readonly kind: 'local' | 's3'
  /** Stores the body under the key; a failed or interrupted put leaves nothing at the key. */
  put(key: string, body: Buffer | Readable, opts?: { contentType?: string; size?: number }): Promise<void>
  /**
   * The bytes, or those from `start` to `end` inclusive (a video's seek); throws StorageNotFound
   * when the key holds nothing.
   */
  get(key: string, range?: ByteRange): Promise<Readable>
  delete(key: string): Promise<void>
  exists(key: string): Promise<boolean>
}

/** Bytes `start` to `end`, both inclusive, as in an HTTP Range header. */
export type ByteRange = { start: number; end: number }

export class StorageNotFound extends Error {
  constructor(key: string) {
    super(`No stored object at ${key}`)
    this.name = 'StorageNotFound'
  }
}

const KEY = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9._-]*)*$/i

function checkKey(key: string) {
  if (!KEY.test(key) || key.length > 512) throw new Error(`Invalid storage key: ${JSON.stringify(key)}`)
  return key
}

export type S3Config = {
  endpoint: string
  bucket: string
  accessKeyId: string
  secretAccessKey: string
  region: string
  forcePathStyle: boolean
}

export function s3ClientConfig(config: S3Config): S3ClientConfig {
  return {
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
  }
}

/** Local disk: files under `root`, written to a temporary name and renamed when complete. */
export function localStorage(root: string): Storage {
  const file = (key: string) => path.join(root, ...checkKey(key).split('/'))
  return {
    kind: 'local',
    async put(key, body) {
      const target = file(key)
      await mkdir(path.dirname(target), { recursive: true })
      const partial = `${target}.${randomBytes(6).toString('hex')}.partial`
      try {
        if (Buffer.isBuffer(body)) await pipeline(Readable.from([body]), createWriteStream(partial))
        else await pipeline(body, createWriteStream(partial))
        await rename(partial, target)
      } catch (error) {
        await rm(partial, { force: true })
        throw error
      }
    },
    async get(key, range) {
      const target = file(key)
      if (!(await this.exists(key))) throw new StorageNotFound(key)
      return createReadStream(target, range ? { start: range.start, end: range.end } : undefined)
    },
    async delete(key) {
      await rm(file(key), { force: true })
    },
    async exists(key) {
      try {
        return (await stat(file(key))).isFile()
      } catch {
        return false
      }
    },
  }
}

function isNotFound(error: unknown) {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } }
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404
}

/** An S3-compatible bucket. Streams go up as a multipart upload, which S3 completes atomically. */
export function s3Storage(config: S3Config, client = new S3Client(s3ClientConfig(config))): Storage {
  const Bucket = config.bucket
  return {
    kind: 's3',
    async put(key, body, opts = {}) {
      checkKey(key)
      if (Buffer.isBuffer(body)) {
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: opts.contentType ?? 'application/octet-stream' }))
        return
      }
      await new Upload({ client, params: { Bucket, Key: key, Body: body, ContentType: opts.contentType ?? 'application/octet-stream' } }).done()
    },
    async get(key, range) {
      checkKey(key)
      try {
        const result = await client.send(new GetObjectCommand({ Bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }))
        return result.Body as Readable
      } catch (error) {
        if (isNotFound(error)) throw new StorageNotFound(key)
        throw error
      }
    },
    async delete(key) {
      checkKey(key)
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }))
    },
    async exists(key) {
      checkKey(key)
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }))
        return true
      } catch (error) {
        if (isNotFound(error)) return false
        throw error
      }
    },
  }
}

/** The S3 settings from the environment, or undefined for local disk. */
export function s3ConfigFromEnv(): S3Config | undefined {
  const e = env()
  if (!e.S3_ENDPOINT || !e.S3_BUCKET || !e.S3_ACCESS_KEY_ID || !e.S3_SECRET_ACCESS_KEY) return undefined
  return {
    endpoint: e.S3_ENDPOINT,
    bucket: e.S3_BUCKET,
    accessKeyId: e.S3_ACCESS_KEY_ID,
    secretAccessKey: e.S3_SECRET_ACCESS_KEY,
    region: e.S3_REGION,
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
  }
}

let current: Storage | undefined

/** The storage of this process, from the environment (made on first use). */
export function getStorage(): Storage {
  if (!current) {
    const s3 = s3ConfigFromEnv()
    current = s3 ? s3Storage(s3) : localStorage(path.join(env().UPLOADS_DIR, 'store'))
  }
  return current
}

/** Replaces the process's storage (tests that run against the S3-protocol server). */
export function useStorage(next: Storage | undefined) {
  current = next
}
