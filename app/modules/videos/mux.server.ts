import Mux from '@mux/mux-node'
import { and, eq, or } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { muxWebhookEvents, videoCaptions, videos } from '#db/schema'
import { env } from '~/env.server'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { LocalizedTextSchema } from './videos'
import { emit } from '~/shared/events.server'
import { fieldErrorsOf } from '~/shared/forms'
import { captionErrors } from './webvtt'

/** Signatures older or newer than this are refused (Mux's recommended tolerance). */
export const SIGNATURE_TOLERANCE_SECONDS = 300

export function muxConfigured() {
  const e = env()
  return Boolean(e.MUX_TOKEN_ID && e.MUX_TOKEN_SECRET)
}

/** A Mux API client with our credentials (and a fetch to use instead of the network, in tests). */
function muxClient(options: { fetch?: typeof fetch; webhookSecret?: string } = {}) {
  const e = env()
  return new Mux({
    tokenId: e.MUX_TOKEN_ID ?? 'unset',
    tokenSecret: e.MUX_TOKEN_SECRET ?? 'unset',
    webhookSecret: options.webhookSecret ?? e.MUX_WEBHOOK_SECRET ?? null,
    jwtSigningKey: e.MUX_SIGNING_KEY_ID ?? null,
    jwtPrivateKey: e.MUX_SIGNING_PRIVATE_KEY ?? null,
    fetch: options.fetch,
    maxRetries: 0,
  })
}

/**
 * Checks a `mux-signature: t=<unix seconds>,v1=<hex>` header with @mux/mux-node (HMAC-SHA256 of
 * `${t}.${body}`, constant-time, refuses timestamps over five minutes old). Mux's check lets a
 * timestamp from the future through; we refuse those too, so a captured delivery can't be re-signed ahead.
 */
export async function verifyMuxSignature(body: string, header: string | null, secret: string, nowSeconds = Date.now() / 1000): Promise<boolean> {
  if (!header) return false
  const t = /(?:^|,)\s*t=(\d+)\s*(?:,|$)/.exec(header)?.[1]
  if (!t || Math.abs(nowSeconds - Number(t)) > SIGNATURE_TOLERANCE_SECONDS) return false
  try {
    await muxClient({ webhookSecret: secret }).webhooks.verifySignature(body, { 'mux-signature': header }, secret)
    return true
  } catch {
    return false
  }
}

const MuxEvent = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(200),
  data: z
    .object({
      id: z.string().optional(),
      asset_id: z.string().optional(),
      upload_id: z.string().optional(),
      duration: z.number().optional(),
      playback_ids: z.array(z.object({ id: z.string(), policy: z.string() })).optional(),
    })
    .passthrough(),
})

export type WebhookOutcome = { status: 200 | 400 | 401 | 404 | 409; message: string }

/**
 * Handles a Mux webhook delivery: refuses a bad or stale signature and a replayed event id,
 * then records what the event says about our video (asset created, ready with its playback id
 * and duration, or errored) and announces it (`mux.*` domain events, in the same transaction) for
 * the other owners of Mux uploads — role-play recordings — whom this module does not know.
 */
