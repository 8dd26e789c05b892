import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startS3Server } from '../../../tests/setup/s3-server'
import { localStorage, s3Storage, StorageNotFound, type Storage } from './storage.server'

async function text(stream: Readable) {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks)
}

let s3: Awaited<ReturnType<typeof startS3Server>>
beforeAll(async () => {
  s3 = await startS3Server()
})
afterAll(async () => {
  await s3?.stop()
})

const backends: [string, () => Storage][] = [
  ['local disk', () => localStorage(mkdtempSync(path.join(tmpdir(), 'genjin-store-')))],
  ['the S3-protocol server', () => s3Storage(s3.config)],
]

describe.each(backends)('storage on %s', (_name, make) => {
  it('stores, reads back, reports and deletes a buffer and a stream', async () => {
    const storage = make()
    expect(await storage.exists('files/a')).toBe(false)
    await storage.put('files/a', Buffer.from('跟进 slides'), { contentType: 'application/pdf' })
    expect(await storage.exists('files/a')).toBe(true)
    expect((await text(await storage.get('files/a'))).toString()).toBe('跟进 slides')

    // A stream larger than one multipart part (5 MiB) goes up in parts and comes back whole.
    const big = Buffer.alloc(6 * 1024 * 1024 + 123, 7)
    big.write('start', 0)
    big.write('end', big.length - 3)
    await storage.put('files/b', Readable.from([big.subarray(0, 1_000_000), big.subarray(1_000_000)]))
    const back = await text(await storage.get('files/b'))
    expect(back.length).toBe(big.length)
    expect(back.equals(big)).toBe(true)

    // A byte range (a video's seek) reads only those bytes.
    expect((await text(await storage.get('files/b', { start: 0, end: 4 }))).toString()).toBe('start')
    expect((await text(await storage.get('files/b', { start: big.length - 3, end: big.length - 1 }))).toString()).toBe('end')
    expect((await text(await storage.get('files/b', { start: 5_000_000, end: 5_000_009 }))).equals(big.subarray(5_000_000, 5_000_010))).toBe(true)

    await storage.delete('files/a')
    expect(await storage.exists('files/a')).toBe(false)
    await expect(storage.get('files/a')).rejects.toBeInstanceOf(StorageNotFound)
    // Deleting what is not there is not an error (a cleanup that runs twice).
    await storage.delete('files/a')
  })

  it('leaves the existing object intact when a put is interrupted', async () => {
    const storage = make()
    await storage.put('files/keep', Buffer.from('version 1'))
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 1))
        this.destroy(new Error('connection dropped'))
      },
    })
    await expect(storage.put('files/keep', failing)).rejects.toThrow()
    expect((await text(await storage.get('files/keep'))).toString()).toBe('version 1')
  })

  it('refuses keys that could leave its directory or bucket prefix', async () => {
    const storage = make()
    await expect(storage.put('../escape', Buffer.from('x'))).rejects.toThrow(/Invalid storage key/)
    await expect(storage.put('/etc/passwd', Buffer.from('x'))).rejects.toThrow(/Invalid storage key/)
    await expect(storage.get('files/../../x')).rejects.toThrow(/Invalid storage key/)
  })
})
