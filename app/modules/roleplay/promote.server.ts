import { randomBytes, randomUUID } from 'node:crypto'
import { and, asc, eq, inArray } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import {
  roleplayAssignments,
  roleplayCastings,
  roleplayRecordingConsents,
  roleplayRecordings,
  roleplayScenarios,
  storedFiles,
  studyGroupMembers,
  users,
  videos,
} from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { assertCan, deny } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { getStorage } from '~/modules/files/storage.server'
import { VIDEO_PURPOSE } from '~/modules/videos/media.server'
import { requireAssignmentAccess } from './roleplay.server'

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
const notFound = () => new Response('Not found', { status: 404 })

/** A recording with its assignment; 404 unless the person may see the group's work. */
async function requireRecording(actor: CurrentUser, recordingId: string) {
  if (!isUuid(recordingId)) throw notFound()
  const [recording] = await db.select().from(roleplayRecordings).where(eq(roleplayRecordings.id, recordingId))
  if (!recording) throw notFound()
  const access = await requireAssignmentAccess(actor, recording.assignmentId)
  return { recording, ...access }
}

/**
 * Whose consent a recording needs: the players (members cast in a role) — the people on camera.
 * A group that cast nobody needs every member's.
 */
export async function consentState(executor: Executor, assignmentId: string, recordingIds: string[]) {
  const [cast, members, given] = await Promise.all([
    executor.select({ userId: roleplayCastings.userId }).from(roleplayCastings).where(eq(roleplayCastings.assignmentId, assignmentId)),
    executor
      .select({ userId: users.id, name: users.name })
      .from(roleplayAssignments)
      .innerJoin(studyGroupMembers, eq(studyGroupMembers.groupId, roleplayAssignments.groupId))
      .innerJoin(users, eq(users.id, studyGroupMembers.userId))
      .where(eq(roleplayAssignments.id, assignmentId))
      .orderBy(asc(users.name)),
    recordingIds.length
      ? executor.select().from(roleplayRecordingConsents).where(inArray(roleplayRecordingConsents.recordingId, recordingIds))
      : Promise.resolve([]),
  ])
  const castIds = new Set(cast.map((c) => c.userId))
  const needed = castIds.size ? members.filter((m) => castIds.has(m.userId)) : members
  return Object.fromEntries(
    recordingIds.map((id) => {
      const consented = new Set(given.filter((g) => g.recordingId === id).map((g) => g.userId))
      return [
        id,
        {
          needed: needed.map((m) => ({ userId: m.userId, name: m.name, consented: consented.has(m.userId) })),
          complete: needed.length > 0 && needed.every((m) => consented.has(m.userId)),
        },
      ]
    }),
  )
}

/** The consent state of the recordings a page shows (the group page loads them with its access check done). */
export async function recordingConsents(assignmentId: string, recordingIds: string[]) {
  return consentState(db, assignmentId, recordingIds)
}

export type ConsentResult = { ok: true } | { ok: false; error: string }

/**
 * A member of the group gives (or takes back) their consent that this recording may become a
 * teaching example in the video library. Staff cannot consent for them (403); once the recording
 * is in the library, taking consent back goes through HR (the video stays until HR removes it).
 */
export async function setRecordingConsent(actor: CurrentUser, recordingId: string, consent: boolean): Promise<ConsentResult> {
  const { recording, member } = await requireRecording(actor, recordingId)
  if (!member) await deny(actor, 'consent:roleplay:own-group', { recordingId })
  if (recording.withdrawnAt || recording.status !== 'ready') return { ok: false, error: 'rp.consent.notCurrent' }
  if (!consent && recording.promotedVideoId) return { ok: false, error: 'rp.consent.alreadyPromoted' }
  return db.transaction(async (tx) => {
    const changed = consent
      ? await tx.insert(roleplayRecordingConsents).values({ recordingId, userId: actor.id }).onConflictDoNothing().returning()
      : await tx
          .delete(roleplayRecordingConsents)
          .where(and(eq(roleplayRecordingConsents.recordingId, recordingId), eq(roleplayRecordingConsents.userId, actor.id)))
          .returning()
    if (changed.length)
      await audit(
        {
          actorId: actor.id,
          action: consent ? 'roleplay.recording-consent-given' : 'roleplay.recording-consent-withdrawn',
          entityType: 'roleplay',
          entityId: recording.assignmentId,
          details: { version: recording.version },
        },
        tx,
      )
    return { ok: true as const }
  })
}

