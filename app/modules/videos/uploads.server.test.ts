import { createHmac, createVerify, generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { storedFiles, videoCaptions, videoUploads, videos } from '#db/schema'
import { fileResponse } from '~/modules/files/access.server'
import { getStorage } from '~/modules/files/storage.server'
import { createPerson, requestAs } from '../../../tests/setup/fixtures'
import { localVideoUrl, registerVideoFileAccess, VIDEO_POSTER_PURPOSE, VIDEO_PURPOSE } from './media.server'
import { createMuxDirectUpload, describeMuxVideo, handleMuxWebhook, signMuxTokens, verifyMuxSignature } from './mux.server'
import { createUpload, finalizeUpload, moveLegacyVideoFiles, receiveChunk, sniffContainer } from './uploads.server'
import { checkWebVtt } from './webvtt'
import { deleteAbandonedUploads } from './upload-cleanup.server'

// Uploads of this test file land in a temporary directory, never in data/. Mux's API is faked at the HTTP boundary.
process.env.UPLOADS_DIR = mkdtempSync(path.join(tmpdir(), 'genjin-uploads-'))
process.env.MUX_TOKEN_ID = 'test-token-id'
process.env.MUX_TOKEN_SECRET = 'test-token-secret'

async function bytesOf(key: string) {
  const chunks: Buffer[] = []
  for await (const c of await getStorage().get(key)) chunks.push(Buffer.from(c))
  return Buffer.concat(chunks)
}

const stream = (bytes: Uint8Array) => new Blob([new Uint8Array(bytes)]).stream()
const sample = new Uint8Array(readFileSync('content/videos/follow-up-sample/negative.mp4'))
const VTT = 'WEBVTT\n\n00:00.000 --> 00:02.500\n张伟：你好\n\n00:03.000 --> 00:05.000\n李娜：你好\n'

async function uploadInChunks(person: Awaited<ReturnType<typeof createPerson>>, bytes: Uint8Array, chunk = 512 * 1024) {
  const { id } = await createUpload(person, { size: bytes.length })
  let last
  for (let start = 0; start < bytes.length; start += chunk) {
    const end = Math.min(start + chunk, bytes.length) - 1
    last = await receiveChunk(person, id, `bytes ${start}-${end}/${bytes.length}`, stream(bytes.subarray(start, end + 1)))
    if (last.status !== 308 && last.status !== 200) return { id, last }
  }
  return { id, last }
}

describe('resumable video uploads', () => {
  it('stores chunks in order, acknowledges a retried chunk, and makes a video with captions and poster', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    const { id } = await createUpload(trainer, { size: sample.length })
    const half = 800_000
    expect(await receiveChunk(trainer, id, `bytes 0-${half - 1}/${sample.length}`, stream(sample.subarray(0, half)))).toMatchObject({
      status: 308,
      received: half,
    })
    // The same chunk again (a retry after a lost response) is fine and writes nothing.
    expect(await receiveChunk(trainer, id, `bytes 0-${half - 1}/${sample.length}`, stream(sample.subarray(0, half)))).toMatchObject({
      status: 200,
      received: half,
    })
    // A chunk that would leave a hole is refused.
    expect(await receiveChunk(trainer, id, `bytes ${half + 10}-${sample.length - 1}/${sample.length}`, stream(sample.subarray(half + 10)))).toMatchObject({
      status: 409,
    })
    expect(await receiveChunk(trainer, id, `bytes ${half}-${sample.length - 1}/${sample.length}`, stream(sample.subarray(half)))).toMatchObject({
      status: 200,
      complete: true,
    })

    const poster = new Uint8Array(readFileSync('content/videos/follow-up-sample/negative.jpg'))
    const done = await finalizeUpload(
      trainer,
      {
        uploadId: id,
        kind: 'negative',
        title: { en: 'Role-play recording', 'zh-CN': '角色扮演录像' },
        description: { en: '', 'zh-CN': '' },
        durationSeconds: 88.6,
        captions: { 'zh-CN': VTT },
      },
      poster,
    )
    expect(done.ok).toBe(true)
    if (!done.ok) return
    const [video] = await db.select().from(videos).where(eq(videos.id, done.videoId))
    expect(video).toMatchObject({ origin: 'upload', provider: 'local', status: 'ready', createdBy: trainer.id })
    expect(video.durationSeconds).toBeCloseTo(88.6, 0)
    // The file and poster are stored files in the one storage; the staged .part is gone.
    expect(video).toMatchObject({ filePath: null, posterPath: null })
    const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, video.fileId!))
    expect(file).toMatchObject({ purpose: VIDEO_PURPOSE, mime: 'video/mp4', size: sample.length, createdBy: trainer.id })
    expect((await bytesOf(file.storageKey)).equals(Buffer.from(sample))).toBe(true)
    const [posterFile] = await db.select().from(storedFiles).where(eq(storedFiles.id, video.posterFileId!))
    expect(posterFile).toMatchObject({ purpose: VIDEO_POSTER_PURPOSE, mime: 'image/jpeg', size: poster.length })
    const [row] = await db.select().from(videoUploads).where(eq(videoUploads.id, id))
    expect(existsSync(row.path)).toBe(false)

    // Learners watch it from the storage at /files/<id>, seeking with Range requests; the player gets that URL.
    registerVideoFileAccess()
    const learner = await createPerson({ roles: ['employee'] })
    expect(localVideoUrl(video)).toBe(`/files/${file.id}`)
    const ranged = await fileResponse(learner, file.id, await requestAs(learner, `/files/${file.id}`, { headers: { Range: 'bytes=100-199' } }))
    expect(ranged.status).toBe(206)
    expect(ranged.headers.get('Content-Range')).toBe(`bytes 100-199/${sample.length}`)
    expect(Buffer.from(await ranged.arrayBuffer()).equals(Buffer.from(sample.subarray(100, 200)))).toBe(true)
    const outside = await fileResponse(learner, file.id, await requestAs(learner, `/files/${file.id}`, { headers: { Range: `bytes=${sample.length}-` } }))
    expect(outside.status).toBe(416)
    expect((await fileResponse(learner, file.id, await requestAs(learner, `/files/${file.id}`))).status).toBe(200)
    expect((await db.select().from(videoCaptions).where(eq(videoCaptions.videoId, video.id))).map((c) => c.locale)).toEqual(['zh-CN'])
  })

  it('moves uploaded videos and posters from before the storage module into it, and leaves content videos alone', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    const dir = path.join(process.env.UPLOADS_DIR!, 'videos')
    mkdirSync(dir, { recursive: true })
    const filePath = path.join(dir, 'upload-legacy01.mp4')
    const posterPath = path.join(dir, 'upload-legacy01.jpg')
    writeFileSync(filePath, sample)
    writeFileSync(posterPath, readFileSync('content/videos/follow-up-sample/negative.jpg'))
    const title = { en: 'Old upload', 'zh-CN': '旧上传' }
    await db.insert(videos).values({
      id: 'upload-legacy01',
      kind: 'lecture',
      title,
      description: title,
      origin: 'upload',
      provider: 'local',
      filePath,
      posterPath,
      createdBy: trainer.id,
    })
    await db
      .insert(videos)
      .values({ id: 'upload-legacy02', kind: 'lecture', title, description: title, origin: 'upload', provider: 'local', filePath: path.join(dir, 'gone.mp4') })

    const summary = await moveLegacyVideoFiles(db)
    expect(summary.moved).toBeGreaterThanOrEqual(1)
    const [moved] = await db.select().from(videos).where(eq(videos.id, 'upload-legacy01'))
    expect(moved).toMatchObject({ filePath: null, posterPath: null })
    const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, moved.fileId!))
    expect(file).toMatchObject({ purpose: VIDEO_PURPOSE, size: sample.length, createdBy: trainer.id })
    expect((await bytesOf(file.storageKey)).equals(Buffer.from(sample))).toBe(true)
    expect(existsSync(filePath) || existsSync(posterPath)).toBe(false)
    // A row whose file is missing stays as it was; content videos are not touched.
    const [missing] = await db.select().from(videos).where(eq(videos.id, 'upload-legacy02'))
    expect(missing).toMatchObject({ fileId: null, filePath: path.join(dir, 'gone.mp4') })
    expect((await moveLegacyVideoFiles(db)).moved).toBe(0)
  })

  it('verifies the whole file on the server: a truncated MP4 is refused and deleted, the duration comes from the container', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    // A valid beginning (ftyp and all), the media data cut off two thirds in.
    const truncated = sample.subarray(0, Math.floor(sample.length * 0.66))
    const { id } = await uploadInChunks(trainer, truncated)
    const meta = {
      uploadId: id,
      kind: 'lecture' as const,
      title: { en: 'Cut', 'zh-CN': '截断' },
      description: { en: '', 'zh-CN': '' },
      durationSeconds: 88.6,
      captions: {},
    }
    expect(await finalizeUpload(trainer, meta, null)).toEqual({ ok: false, errors: { uploadId: ['videos.upload.corrupt'] } })
    expect(await db.select().from(videos).where(eq(videos.createdBy, trainer.id))).toHaveLength(0)

    // The browser claims an hour; the container says otherwise, and the container wins.
    const whole = await uploadInChunks(trainer, sample)
    const done = await finalizeUpload(trainer, { ...meta, uploadId: whole.id, durationSeconds: 3600 }, null)
    expect(done.ok).toBe(true)
    const [video] = await db.select().from(videos).where(eq(videos.createdBy, trainer.id))
    expect(video.durationSeconds).toBeGreaterThan(80)
    expect(video.durationSeconds).toBeLessThan(100)
  })

  it('deletes abandoned uploads and stray .part files after a day, and keeps recent ones', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    const old = await uploadInChunks(trainer, sample.subarray(0, 600_000), 300_000)
    const recent = await uploadInChunks(trainer, sample.subarray(0, 600_000), 300_000)
    const [oldRow] = await db.select().from(videoUploads).where(eq(videoUploads.id, old.id))
    const [recentRow] = await db.select().from(videoUploads).where(eq(videoUploads.id, recent.id))
    await db
      .update(videoUploads)
      .set({ createdAt: new Date(Date.now() - 25 * 3600_000) })
      .where(eq(videoUploads.id, old.id))
    const stray = path.join(process.env.UPLOADS_DIR!, 'crashed.part')
    writeFileSync(stray, 'x')
    utimesSync(stray, new Date(Date.now() - 25 * 3600_000), new Date(Date.now() - 25 * 3600_000))
    await deleteAbandonedUploads(new Date())
    expect(existsSync(oldRow.path)).toBe(false)
    expect(existsSync(stray)).toBe(false)
    expect(existsSync(recentRow.path)).toBe(true)
    expect(await db.select().from(videoUploads).where(eq(videoUploads.id, old.id))).toHaveLength(0)
    expect(await db.select().from(videoUploads).where(eq(videoUploads.id, recent.id))).toHaveLength(1)
  })

  it('refuses a file that is not a video, whatever its name, and deletes it', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    const fake = new TextEncoder().encode('<html>not a video at all, just named clip.mp4</html>'.padEnd(2000, ' '))
    const { id, last } = await uploadInChunks(trainer, fake)
    expect(last).toMatchObject({ status: 415, error: 'videos.upload.notVideo' })
    expect(await receiveChunk(trainer, id, `bytes 0-9/${fake.length}`, stream(fake.subarray(0, 10)))).toMatchObject({ status: 404 })
    expect(sniffContainer(sample.subarray(0, 16))).toBe('mp4')
    expect(sniffContainer(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0]))).toBe('webm')
  })

  it('validates captions as WebVTT and refuses an unfinished upload', async () => {
    expect(checkWebVtt(VTT)).toEqual({ ok: true, cues: 2 })
    expect(checkWebVtt('1\n00:00:01,000 --> 00:00:02,000\nSRT, not VTT')).toMatchObject({ ok: false, error: 'videos.vtt.header' })
    expect(checkWebVtt('WEBVTT\n\n00:05.000 --> 00:04.000\nbackwards')).toMatchObject({ ok: false, error: 'videos.vtt.endBeforeStart', line: 3 })
    expect(checkWebVtt('WEBVTT\n\n00:05.000 --> 00:06.000\nx', 3)).toMatchObject({ ok: false, error: 'videos.vtt.afterEnd' })
    const trainer = await createPerson({ roles: ['trainer'] })
    const { id } = await createUpload(trainer, { size: sample.length })
    const result = await finalizeUpload(
      trainer,
      {
        uploadId: id,
        kind: 'lecture',
        title: { en: 'x', 'zh-CN': 'x' },
        description: { en: '', 'zh-CN': '' },
        durationSeconds: 10,
        captions: { en: 'not vtt' },
      },
      null,
    )
    expect(result).toMatchObject({ ok: false, errors: { 'captions.en': [expect.stringMatching(/^videos\.vtt\.header/)] } })
    const incomplete = await finalizeUpload(
      trainer,
      { uploadId: id, kind: 'lecture', title: { en: 'x', 'zh-CN': 'x' }, description: { en: '', 'zh-CN': '' }, durationSeconds: 10, captions: {} },
      null,
    )
    expect(incomplete).toMatchObject({ ok: false, errors: { uploadId: ['videos.upload.incomplete'] } })
  })

  it('lets only trainers and HR upload, and only into their own uploads', async () => {
    const manager = await createPerson({ roles: ['manager'] })
    await expect(createUpload(manager, { size: 10 })).rejects.toMatchObject({ status: 403 })
    const [a, b] = await Promise.all([createPerson({ roles: ['trainer'] }), createPerson({ roles: ['hr_admin'] })])
    const { id } = await createUpload(a, { size: sample.length })
    expect(await receiveChunk(b, id, `bytes 0-99/${sample.length}`, stream(sample.subarray(0, 100)))).toMatchObject({ status: 404 })
  })
})

