import { createHmac, createVerify, generateKeyPairSync } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { roleplayRecordings, videos } from '#db/schema'
import { handleMuxWebhook } from '~/modules/videos/mux.server'
import { localIn, roleplayCohort } from '../../../tests/setup/roleplay'
import { createRecordingMuxUpload, recordingPlayback } from './mux-recordings.server'
import { getRoleplayPage, assignRoleplay } from './roleplay.server'
import { releaseReview, saveReview } from './review.server'
import { promoteRecording, setRecordingConsent } from './promote.server'

// Mux is configured with a signing key (signed playback); its API is faked at the HTTP boundary.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
process.env.MUX_TOKEN_ID = 'test-token-id'
process.env.MUX_TOKEN_SECRET = 'test-token-secret'
process.env.MUX_SIGNING_KEY_ID = 'signing-key-1'
process.env.MUX_SIGNING_PRIVATE_KEY = Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()).toString('base64')

const secret = 'roleplay-webhook-secret'
const now = () => Math.floor(Date.now() / 1000)
const sign = (body: string, t = now()) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`
const deliver = (event: unknown) => {
  const body = JSON.stringify(event)
  return handleMuxWebhook(body, sign(body), { secret })
}

let uploads = 0
/** Mux's uploads API, faked: remembers what it was asked and hands out a new upload id. */
function fakeMux() {
  const calls: { url: string; body: unknown }[] = []
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url: String(url), body: JSON.parse(String(init.body)) })
    return Response.json(
      { data: { id: `RpUpload${++uploads}x${Date.now()}`, url: `https://storage.googleapis.com/video-storage/rp${uploads}?signed` } },
      { status: 201 },
    )
  }) as unknown as typeof fetch
  return { calls, fetchImpl }
}

async function assigned() {
  const c = await roleplayCohort(2, 2)
  const [g1, g2] = c.groups
  const [alice, bob] = g1.members
  const a = await assignRoleplay(c.trainer, c.sessionId, {
    intent: 'assign',
    groupId: g1.id,
    scenarioId: c.scenario.id,
    dueAt: localIn(48),
    cast: { [alice.id]: 'manager', [bob.id]: 'employee' },
  })
  if (!a.ok) throw new Error(JSON.stringify(a.errors))
  return { ...c, g1, g2, alice, bob, outsider: g2.members[0], assignmentId: a.assignmentId }
}

async function status(promise: Promise<unknown>) {
  try {
    await promise
    return 200
  } catch (error) {
    if (error instanceof Response) return error.status
    throw error
  }
}

const rowOf = async (id: string) => (await db.select().from(roleplayRecordings).where(eq(roleplayRecordings.id, id)))[0]

