import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { courseModules, courses, enrolments, moduleProgress, roleplayRecordings, storedFiles } from '#db/schema'
import { UploadRejected } from '~/modules/files/uploads.server'
import { canReadFile, registerFileAccess } from '~/modules/files/access.server'
import { loadContent } from '~/modules/courses/content.server'
import { importContent } from '~/modules/courses/course-import.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { tusUpload } from '../../../tests/setup/files/tus'
import { localIn, makeVideo, roleplayCohort } from '../../../tests/setup/roleplay'
import { rubricScore } from './roleplay'
import { assignRoleplay, getRoleplayBoard, getRoleplayPage, markPerformedLive } from './roleplay.server'
import { maySeeRecording, submitRecording, withdrawRecording } from './recordings.server'
import { addComment, editComment, getReviewPage, releaseReview, replyToComment, saveReview } from './review.server'

process.env.UPLOADS_DIR = mkdtempSync(path.join(tmpdir(), 'genjin-roleplay-'))
registerFileAccess('roleplay-video', maySeeRecording)

const allLevels = (level: number) => Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => [String(k), level]))

async function setUp() {
  const c = await roleplayCohort()
  const [g1, g2] = c.groups
  const [alice, bob] = g1.members
  const assigned = await assignRoleplay(c.trainer, c.sessionId, {
    intent: 'assign',
    groupId: g1.id,
    scenarioId: c.scenario.id,
    dueAt: localIn(48),
    cast: { [alice.id]: 'manager', [bob.id]: 'employee' },
  })
  if (!assigned.ok) throw new Error(JSON.stringify(assigned.errors))
  return { ...c, g1, g2, alice, bob, assignmentId: assigned.assignmentId }
}

async function upload(person: Parameters<typeof tusUpload>[0], bytes: Buffer, filename = 'skit.mp4') {
  return tusUpload(person, bytes, { purpose: 'roleplay-video', filename })
}

describe('role-play assignment and private briefs', () => {
  it('shows each member only their own brief, trainers and HR all; nobody else sees the group', async () => {
    const c = await setUp()
    const alicePage = await getRoleplayPage(c.alice, c.g1.id)
    expect(alicePage.assignment!.myRoleId).toBe('manager')
    const briefs = Object.fromEntries(alicePage.assignment!.roles.map((r) => [r.id, r.brief?.en ?? null]))
    expect(briefs).toEqual({ manager: 'MANAGER BRIEF: ask about obstacles.', employee: null })
    expect(alicePage.assignment!.scenario.observerNotes).toBeNull()
    expect(JSON.stringify(alicePage)).not.toContain('EMPLOYEE BRIEF')
    expect(JSON.stringify(alicePage)).not.toContain('OBSERVER NOTES')

    const bobPage = await getRoleplayPage(c.bob, c.g1.id)
    expect(JSON.stringify(bobPage)).toContain('EMPLOYEE BRIEF')
    expect(JSON.stringify(bobPage)).not.toContain('MANAGER BRIEF')

    for (const staff of [c.trainer, c.hr]) {
      const page = await getRoleplayPage(staff, c.g1.id)
      expect(page.assignment!.roles.every((r) => r.brief)).toBe(true)
      expect(page.assignment!.scenario.observerNotes?.en).toContain('OBSERVER NOTES')
    }
    // Another group's member, a trainer of another cohort, an outsider: 404.
    for (const outsider of [c.g2.members[0], c.otherTrainer, await createPerson()]) {
      await expect(getRoleplayPage(outsider, c.g1.id)).rejects.toMatchObject({ status: 404 })
    }
  })

  it('is assigned by the cohort staff only, with a due time ahead and members of the group as cast', async () => {
    const c = await setUp()
    const input = { intent: 'assign' as const, groupId: c.g1.id, scenarioId: c.scenario.id, dueAt: localIn(24), cast: {} }
    await expect(assignRoleplay(c.otherTrainer, c.sessionId, input)).rejects.toMatchObject({ status: 403 })
    await expect(assignRoleplay(c.alice, c.sessionId, input)).rejects.toMatchObject({ status: 403 })
    expect(await assignRoleplay(c.trainer, c.sessionId, { ...input, dueAt: localIn(-1) })).toEqual({ ok: false, errors: { dueAt: ['rp.assign.dueInPast'] } })
    expect(await assignRoleplay(c.trainer, c.sessionId, { ...input, cast: { [c.g2.members[0].id]: 'manager' } })).toEqual({
      ok: false,
      errors: { cast: ['rp.assign.notMember'] },
    })
    expect(await assignRoleplay(c.trainer, c.sessionId, { ...input, cast: { [c.alice.id]: 'ceo' } })).toEqual({
      ok: false,
      errors: { cast: ['errors.invalid'] },
    })
    // Re-assigning replaces the casting; Alice now observes and sees no brief.
    expect(await assignRoleplay(c.hr, c.sessionId, { ...input, cast: { [c.bob.id]: 'manager' } })).toMatchObject({ ok: true, assignmentId: c.assignmentId })
    const page = await getRoleplayPage(c.alice, c.g1.id)
    expect(page.assignment!.roles.every((r) => r.brief === null)).toBe(true)
    const board = await getRoleplayBoard(c.trainer, c.sessionId)
    expect(board.groups.find((g) => g.id === c.g1.id)!.assignment!.cast).toEqual({ [c.bob.id]: 'manager' })
    expect(board.groups.find((g) => g.id === c.g2.id)!.assignment).toBeNull()
  })
})