export async function handleMuxWebhook(
  rawBody: string,
  signature: string | null,
  options: { secret?: string; nowSeconds?: number } = {},
): Promise<WebhookOutcome> {
  const secret = options.secret ?? env().MUX_WEBHOOK_SECRET
  if (!secret) return { status: 404, message: 'webhook not configured' }
  if (!(await verifyMuxSignature(rawBody, signature, secret, options.nowSeconds))) return { status: 401, message: 'bad signature' }
  let event: z.infer<typeof MuxEvent>
  try {
    event = MuxEvent.parse(JSON.parse(rawBody))
  } catch {
    return { status: 400, message: 'bad event' }
  }
  return db.transaction(async (tx) => {
    const inserted = await tx.insert(muxWebhookEvents).values({ id: event.id, type: event.type }).onConflictDoNothing().returning()
    if (inserted.length === 0) return { status: 409 as const, message: 'replayed event' }
    const d = event.data
    if (event.type === 'video.upload.asset_created' && d.id && d.asset_id) {
      await tx.update(videos).set({ muxAssetId: d.asset_id, status: 'processing', updatedAt: new Date() }).where(eq(videos.muxUploadId, d.id))
      await emit(tx, 'mux.upload-asset-created', { uploadId: d.id, assetId: d.asset_id })
    } else if (event.type === 'video.asset.ready' && d.id) {
      const playback = d.playback_ids?.[0]
      const match = d.upload_id ? or(eq(videos.muxAssetId, d.id), eq(videos.muxUploadId, d.upload_id)) : eq(videos.muxAssetId, d.id)
      const [video] = await tx
        .update(videos)
        .set({
          muxAssetId: d.id,
          muxPlaybackId: playback?.id ?? null,
          muxPlaybackPolicy: playback?.policy ?? null,
          durationSeconds: d.duration ? Math.round(d.duration * 1000) / 1000 : undefined,
          status: playback ? 'ready' : 'processing',
          updatedAt: new Date(),
        })
        .where(match)
        .returning({ id: videos.id })
      if (video) await audit({ action: 'video.mux_ready', entityType: 'video', entityId: video.id, details: { asset: d.id, event: event.id } }, tx)
      await emit(tx, 'mux.asset-ready', {
        assetId: d.id,
        uploadId: d.upload_id ?? null,
        playbackId: playback?.id ?? null,
        playbackPolicy: playback?.policy ?? null,
        durationSeconds: d.duration ?? null,
        eventId: event.id,
      })
    } else if ((event.type === 'video.asset.errored' || event.type === 'video.upload.errored') && d.id) {
      await tx
        .update(videos)
        .set({ status: 'failed', updatedAt: new Date() })
        .where(or(eq(videos.muxAssetId, d.id), eq(videos.muxUploadId, d.id)))
      await emit(tx, 'mux.asset-errored', { id: d.id, uploadId: d.upload_id ?? null, eventId: event.id })
    }
    return { status: 200 as const, message: event.type }
  })
}

/**
 * Asks Mux for a direct-upload URL (the caller has checked who may upload): 404 when Mux is not
 * configured, 502 when Mux refuses. With a signing key, playback is signed: only our signed-in
 * viewers get tokens. Role-play recordings use it too (decision 053).
 */
export async function createMuxUploadUrl(origin: string, fetchImpl: typeof fetch = fetch) {
  if (!muxConfigured()) throw new Response('Mux is not configured', { status: 404 })
  let upload: { id: string; url?: string }
  try {
    upload = await muxClient({ fetch: fetchImpl }).video.uploads.create({
      cors_origin: origin,
      new_asset_settings: { playback_policy: [env().MUX_SIGNING_KEY_ID ? 'signed' : 'public'], video_quality: 'basic' },
    })
  } catch {
    throw new Response('Mux refused the upload', { status: 502 })
  }
  return z.object({ id: z.string().min(1), url: z.string().url() }).parse(upload)
}

/**
 * Creates a Mux direct upload (when MUX_TOKEN_ID/MUX_TOKEN_SECRET are set) and a video row that
 * the webhook completes. The browser uploads straight to Mux's URL.
 */
export async function createMuxDirectUpload(user: CurrentUser, origin: string, fetchImpl: typeof fetch = fetch) {
  await assertCan(user, 'upload:videos:all')
  const data = await createMuxUploadUrl(origin, fetchImpl)
  const id = `mux-${data.id
    .slice(0, 12)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}`
  await db.insert(videos).values({
    id,
    kind: 'lecture',
    title: { en: 'Uploading…', 'zh-CN': '上传中……' },
    description: { en: '', 'zh-CN': '' },
    origin: 'upload',
    provider: 'mux',
    muxUploadId: data.id,
    status: 'uploading',
    createdBy: user.id,
  })
  return { videoId: id, url: data.url }
}