describe('role-play recordings uploaded to Mux', () => {
  it('a member starts a Mux upload: a processing version, completed by the webhook with Mux’s duration and playback id', async () => {
    const c = await assigned()
    const mux = fakeMux()
    const started = await createRecordingMuxUpload(c.alice, c.g1.id, 'http://localhost:3371', mux.fetchImpl)
    if (!started.ok) throw new Error(started.error)
    expect(started).toMatchObject({ version: 1, late: false, url: expect.stringContaining('https://storage.googleapis.com/') })
    expect(mux.calls[0].url).toBe('https://api.mux.com/video/v1/uploads')
    expect(mux.calls[0].body).toMatchObject({ cors_origin: 'http://localhost:3371', new_asset_settings: { playback_policy: ['signed'] } })
    const uploadId = (await rowOf(started.recordingId)).muxUploadId!
    expect(await rowOf(started.recordingId)).toMatchObject({ status: 'processing', fileId: null, submittedBy: c.alice.id })
    // The version list shows it, processing; it is not the group's current recording yet and nothing plays.
    let page = await getRoleplayPage(c.alice, c.g1.id)
    expect(page.assignment!.versions.map((v) => [v.version, v.status])).toEqual([[1, 'processing']])
    expect(page.assignment!.currentId).toBeNull()
    expect(await recordingPlayback(c.alice, started.recordingId)).toBeNull()

    expect(await deliver({ id: `evt-c-${uploadId}`, type: 'video.upload.asset_created', data: { id: uploadId, asset_id: `asset-${uploadId}` } })).toMatchObject(
      {
        status: 200,
      },
    )
    expect(await rowOf(started.recordingId)).toMatchObject({ muxAssetId: `asset-${uploadId}`, status: 'processing' })
    const ready = {
      id: `evt-r-${uploadId}`,
      type: 'video.asset.ready',
      data: { id: `asset-${uploadId}`, upload_id: uploadId, duration: 83.47, playback_ids: [{ id: `play-${uploadId}`, policy: 'signed' }] },
    }
    expect(await deliver(ready)).toMatchObject({ status: 200 })
    expect(await rowOf(started.recordingId)).toMatchObject({
      status: 'ready',
      muxPlaybackId: `play-${uploadId}`,
      muxPlaybackPolicy: 'signed',
      durationSeconds: 83,
    })
    page = await getRoleplayPage(c.alice, c.g1.id)
    expect(page.assignment!.currentId).toBe(started.recordingId)
    // A replayed delivery is refused and changes nothing; a forged one too.
    await db.update(roleplayRecordings).set({ durationSeconds: 84 }).where(eq(roleplayRecordings.id, started.recordingId))
    expect(await deliver(ready)).toEqual({ status: 409, message: 'replayed event' })
    const forged = JSON.stringify({ ...ready, id: 'evt-forged' })
    expect(
      await handleMuxWebhook(
        forged,
        sign(forged).replace(/v1=(.)/, (_, ch: string) => `v1=${ch === '0' ? '1' : '0'}`),
        { secret },
      ),
    ).toMatchObject({ status: 401 })
    expect((await rowOf(started.recordingId)).durationSeconds).toBe(84)

    // Playback tokens: the group, the cohort's trainer and HR; not another group, not another trainer.
    for (const viewer of [c.alice, c.bob, c.trainer, c.hr]) {
      const playback = await recordingPlayback(viewer, started.recordingId)
      expect(playback?.playbackId).toBe(`play-${uploadId}`)
      const [header, payload, signature] = playback!.tokens!.playback!.split('.')
      expect(createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, Buffer.from(signature, 'base64url'))).toBe(true)
      expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({ sub: `play-${uploadId}`, aud: 'v', kid: 'signing-key-1' })
    }
    for (const stranger of [c.outsider, c.otherTrainer]) expect([403, 404]).toContain(await status(recordingPlayback(stranger, started.recordingId)))

    // Promotion with every player's consent reuses the Mux asset (no copy), signed playback kept.
    expect(await setRecordingConsent(c.alice, started.recordingId, true)).toEqual({ ok: true })
    expect(await setRecordingConsent(c.bob, started.recordingId, true)).toEqual({ ok: true })
    const promoted = await promoteRecording(c.trainer, started.recordingId)
    if (!promoted.ok) throw new Error(promoted.error)
    const [video] = await db.select().from(videos).where(eq(videos.id, promoted.videoId))
    expect(video).toMatchObject({
      provider: 'mux',
      fileId: null,
      muxAssetId: `asset-${uploadId}`,
      muxPlaybackId: `play-${uploadId}`,
      muxPlaybackPolicy: 'signed',
    })
  })

  it('is refused to a non-member, and to everyone once the review is released', async () => {
    const c = await assigned()
    const mux = fakeMux()
    // Another group's member and another cohort's trainer do not see the group at all (as with the resumable path).
    expect(await status(createRecordingMuxUpload(c.outsider, c.g1.id, 'http://localhost:3371', mux.fetchImpl))).toBe(404)
    expect(await status(createRecordingMuxUpload(c.otherTrainer, c.g1.id, 'http://localhost:3371', mux.fetchImpl))).toBe(404)
    // The trainer sees the group but is not in it: no upload either.
    expect(await createRecordingMuxUpload(c.trainer, c.g1.id, 'http://localhost:3371', mux.fetchImpl)).toEqual({ ok: false, error: 'notMember' })
    expect(mux.calls).toHaveLength(0)

    const started = await createRecordingMuxUpload(c.bob, c.g1.id, 'http://localhost:3371', mux.fetchImpl)
    if (!started.ok) throw new Error(started.error)
    const uploadId = (await rowOf(started.recordingId)).muxUploadId!
    await deliver({
      id: `evt-r-${uploadId}`,
      type: 'video.asset.ready',
      data: { id: `asset-${uploadId}`, upload_id: uploadId, duration: 30, playback_ids: [{ id: `play-${uploadId}`, policy: 'signed' }] },
    })
    const levels = Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => [String(k), 2]))
    expect(await saveReview(c.trainer, c.assignmentId, { levels, summary: 'Good', mode: 'recording' })).toMatchObject({ ok: true })
    expect(await releaseReview(c.trainer, c.assignmentId)).toEqual({ ok: true })
    expect(await createRecordingMuxUpload(c.alice, c.g1.id, 'http://localhost:3371', mux.fetchImpl)).toEqual({ ok: false, error: 'released' })
    expect(mux.calls).toHaveLength(1)
  })

  it('an errored asset refuses the version; a teaching video’s webhook still completes the video and no recording', async () => {
    const c = await assigned()
    const mux = fakeMux()
    const started = await createRecordingMuxUpload(c.alice, c.g1.id, 'http://localhost:3371', mux.fetchImpl)
    if (!started.ok) throw new Error(started.error)
    const uploadId = (await rowOf(started.recordingId)).muxUploadId!
    await deliver({ id: `evt-c-${uploadId}`, type: 'video.upload.asset_created', data: { id: uploadId, asset_id: `asset-${uploadId}` } })
    expect(await deliver({ id: `evt-e-${uploadId}`, type: 'video.asset.errored', data: { id: `asset-${uploadId}` } })).toMatchObject({ status: 200 })
    expect(await rowOf(started.recordingId)).toMatchObject({ status: 'refused', muxPlaybackId: null })
    expect((await getRoleplayPage(c.alice, c.g1.id)).assignment!.currentId).toBeNull()
    // An upload that fails before it became an asset (Mux names the upload): refused too.
    const again = await createRecordingMuxUpload(c.bob, c.g1.id, 'http://localhost:3371', mux.fetchImpl)
    if (!again.ok) throw new Error(again.error)
    const againUpload = (await rowOf(again.recordingId)).muxUploadId!
    expect(await deliver({ id: `evt-ue-${againUpload}`, type: 'video.upload.errored', data: { id: againUpload } })).toMatchObject({ status: 200 })
    expect(await rowOf(again.recordingId)).toMatchObject({ version: 2, status: 'refused' })

    // A teaching video uploaded to Mux: its events complete the video, the recording stays as it was.
    const videoId = `mux-rp-${uploads}`
    await db.insert(videos).values({
      id: videoId,
      kind: 'lecture',
      title: { en: 'Uploading', 'zh-CN': '上传中' },
      description: { en: '', 'zh-CN': '' },
      origin: 'upload',
      provider: 'mux',
      muxUploadId: `video-upload-${uploads}`,
      status: 'uploading',
    })
    await deliver({ id: `evt-vc-${videoId}`, type: 'video.upload.asset_created', data: { id: `video-upload-${uploads}`, asset_id: `video-asset-${uploads}` } })
    await deliver({
      id: `evt-vr-${videoId}`,
      type: 'video.asset.ready',
      data: { id: `video-asset-${uploads}`, duration: 12.5, playback_ids: [{ id: `video-play-${uploads}`, policy: 'public' }] },
    })
    expect((await db.select().from(videos).where(eq(videos.id, videoId)))[0]).toMatchObject({
      status: 'ready',
      muxPlaybackId: `video-play-${uploads}`,
      durationSeconds: 12.5,
    })
    expect(await rowOf(started.recordingId)).toMatchObject({ status: 'refused', muxAssetId: `asset-${uploadId}`, muxPlaybackId: null })
  })
})