export type PromoteResult = { ok: true; videoId: string } | { ok: false; error: string }

/**
 * HR or one of the cohort's trainers adds a recording to the video library as a teaching example,
 * only with the consent of every player. The video is a copy in the library's own storage purpose
 * (readable by everyone who watches videos; the group's recording keeps its narrower access) or,
 * for a Mux recording, the same Mux asset. It then gets breakpoints in the video editor like any
 * video. A recording is promoted once.
 */
export async function promoteRecording(actor: CurrentUser, recordingId: string): Promise<PromoteResult> {
  const { recording, staff } = await requireRecording(actor, recordingId)
  if (!staff) await deny(actor, 'promote:roleplay:own-cohort', { recordingId })
  await assertCan(actor, 'edit:videos:all')
  if (recording.promotedVideoId) return { ok: true, videoId: recording.promotedVideoId }
  if (recording.withdrawnAt || recording.status !== 'ready') return { ok: false, error: 'rp.consent.notCurrent' }
  const state = (await consentState(db, recording.assignmentId, [recording.id]))[recording.id]
  if (!state.complete) return { ok: false, error: 'rp.promote.noConsent' }
  const [scenario] = await db
    .select({ title: roleplayScenarios.title, situation: roleplayScenarios.situation })
    .from(roleplayAssignments)
    .innerJoin(roleplayScenarios, eq(roleplayScenarios.id, roleplayAssignments.scenarioId))
    .where(eq(roleplayAssignments.id, recording.assignmentId))
  const videoId = `roleplay-${randomBytes(5).toString('hex')}`
  // Copy the bytes first (outside the transaction): a failed copy leaves no row behind.
  let fileId: string | null = null
  let source: typeof storedFiles.$inferSelect | undefined
  if (recording.fileId) {
    ;[source] = await db.select().from(storedFiles).where(eq(storedFiles.id, recording.fileId))
    if (!source) return { ok: false, error: 'rp.promote.noFile' }
    fileId = randomUUID()
    const storage = getStorage()
    await storage.put(`files/${fileId}`, await storage.get(source.storageKey), { contentType: source.mime, size: source.size })
  } else if (!recording.muxPlaybackId) return { ok: false, error: 'rp.promote.noFile' }
  const result = await db.transaction(async (tx): Promise<PromoteResult> => {
    const [locked] = await tx.select().from(roleplayRecordings).where(eq(roleplayRecordings.id, recording.id)).for('update')
    if (locked.promotedVideoId) return { ok: true, videoId: locked.promotedVideoId }
    if (source && fileId)
      await tx.insert(storedFiles).values({
        id: fileId,
        storageKey: `files/${fileId}`,
        purpose: VIDEO_PURPOSE,
        name: `${videoId}.${source.mime === 'video/webm' ? 'webm' : source.mime === 'video/quicktime' ? 'mov' : 'mp4'}`,
        mime: source.mime,
        size: source.size,
        sha256: source.sha256,
        createdBy: actor.id,
      })
    await tx.insert(videos).values({
      id: videoId,
      kind: 'positive',
      title: { en: `Role-play: ${scenario.title.en}`, 'zh-CN': `角色扮演：${scenario.title['zh-CN']}` },
      description: scenario.situation,
      origin: 'upload',
      provider: fileId ? 'local' : 'mux',
      fileId,
      muxAssetId: fileId ? null : recording.muxAssetId,
      muxPlaybackId: fileId ? null : recording.muxPlaybackId,
      // A Mux recording's asset is reused, not copied: its playback stays signed when it was.
      muxPlaybackPolicy: fileId ? null : recording.muxPlaybackPolicy,
      durationSeconds: recording.durationSeconds,
      status: 'ready',
      createdBy: actor.id,
    })
    await tx.update(roleplayRecordings).set({ promotedVideoId: videoId }).where(eq(roleplayRecordings.id, recording.id))
    await audit(
      {
        actorId: actor.id,
        action: 'roleplay.recording-promoted',
        entityType: 'video',
        entityId: videoId,
        details: { assignmentId: recording.assignmentId, version: recording.version, consents: state.needed.map((n) => n.userId) },
      },
      tx,
    )
    return { ok: true, videoId }
  })
  // Another click got there first: its copy is the video's, this one goes.
  if (result.ok && result.videoId !== videoId && fileId) await getStorage().delete(`files/${fileId}`)
  return result
}