describe('the Mux webhook', () => {
  const secret = 'test-webhook-secret'
  const sign = (body: string, t: number, key = secret) => `t=${t},v1=${createHmac('sha256', key).update(`${t}.${body}`).digest('hex')}`
  const now = () => Math.floor(Date.now() / 1000)

  it('verifies signatures: right key and time only', async () => {
    const body = '{"id":"e"}'
    // Checked at the signing instant: a loaded machine's delay must not move the ±300 s edges.
    const t = now()
    expect(await verifyMuxSignature(body, sign(body, t), secret, t)).toBe(true)
    expect(await verifyMuxSignature(body, sign(body, t, 'another-secret'), secret, t)).toBe(false)
    expect(await verifyMuxSignature(`${body} `, sign(body, t), secret, t)).toBe(false)
    expect(await verifyMuxSignature(body, sign(body, t - 301), secret, t)).toBe(false)
    expect(await verifyMuxSignature(body, null, secret, t)).toBe(false)
    expect(await verifyMuxSignature(body, 't=abc,v1=zz', secret, t)).toBe(false)
    // Mux's own check lets a timestamp from the future through; ours does not.
    expect(await verifyMuxSignature(body, sign(body, t + 301), secret, t)).toBe(false)
  })

  it('records the asset and playback id when ready, and refuses bad and replayed deliveries', async () => {
    await db.insert(videos).values({
      id: 'mux-test',
      kind: 'lecture',
      title: { en: 'Uploading', 'zh-CN': '上传中' },
      description: { en: '', 'zh-CN': '' },
      origin: 'upload',
      provider: 'mux',
      muxUploadId: 'upload-abc',
      status: 'uploading',
    })
    const created = JSON.stringify({ id: 'evt-1', type: 'video.upload.asset_created', data: { id: 'upload-abc', asset_id: 'asset-xyz' } })
    expect(await handleMuxWebhook(created, sign(created, now()), { secret })).toEqual({ status: 200, message: 'video.upload.asset_created' })
    expect((await db.select().from(videos).where(eq(videos.id, 'mux-test')))[0]).toMatchObject({ muxAssetId: 'asset-xyz', status: 'processing' })

    const ready = JSON.stringify({
      id: 'evt-2',
      type: 'video.asset.ready',
      data: { id: 'asset-xyz', upload_id: 'upload-abc', duration: 61.2345, playback_ids: [{ id: 'play-123', policy: 'public' }] },
    })
    // One hex digit of the signature changed (to another digit, whatever it was).
    const tampered = sign(ready, now()).replace(/v1=(.)/, (_, c: string) => `v1=${c === '0' ? '1' : '0'}`)
    expect(await handleMuxWebhook(ready, tampered, { secret })).toMatchObject({ status: 401 })
    expect(await handleMuxWebhook(ready, sign(ready, now() - 600), { secret })).toMatchObject({ status: 401 })
    expect((await db.select().from(videos).where(eq(videos.id, 'mux-test')))[0].status).toBe('processing')
    expect(await handleMuxWebhook(ready, sign(ready, now()), { secret })).toMatchObject({ status: 200 })
    expect((await db.select().from(videos).where(eq(videos.id, 'mux-test')))[0]).toMatchObject({
      muxPlaybackId: 'play-123',
      muxPlaybackPolicy: 'public',
      durationSeconds: 61.235,
      status: 'ready',
    })
    // The same event again, even freshly signed, is a replay.
    expect(await handleMuxWebhook(ready, sign(ready, now()), { secret })).toEqual({ status: 409, message: 'replayed event' })
  })
})

