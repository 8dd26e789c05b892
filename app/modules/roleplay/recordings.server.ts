import { Readable } from 'node:stream'
import { and, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { roleplayAssignments, roleplayRecordings, storedFiles, studyGroupMembers, type StoredFile } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { getStorage, StorageNotFound } from '~/modules/files/storage.server'
import { claimUpload, UploadRejected } from '~/modules/files/uploads.server'
import { isCohortStaff, requireGroupAccess } from '~/modules/groups/groups.server'
import { ffprobeAvailable, probeVideo } from '~/modules/videos/probe.server'
import { requireAssignmentAccess, reviewOf } from './roleplay.server'

export const RECORDING_PURPOSE = 'roleplay-video'

export type SubmitRecordingResult =
  { ok: true; version: number; late: boolean; durationSeconds: number | null } | { ok: false; error: 'notMember' | 'noAssignment' | 'released' }

/**
 * ffprobe on the complete local copy, before anything is stored: an unplayable file (cut short,
 * not really a video) is refused with `files.rejected.unplayable`; the duration is the container's.
 */
async function verifyVideo(localPath: string) {
  if (!ffprobeAvailable()) {
    console.warn('genjin: ffprobe is not installed; role-play recordings are not verified (apt-get install -y ffmpeg)')
    return null
  }
  const probe = await probeVideo(localPath)
  if (!probe.ok) throw new UploadRejected('unplayable', 'ffprobe refused the recording')
  return probe.durationSeconds
}

/**
 * Who may add a recording version, whatever the path (tus, browser recording, Mux): a member of
 * the group (others get 403/404 from the group check), while the group has a role-play whose
 * review is not released. After the due time a version is still taken, marked late.
 */
export async function submissionTarget(actor: CurrentUser, groupId: string) {
  const { member } = await requireGroupAccess(actor, groupId)
  if (!member) return { ok: false as const, error: 'notMember' as const }
  const [assignment] = await db.select().from(roleplayAssignments).where(eq(roleplayAssignments.groupId, groupId))
  if (!assignment) return { ok: false as const, error: 'noAssignment' as const }
  if ((await reviewOf(db, assignment.id))?.releasedAt) return { ok: false as const, error: 'released' as const }
  return { ok: true as const, assignment }
}

/**
 * A member turns a finished upload into the group's next recording version. The storage module
 * checks the type (MP4, MOV, WebM) and size (1 GB); ffprobe verifies the whole container and
 * gives the duration. UploadRejected propagates (nothing stored, the current version stays).
 * After the due time the version is late; once the review is released nothing more is taken.
 */
export async function submitRecording(actor: CurrentUser, groupId: string, uploadId: string, now = new Date()): Promise<SubmitRecordingResult> {
  const target = await submissionTarget(actor, groupId)
  if (!target.ok) return target
  const { assignment } = target
  let durationSeconds: number | null = null
  return db.transaction(async (tx) => {
    const file = await claimUpload(tx, actor, uploadId, {
      purpose: RECORDING_PURPOSE,
      verify: async (localPath) => {
        durationSeconds = await verifyVideo(localPath)
      },
    })
    return addRecording(tx, actor, assignment.id, { fileId: file.id, mime: file.mime, durationSeconds }, now)
  })
}

/** Adds a verified recording as the next version (in the caller's transaction). Also for the demo seed. */
export async function addRecording(
  tx: Executor,
  actor: Pick<CurrentUser, 'id'>,
  assignmentId: string,
  file: {
    fileId: string | null
    mime: string | null
    durationSeconds: number | null
    muxPlaybackId?: string | null
    /** A Mux direct upload: the version is 'processing' until Mux's webhook says the asset is ready. */
    muxUploadId?: string | null
  },
  now = new Date(),
) {
  // Versions are numbered under the assignment's row lock: two members at once both get theirs.
  const [a] = await tx.select().from(roleplayAssignments).where(eq(roleplayAssignments.id, assignmentId)).for('update')
  const [{ n }] = parseRows(
    z.object({ n: column.number }),
    await tx.execute(sql`select coalesce(max(version), 0)::int as n from roleplay_recordings where assignment_id = ${assignmentId}`),
  )
  const [row] = await tx
    .insert(roleplayRecordings)
    .values({
      assignmentId,
      version: n + 1,
      fileId: file.fileId,
      mime: file.mime,
      muxPlaybackId: file.muxPlaybackId ?? null,
      muxUploadId: file.muxUploadId ?? null,
      durationSeconds: file.durationSeconds === null ? null : Math.max(1, Math.round(file.durationSeconds)),
      status: file.muxUploadId ? 'processing' : 'ready',
      submittedBy: actor.id,
      submittedAt: now,
    })
    .returning({ id: roleplayRecordings.id })
  await audit({ actorId: actor.id, action: 'roleplay.recording-submitted', entityType: 'roleplay', entityId: assignmentId, details: { version: n + 1 } }, tx)
  return { ok: true as const, id: row.id, version: n + 1, late: now.getTime() > a.dueAt.getTime(), durationSeconds: file.durationSeconds }
}

export type WithdrawResult = { ok: true } | { ok: false; error: string }

/** A member withdraws a version before the due time (it is kept, marked withdrawn); the group may submit again. */
export async function withdrawRecording(actor: CurrentUser, groupId: string, recordingId: string, now = new Date()): Promise<WithdrawResult> {
  const { member } = await requireGroupAccess(actor, groupId)
  if (!member) return { ok: false, error: 'rp.recording.notMember' }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ r: roleplayRecordings, a: roleplayAssignments })
      .from(roleplayRecordings)
      .innerJoin(roleplayAssignments, eq(roleplayAssignments.id, roleplayRecordings.assignmentId))
      .where(and(eq(roleplayRecordings.id, recordingId), eq(roleplayAssignments.groupId, groupId)))
      .for('update')
    if (!row) return { ok: false as const, error: 'errors.invalid' }
    if (row.r.withdrawnAt) return { ok: true as const }
    if (now.getTime() > row.a.dueAt.getTime()) return { ok: false as const, error: 'rp.recording.pastDeadline' }
    if ((await reviewOf(tx, row.a.id))?.releasedAt) return { ok: false as const, error: 'rp.review.alreadyReleased' }
    await tx.update(roleplayRecordings).set({ withdrawnAt: now }).where(eq(roleplayRecordings.id, recordingId))
    await audit(
      { actorId: actor.id, action: 'roleplay.recording-withdrawn', entityType: 'roleplay', entityId: row.a.id, details: { version: row.r.version } },
      tx,
    )
    return { ok: true as const }
  })
}

