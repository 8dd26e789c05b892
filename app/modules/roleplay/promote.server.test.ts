import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { roleplayRecordings, storedFiles, videos } from '#db/schema'
import { registerFileAccess } from '~/modules/files/access.server'
import { getStorage } from '~/modules/files/storage.server'
import { VIDEO_PURPOSE } from '~/modules/videos/media.server'
import { getVideoForEditor, saveBreakpoint } from '~/modules/videos/editor.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { tusUpload } from '../../../tests/setup/files/tus'
import { localIn, makeVideo, roleplayCohort } from '../../../tests/setup/roleplay'
import { assignRoleplay } from './roleplay.server'
import { maySeeRecording, submitRecording } from './recordings.server'
import { promoteRecording, recordingConsents, setRecordingConsent } from './promote.server'

process.env.UPLOADS_DIR = mkdtempSync(path.join(tmpdir(), 'genjin-rp-promote-'))
registerFileAccess('roleplay-video', maySeeRecording)

async function recorded() {
  const c = await roleplayCohort(2, 3)
  const [g1, g2] = c.groups
  const [alice, bob, carol] = g1.members
  // Alice and Bob play; Carol observes (she is not on camera, her consent is not needed).
  const assigned = await assignRoleplay(c.trainer, c.sessionId, {
    intent: 'assign',
    groupId: g1.id,
    scenarioId: c.scenario.id,
    dueAt: localIn(48),
    cast: { [alice.id]: 'manager', [bob.id]: 'employee' },
  })
  if (!assigned.ok) throw new Error(JSON.stringify(assigned.errors))
  const submitted = await submitRecording(alice, g1.id, await tusUpload(alice, makeVideo(3), { purpose: 'roleplay-video', filename: 'skit.mp4' }))
  if (!submitted.ok) throw new Error(submitted.error)
  const [recording] = await db.select().from(roleplayRecordings).where(eq(roleplayRecordings.assignmentId, assigned.assignmentId))
  return { ...c, g1, g2, alice, bob, carol, assignmentId: assigned.assignmentId, recordingId: recording.id }
}

describe('promoting a recording into the video library', () => {
  it('is refused until every player consented, then makes a teaching video that takes breakpoints', async () => {
    const c = await recorded()
    expect(await promoteRecording(c.trainer, c.recordingId)).toEqual({ ok: false, error: 'rp.promote.noConsent' })
    expect(await setRecordingConsent(c.alice, c.recordingId, true)).toEqual({ ok: true })
    // One player of two: still refused.
    expect(await promoteRecording(c.hr, c.recordingId)).toEqual({ ok: false, error: 'rp.promote.noConsent' })
    let state = (await recordingConsents(c.assignmentId, [c.recordingId]))[c.recordingId]
    expect(state.needed.map((n) => [n.userId, n.consented]).sort()).toEqual(
      [
        [c.alice.id, true],
        [c.bob.id, false],
      ].sort(),
    )
    // Bob agrees, takes it back, agrees again; the observer's consent is not asked.
    expect(await setRecordingConsent(c.bob, c.recordingId, true)).toEqual({ ok: true })
    expect(await setRecordingConsent(c.bob, c.recordingId, false)).toEqual({ ok: true })
    expect(await promoteRecording(c.trainer, c.recordingId)).toEqual({ ok: false, error: 'rp.promote.noConsent' })
    expect(await setRecordingConsent(c.bob, c.recordingId, true)).toEqual({ ok: true })
    state = (await recordingConsents(c.assignmentId, [c.recordingId]))[c.recordingId]
    expect(state.complete).toBe(true)

    // Only the cohort's staff promote: a member is refused, a trainer of another cohort and an outsider see nothing.
    await expect(promoteRecording(c.alice, c.recordingId)).rejects.toMatchObject({ status: 403 })
    await expect(promoteRecording(c.otherTrainer, c.recordingId)).rejects.toMatchObject({ status: 404 })
    await expect(promoteRecording(await createPerson({ roles: ['manager'] }), c.recordingId)).rejects.toMatchObject({ status: 404 })

    const promoted = await promoteRecording(c.trainer, c.recordingId)
    expect(promoted).toMatchObject({ ok: true })
    if (!promoted.ok) return
    // Once only: a second click gives the same video.
    expect(await promoteRecording(c.hr, c.recordingId)).toEqual(promoted)
    const [video] = await db.select().from(videos).where(eq(videos.id, promoted.videoId))
    expect(video).toMatchObject({ kind: 'positive', provider: 'local', status: 'ready', durationSeconds: 3 })
    expect(video.title.en).toBe(`Role-play: ${c.scenario.title.en}`)
    // Its own copy, readable by everyone who watches videos; the group's recording keeps its narrower access.
    const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, video.fileId!))
    expect(file.purpose).toBe(VIDEO_PURPOSE)
    expect(await getStorage().exists(file.storageKey)).toBe(true)
    const [recording] = await db.select().from(roleplayRecordings).where(eq(roleplayRecordings.id, c.recordingId))
    expect(recording.promotedVideoId).toBe(promoted.videoId)
    expect(recording.fileId).not.toBe(video.fileId)

    // It takes breakpoints in the video editor like any video.
    const saved = await saveBreakpoint(c.trainer, promoted.videoId, {
      timeSeconds: 1.5,
      title: { en: 'The opening', 'zh-CN': '开场' },
      commentary: { en: 'States the purpose.', 'zh-CN': '说明目的。' },
      keyPoints: [3],
      mustAcknowledge: false,
    })
    expect(saved).toMatchObject({ ok: true })
    expect((await getVideoForEditor(c.trainer, promoted.videoId, 'en')).breakpoints).toHaveLength(1)
    // Consent cannot be taken back silently once the video exists.
    expect(await setRecordingConsent(c.alice, c.recordingId, false)).toEqual({ ok: false, error: 'rp.consent.alreadyPromoted' })
  })

  it('takes consent from the group’s members only', async () => {
    const c = await recorded()
    await expect(setRecordingConsent(c.trainer, c.recordingId, true)).rejects.toMatchObject({ status: 403 })
    await expect(setRecordingConsent(c.g2.members[0], c.recordingId, true)).rejects.toMatchObject({ status: 404 })
    expect((await recordingConsents(c.assignmentId, [c.recordingId]))[c.recordingId].needed.every((n) => !n.consented)).toBe(true)
  })
})