describe('uploading to Mux', () => {
  it('creates a direct upload with our credentials and a video row that the webhook and the form complete', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    const calls: { url: string; init: RequestInit }[] = []
    const fakeMux = (async (url: string, init: RequestInit) => {
      calls.push({ url, init })
      return Response.json({ data: { id: 'UpLoAd0123456789', url: 'https://storage.googleapis.com/video-storage/abc?signed' } }, { status: 201 })
    }) as unknown as typeof fetch
    const created = await createMuxDirectUpload(trainer, 'http://localhost:3000', fakeMux)
    expect(created.url).toMatch(/^https:\/\/storage\.googleapis\.com\//)
    expect(calls[0].url).toBe('https://api.mux.com/video/v1/uploads')
    expect(new Headers(calls[0].init.headers).get('Authorization')).toBe(`Basic ${Buffer.from('test-token-id:test-token-secret').toString('base64')}`)
    expect(JSON.parse(String(calls[0].init.body))).toMatchObject({ cors_origin: 'http://localhost:3000', new_asset_settings: { playback_policy: ['public'] } })
    const [row] = await db.select().from(videos).where(eq(videos.id, created.videoId))
    expect(row).toMatchObject({ provider: 'mux', muxUploadId: 'UpLoAd0123456789', status: 'uploading', createdBy: trainer.id })

    const described = await describeMuxVideo(trainer, {
      videoId: created.videoId,
      kind: 'positive',
      title: { en: 'Mux clip', 'zh-CN': 'Mux 片段' },
      captions: { en: VTT },
    })
    expect(described).toEqual({ ok: true, videoId: created.videoId })
    const [after] = await db.select().from(videos).where(eq(videos.id, created.videoId))
    expect(after.title.en).toBe('Mux clip')
    const someoneElse = await createPerson({ roles: ['trainer'] })
    expect(await describeMuxVideo(someoneElse, { videoId: created.videoId, kind: 'lecture', title: { en: 'x', 'zh-CN': 'x' } })).toMatchObject({ ok: false })
  })
})

describe('signed Mux playback', () => {
  it('signs RS256 tokens for the playback id, video, thumbnail and storyboard, that verify with the public key and expire', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const before = Math.floor(Date.now() / 1000)
    const tokens = await signMuxTokens('play-123', { id: 'key-1', privateKeyBase64: Buffer.from(pem).toString('base64') }, '1h')
    const audiences = { playback: 'v', thumbnail: 't', storyboard: 's' } as const
    for (const [name, aud] of Object.entries(audiences)) {
      const [header, payload, signature] = tokens[name as keyof typeof audiences]!.split('.')
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'RS256' })
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
      expect(claims).toMatchObject({ sub: 'play-123', aud, kid: 'key-1' })
      expect(claims.exp - before).toBeGreaterThanOrEqual(3600)
      expect(claims.exp - before).toBeLessThan(3600 + 120)
      expect(createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, Buffer.from(signature, 'base64url'))).toBe(true)
    }
  })
})