/** Who may read a recording's file: the group's members and the cohort's staff (HR, its trainers). */
export async function maySeeRecording(user: CurrentUser, file: Pick<StoredFile, 'id'>) {
  const [row] = await db
    .select({ groupId: roleplayAssignments.groupId, cohortId: roleplayAssignments.cohortId })
    .from(roleplayRecordings)
    .innerJoin(roleplayAssignments, eq(roleplayAssignments.id, roleplayRecordings.assignmentId))
    .where(eq(roleplayRecordings.fileId, file.id))
    .limit(1)
  if (!row) return false
  const [membership] = await db
    .select()
    .from(studyGroupMembers)
    .where(and(eq(studyGroupMembers.groupId, row.groupId), eq(studyGroupMembers.userId, user.id)))
  return Boolean(membership) || (await isCohortStaff(user, row.cohortId))
}

/** The stored file of a recording, for its player; 404 unless the person may see the group's work. */
export async function recordingFile(actor: CurrentUser, recordingId: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(recordingId)) throw new Response('Not found', { status: 404 })
  const [row] = await db
    .select({ assignmentId: roleplayRecordings.assignmentId, file: storedFiles })
    .from(roleplayRecordings)
    .innerJoin(storedFiles, eq(storedFiles.id, roleplayRecordings.fileId))
    .where(eq(roleplayRecordings.id, recordingId))
  if (!row) throw new Response('Not found', { status: 404 })
  await requireAssignmentAccess(actor, row.assignmentId)
  return row.file
}

/**
 * The recording's bytes for the player, honouring one `Range: bytes=a-b` (206) so that seeking
 * reads only what it needs; nosniff and a sandbox like every stored file.
 */
export async function recordingResponse(actor: CurrentUser, recordingId: string, request: Request) {
  const file = await recordingFile(actor, recordingId)
  const size = file.size
  const headers = new Headers({
    'Content-Type': file.mime,
    'Accept-Ranges': 'bytes',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'private, max-age=3600',
    ETag: `"${file.sha256}"`,
  })
  const range = /^bytes=(\d*)-(\d*)$/.exec((request.headers.get('Range') ?? '').trim())
  let start = 0
  let end = size - 1
  let partial = false
  if (range && (range[1] !== '' || range[2] !== '')) {
    partial = true
    if (range[1] === '') start = Math.max(0, size - Number(range[2]))
    else {
      start = Number(range[1])
      end = range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1)
    }
    if (start > end || start >= size) {
      headers.set('Content-Range', `bytes */${size}`)
      return new Response(null, { status: 416, headers })
    }
    headers.set('Content-Range', `bytes ${start}-${end}/${size}`)
  }
  headers.set('Content-Length', String(end - start + 1))
  if (request.method === 'HEAD') return new Response(null, { status: partial ? 206 : 200, headers })
  let body
  try {
    body = await getStorage().get(file.storageKey, partial ? { start, end } : undefined)
  } catch (error) {
    if (error instanceof StorageNotFound) throw new Response('Not found', { status: 404 })
    throw error
  }
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { status: partial ? 206 : 200, headers })
}