export const DescribeMuxVideoSchema = z
  .object({
    videoId: z.string().min(1).max(100),
    kind: z.enum(['positive', 'negative', 'lecture']),
    title: LocalizedTextSchema,
    description: z
      .object({ en: z.string().trim().max(4000), 'zh-CN': z.string().trim().max(4000) })
      .strict()
      .default({ en: '', 'zh-CN': '' }),
    captions: z
      .object({ en: z.string().max(500_000).optional(), 'zh-CN': z.string().max(500_000).optional() })
      .strict()
      .default({}),
    durationSeconds: z.number().optional(),
  })
  .strict()

/** Title, kind and captions for a video uploaded to Mux (its duration and playback id come from the webhook). */
export async function describeMuxVideo(user: CurrentUser, input: unknown) {
  await assertCan(user, 'upload:videos:all')
  const parsed = DescribeMuxVideoSchema.safeParse(input)
  if (!parsed.success) return { ok: false as const, errors: fieldErrorsOf(parsed.error) }
  const value = parsed.data
  const errors = captionErrors(value.captions)
  if (Object.keys(errors).length) return { ok: false as const, errors }
  return db.transaction(async (tx) => {
    const [video] = await tx
      .select()
      .from(videos)
      .where(and(eq(videos.id, value.videoId), eq(videos.provider, 'mux'), eq(videos.createdBy, user.id)))
    if (!video) return { ok: false as const, errors: { videoId: ['videos.upload.unknown'] } }
    await tx.update(videos).set({ kind: value.kind, title: value.title, description: value.description, updatedAt: new Date() }).where(eq(videos.id, video.id))
    for (const locale of ['zh-CN', 'en'] as const) {
      const text = value.captions[locale]?.trim()
      if (!text) continue
      await tx
        .insert(videoCaptions)
        .values({ videoId: video.id, locale, vtt: `${text}\n` })
        .onConflictDoUpdate({ target: [videoCaptions.videoId, videoCaptions.locale], set: { vtt: `${text}\n`, updatedAt: new Date() } })
    }
    await audit(
      { actorId: user.id, action: 'video.uploaded', entityType: 'video', entityId: video.id, after: { provider: 'mux', upload: video.muxUploadId } },
      tx,
    )
    return { ok: true as const, videoId: video.id }
  })
}

export type MuxPlaybackTokens = { playback?: string; thumbnail?: string; storyboard?: string }

/**
 * RS256 tokens for a signed playback id (video, thumbnail, storyboard), signed by @mux/mux-node
 * with the given key (the private key base64-encoded PEM, as Mux hands it out).
 */
export async function signMuxTokens(playbackId: string, key: { id: string; privateKeyBase64: string }, expiration = '6h'): Promise<MuxPlaybackTokens> {
  const tokens = await muxClient().jwt.signPlaybackId(playbackId, {
    keyId: key.id,
    keySecret: key.privateKeyBase64,
    expiration,
    type: ['video', 'thumbnail', 'storyboard'],
  })
  return { playback: tokens['playback-token'], thumbnail: tokens['thumbnail-token'], storyboard: tokens['storyboard-token'] }
}

/** Player tokens for a signed Mux playback id; none for public ones or without a signing key. */
export async function muxPlaybackTokens(playbackId: string | null, policy: string | null): Promise<MuxPlaybackTokens | null> {
  const { MUX_SIGNING_KEY_ID, MUX_SIGNING_PRIVATE_KEY } = env()
  if (!playbackId || policy !== 'signed' || !MUX_SIGNING_KEY_ID || !MUX_SIGNING_PRIVATE_KEY) return null
  return signMuxTokens(playbackId, { id: MUX_SIGNING_KEY_ID, privateKeyBase64: MUX_SIGNING_PRIVATE_KEY })
}