describe('recordings', () => {
  it('verifies the container on the server, keeps the duration from it, versions, withdraws and marks late', async () => {
    const c = await setUp()
    const video = makeVideo(3)
    const first = await submitRecording(c.alice, c.g1.id, await upload(c.alice, video))
    expect(first).toMatchObject({ ok: true, version: 1, late: false })
    if (!first.ok) return
    expect(Math.round(first.durationSeconds!)).toBe(3)
    const second = await submitRecording(c.bob, c.g1.id, await upload(c.bob, makeVideo(2, { format: 'webm' }), 'skit.webm'))
    expect(second).toMatchObject({ ok: true, version: 2, late: false })

    let page = await getRoleplayPage(c.alice, c.g1.id)
    expect(page.assignment!.versions.map((v) => [v.version, v.durationSeconds, v.mime])).toEqual([
      [1, 3, 'video/mp4'],
      [2, 2, 'video/webm'],
    ])
    expect(page.assignment!.currentId).toBe(page.assignment!.versions[1].id)

    // Withdrawn before the deadline: the earlier version is current again; nothing is deleted.
    expect(await withdrawRecording(c.alice, c.g1.id, page.assignment!.versions[1].id)).toEqual({ ok: true })
    page = await getRoleplayPage(c.alice, c.g1.id)
    expect(page.assignment!.currentId).toBe(page.assignment!.versions[0].id)
    expect(page.assignment!.versions).toHaveLength(2)

    // Staff do not submit; after the due time a version is late and none can be withdrawn.
    expect(await submitRecording(c.trainer, c.g1.id, 'f'.repeat(32))).toEqual({ ok: false, error: 'notMember' })
    const afterDue = new Date(page.assignment!.dueAt.getTime() + 60_000)
    const late = await submitRecording(c.alice, c.g1.id, await upload(c.alice, video), afterDue)
    expect(late).toMatchObject({ ok: true, version: 3, late: true })
    page = await getRoleplayPage(c.alice, c.g1.id)
    expect(await withdrawRecording(c.alice, c.g1.id, page.assignment!.versions[2].id, afterDue)).toEqual({ ok: false, error: 'rp.recording.pastDeadline' })
    expect(page.assignment!.versions.map((v) => v.late)).toEqual([false, false, true])
  })

  it('refuses an unplayable or disguised file with a clear reason and stores nothing', async () => {
    const c = await setUp()
    const video = makeVideo(3)
    const cut = video.subarray(0, Math.floor(video.length * 0.6))
    const error = await submitRecording(c.alice, c.g1.id, await upload(c.alice, Buffer.from(cut))).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UploadRejected)
    expect((error as UploadRejected).messageKey).toBe('files.rejected.unplayable')
    const text = await submitRecording(c.alice, c.g1.id, await upload(c.alice, Buffer.from('not a video at all'), 'skit.mp4')).catch((e: unknown) => e)
    expect((text as UploadRejected).messageKey).toBe('files.rejected.not-video')
    expect(await db.select().from(roleplayRecordings).where(eq(roleplayRecordings.assignmentId, c.assignmentId))).toEqual([])
    expect(await db.select().from(storedFiles).where(eq(storedFiles.createdBy, c.alice.id))).toEqual([])
  })

  it('lets only the group, its trainers and HR read a recording file', async () => {
    const c = await setUp()
    const r = await submitRecording(c.alice, c.g1.id, await upload(c.alice, makeVideo(1)))
    expect(r.ok).toBe(true)
    const [rec] = await db.select().from(roleplayRecordings).where(eq(roleplayRecordings.assignmentId, c.assignmentId))
    const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, rec.fileId!))
    for (const p of [c.alice, c.bob, c.trainer, c.hr]) expect(await canReadFile(p, file)).toBe(true)
    for (const p of [c.g2.members[0], c.otherTrainer, await createPerson({ roles: ['manager'] })]) expect(await canReadFile(p, file)).toBe(false)
  })
})

