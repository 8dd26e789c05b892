import { eq, or } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { roleplayRecordings } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { createMuxUploadUrl, muxConfigured, muxPlaybackTokens } from '~/modules/videos/mux.server'
import type { DomainEvents } from '~/shared/events.server'
import { addRecording, submissionTarget } from './recordings.server'
import { requireAssignmentAccess } from './roleplay.server'

/**
 * Role-play recordings uploaded straight to Mux (decision 053). The browser sends the file to
 * Mux's URL; the version waits in 'processing' until Mux's webhook (handled by the videos module,
 * announced as `mux.*` domain events) gives the asset, its playback id and its duration.
 */

export type RecordingMuxUploadResult =
  | { ok: true; recordingId: string; version: number; late: boolean; url: string }
  | { ok: false; error: 'notMember' | 'noAssignment' | 'released' | 'notConfigured' }

/**
 * A member starts a Mux direct upload for the group's next recording version: the same rules as
 * the resumable path (`submissionTarget`), then a version in 'processing' tied to the upload.
 */
export async function createRecordingMuxUpload(
  actor: CurrentUser,
  groupId: string,
  origin: string,
  fetchImpl: typeof fetch = fetch,
  now = new Date(),
): Promise<RecordingMuxUploadResult> {
  const target = await submissionTarget(actor, groupId)
  if (!target.ok) return target
  if (!muxConfigured()) return { ok: false, error: 'notConfigured' }
  const upload = await createMuxUploadUrl(origin, fetchImpl)
  const added = await db.transaction((tx) =>
    addRecording(tx, actor, target.assignment.id, { fileId: null, mime: null, durationSeconds: null, muxUploadId: upload.id }, now),
  )
  return { ok: true, recordingId: added.id, version: added.version, late: added.late, url: upload.url }
}

/** `mux.upload-asset-created`: the upload became an asset. */
export async function recordingAssetCreated(tx: Executor, e: DomainEvents['mux.upload-asset-created']) {
  await tx.update(roleplayRecordings).set({ muxAssetId: e.assetId }).where(eq(roleplayRecordings.muxUploadId, e.uploadId))
}

/** `mux.asset-ready`: playback id and duration (Mux measured it, not the browser); ready once there is a playback id. */
export async function recordingAssetReady(tx: Executor, e: DomainEvents['mux.asset-ready']) {
  const match = e.uploadId
    ? or(eq(roleplayRecordings.muxAssetId, e.assetId), eq(roleplayRecordings.muxUploadId, e.uploadId))
    : eq(roleplayRecordings.muxAssetId, e.assetId)
  const rows = await tx
    .update(roleplayRecordings)
    .set({
      muxAssetId: e.assetId,
      muxPlaybackId: e.playbackId,
      muxPlaybackPolicy: e.playbackPolicy,
      mime: e.playbackId ? 'application/x-mpegurl' : null,
      durationSeconds: e.durationSeconds ? Math.max(1, Math.round(e.durationSeconds)) : null,
      status: e.playbackId ? 'ready' : 'processing',
    })
    .where(match)
    .returning({ id: roleplayRecordings.id, assignmentId: roleplayRecordings.assignmentId, version: roleplayRecordings.version })
  for (const r of rows)
    await audit(
      {
        action: 'roleplay.recording-mux-ready',
        entityType: 'roleplay',
        entityId: r.assignmentId,
        details: { version: r.version, asset: e.assetId, event: e.eventId },
      },
      tx,
    )
}

/** `mux.asset-errored`: the version is refused (kept, never current); the group uploads again. */
export async function recordingAssetErrored(tx: Executor, e: DomainEvents['mux.asset-errored']) {
  const ids = [e.id, ...(e.uploadId ? [e.uploadId] : [])]
  const rows = await tx
    .update(roleplayRecordings)
    .set({ status: 'refused' })
    .where(or(...ids.flatMap((id) => [eq(roleplayRecordings.muxAssetId, id), eq(roleplayRecordings.muxUploadId, id)])))
    .returning({ assignmentId: roleplayRecordings.assignmentId, version: roleplayRecordings.version })
  for (const r of rows)
    await audit(
      { action: 'roleplay.recording-mux-failed', entityType: 'roleplay', entityId: r.assignmentId, details: { version: r.version, event: e.eventId } },
      tx,
    )
}

export type RecordingPlayback = { playbackId: string; tokens: { playback?: string; thumbnail?: string; storyboard?: string } | null }

/**
 * The Mux playback id of a recording and, when it is signed, short-lived tokens — only for who
 * may see the recording (the group, the cohort's trainers, HR; others get 404/403 like the file).
 * Null for a stored (non-Mux) recording or one still processing.
 */
export async function recordingPlayback(actor: CurrentUser, recordingId: string): Promise<RecordingPlayback | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(recordingId)) throw new Response('Not found', { status: 404 })
  const [row] = await db.select().from(roleplayRecordings).where(eq(roleplayRecordings.id, recordingId))
  if (!row) throw new Response('Not found', { status: 404 })
  await requireAssignmentAccess(actor, row.assignmentId)
  if (!row.muxPlaybackId || row.status !== 'ready') return null
  return { playbackId: row.muxPlaybackId, tokens: await muxPlaybackTokens(row.muxPlaybackId, row.muxPlaybackPolicy) }
}