describe('review', () => {
  it('scores the rubric 0–100, keeps comments and the other briefs hidden until released, then completes the module', async () => {
    const c = await setUp()
    await importContent(db, { content: await loadContent(path.resolve('tests/fixtures/content/roleplay')), publishNew: true })
    const [course] = await db.select().from(courses).where(eq(courses.contentId, 'roleplay-course'))
    const [module] = await db.select().from(courseModules).where(eq(courseModules.courseId, course.id))
    await db.insert(enrolments).values([c.alice, c.bob].map((p) => ({ courseId: course.id, userId: p.id })))

    const sub = await submitRecording(c.alice, c.g1.id, await upload(c.alice, makeVideo(4)))
    expect(sub.ok).toBe(true)
    const review = await getReviewPage(c.trainer, c.assignmentId)
    const recordingId = review.recording!.id
    await expect(getReviewPage(c.alice, c.assignmentId)).rejects.toMatchObject({ status: 403 })
    await expect(getReviewPage(c.otherTrainer, c.assignmentId)).rejects.toMatchObject({ status: 404 })

    const added = await addComment(c.trainer, c.assignmentId, {
      intent: 'comment',
      recordingId,
      atMs: 2500,
      tone: 'praise',
      keyPoints: [7, 2, 7],
      body: 'Good use of data',
    })
    expect(added.ok).toBe(true)
    expect(
      await addComment(c.alice, c.assignmentId, { intent: 'comment', recordingId, atMs: 1000, tone: 'praise', keyPoints: [], body: 'x' }).catch(
        (e: Response) => e.status,
      ),
    ).toBe(403)
    expect(await editComment(c.trainer, c.assignmentId, added.id!, { tone: 'correction', keyPoints: [5], body: 'Say it sooner' })).toEqual({ ok: true })
    // Members see neither comments nor review before release, and cannot reply yet.
    let page = await getRoleplayPage(c.alice, c.g1.id)
    expect(page.assignment!.comments).toEqual([])
    expect(page.assignment!.review).toBeNull()
    expect(await replyToComment(c.alice, c.assignmentId, added.id!, 'Thanks')).toEqual({ ok: false, error: 'rp.review.notReleased' })

    // The score needs every key point.
    const partial = await saveReview(c.trainer, c.assignmentId, { levels: { 1: 3 }, summary: 'Draft', mode: 'recording' })
    expect(partial).toMatchObject({ ok: true, score: null })
    expect(await releaseReview(c.trainer, c.assignmentId)).toEqual({ ok: false, error: 'rp.review.incomplete' })
    const levels = { ...allLevels(2), 1: 3, 2: 3, 3: 1 }
    expect(rubricScore(levels)).toBe(Math.round(((2 * 7 + 3 + 3 + 1) * 100) / 30))
    expect(await saveReview(c.trainer, c.assignmentId, { levels, summary: 'Clear and concrete', mode: 'recording' })).toMatchObject({ ok: true, score: 70 })
    expect(await releaseReview(c.trainer, c.assignmentId)).toEqual({ ok: true })

    // Released: everyone in the group sees all briefs, the score and the comment; edits are closed.
    page = await getRoleplayPage(c.alice, c.g1.id)
    expect(page.assignment!.roles.every((r) => r.brief)).toBe(true)
    expect(page.assignment!.review).toMatchObject({ score: 70, summary: 'Clear and concrete' })
    expect(page.assignment!.comments).toMatchObject([{ atMs: 2500, tone: 'correction', keyPoints: [5], body: 'Say it sooner' }])
    expect(await editComment(c.trainer, c.assignmentId, added.id!, { tone: 'praise', keyPoints: [], body: 'Changed' })).toEqual({
      ok: false,
      error: 'rp.review.alreadyReleased',
    })
    expect(await saveReview(c.trainer, c.assignmentId, { levels, summary: 'x', mode: 'recording' })).toEqual({ ok: false, error: 'rp.review.alreadyReleased' })
    expect(await replyToComment(c.alice, c.assignmentId, added.id!, 'Thanks, noted')).toEqual({ ok: true })
    page = await getRoleplayPage(c.bob, c.g1.id)
    expect(page.assignment!.comments[0].replies.map((r) => r.body)).toEqual(['Thanks, noted'])

    // The role-play module is complete for both members.
    const progress = await db
      .select()
      .from(moduleProgress)
      .where(and(eq(moduleProgress.moduleId, module.id), eq(moduleProgress.status, 'completed')))
    expect(progress.map((p) => p.userId).sort()).toEqual([c.alice.id, c.bob.id].sort())
  })

  it('scores a skit performed live without a recording', async () => {
    const c = await setUp()
    expect(await saveReview(c.trainer, c.assignmentId, { levels: allLevels(3), summary: '', mode: 'recording' })).toEqual({
      ok: false,
      error: 'rp.review.noRecording',
    })
    expect(await markPerformedLive(c.trainer, c.sessionId, c.assignmentId, true)).toEqual({ ok: true })
    expect(await saveReview(c.trainer, c.assignmentId, { levels: allLevels(3), summary: 'Live', mode: 'live' })).toMatchObject({ ok: true, score: 100 })
    expect(await releaseReview(c.hr, c.assignmentId)).toEqual({ ok: true })
    const page = await getRoleplayPage(c.bob, c.g1.id)
    expect(page.assignment!.review).toMatchObject({ mode: 'live', score: 100 })
    expect(page.assignment!.performedLiveAt).not.toBeNull()
  })
})
