import { and, eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import {
  emails,
  enrolments,
  moduleProgress,
  notifications,
  roleplayStudyItems,
  roleplayStudyProgress,
  sessions,
  users,
  videoProgress,
  videos,
} from '#db/schema'
import { InProcessRunner } from '~/modules/jobs/in-process.server'
import { useJobRunner } from '~/modules/jobs/jobs.server'
import { fixtureCourse } from '../../../tests/setup/courses'
import { createPerson, settle } from '../../../tests/setup/fixtures'
import { roleplayCohort, studyFile } from '../../../tests/setup/roleplay-study'
import { STUDY_REMINDERS_JOB, registerRoleplayStudy, sendStudyReminders } from './study-reminders.server'
import { editStudyPack, finishStudyItem, openStudyItem, studyGrid, studyPackFor } from './study.server'

const HOUR = 3_600_000
let c: Awaited<ReturnType<typeof roleplayCohort>>
let lessonId: string
const videoId = 'rp-study-video'

beforeAll(async () => {
  c = await roleplayCohort({ startsInHours: 72, groups: 2, perGroup: 2 })
  const { modules } = await fixtureCourse()
  lessonId = modules.welcome.id
  await db
    .insert(videos)
    .values({ id: videoId, kind: 'lecture', title: { en: 'Giving feedback', 'zh-CN': '给予反馈' }, description: { en: '', 'zh-CN': '' }, origin: 'upload' })
    .onConflictDoNothing()
}, 120_000)

const items = async (assignmentId: string) =>
  db.select().from(roleplayStudyItems).where(eq(roleplayStudyItems.assignmentId, assignmentId)).orderBy(roleplayStudyItems.position)

describe('the self-study pack', () => {
  it('lets the cohort’s trainer add, order and remove lessons, videos and files; nobody else', async () => {
    const g = c.groups[0]
    const file = await studyFile(c.trainer)
    expect(await editStudyPack(c.trainer, { intent: 'add', assignmentId: g.assignmentId, kind: 'course_module', ref: lessonId })).toEqual({ ok: true })
    expect(await editStudyPack(c.trainer, { intent: 'add', assignmentId: g.assignmentId, kind: 'video', ref: videoId })).toEqual({ ok: true })
    expect(await editStudyPack(c.hr, { intent: 'add', assignmentId: g.assignmentId, kind: 'file', ref: file.id })).toEqual({ ok: true })
    expect(await editStudyPack(c.trainer, { intent: 'add', assignmentId: g.assignmentId, kind: 'video', ref: videoId })).toEqual({
      ok: false,
      error: 'roleplayStudy.errors.duplicate',
    })
    expect(await editStudyPack(c.trainer, { intent: 'add', assignmentId: g.assignmentId, kind: 'video', ref: 'no-such-video' })).toEqual({
      ok: false,
      error: 'roleplayStudy.errors.missing',
    })
    let pack = await items(g.assignmentId)
    expect(pack.map((i) => [i.kind, i.position])).toEqual([
      ['course_module', 1],
      ['video', 2],
      ['file', 3],
    ])
    await editStudyPack(c.trainer, { intent: 'move', itemId: pack[2].id, direction: 'up' })
    await editStudyPack(c.trainer, { intent: 'move', itemId: pack[0].id, direction: 'up' })
    pack = await items(g.assignmentId)
    expect(pack.map((i) => i.kind)).toEqual(['course_module', 'file', 'video'])

    const outsider = await createPerson({ roles: ['trainer'] })
    for (const who of [outsider, g.members[0], c.groups[1].members[0]]) {
      const refused = await settle(() => editStudyPack(who, { intent: 'remove', itemId: pack[0].id }))
      expect((refused as Response).status).toBe(404)
    }
    const extra = await studyFile(c.trainer, 'extra.pdf')
    await editStudyPack(c.trainer, { intent: 'add', assignmentId: g.assignmentId, kind: 'file', ref: extra.id })
    await editStudyPack(c.trainer, { intent: 'remove', itemId: (await items(g.assignmentId))[3].id })
    expect((await items(g.assignmentId)).map((i) => i.position)).toEqual([1, 2, 3])
  })

  it('records when a member opens an item (once) and finishes it; the trainer’s grid shows who did what', async () => {
    const g = c.groups[0]
    const [ann, bob] = g.members
    const [lesson, file, video] = await items(g.assignmentId)
    const t0 = new Date(c.startsAt.getTime() - 60 * HOUR)

    const opened = await openStudyItem(ann, file.id, t0)
    expect(opened.href).toBe(`/files/${file.ref}`)
    await openStudyItem(ann, file.id, new Date(t0.getTime() + HOUR))
    expect((await openStudyItem(ann, lesson.id, t0)).href).toBe('/learn/good-course/welcome')
    // Staff follow the link; nothing is recorded for them. Another group's member is not let in.
    expect((await openStudyItem(c.trainer, video.id, t0)).href).toBe(`/videos/${videoId}`)
    expect(((await settle(() => openStudyItem(c.groups[1].members[0], file.id, t0))) as Response).status).toBe(404)
    const rows = await db
      .select()
      .from(roleplayStudyProgress)
      .where(inArray(roleplayStudyProgress.itemId, [lesson.id, file.id, video.id]))
    expect(rows.map((r) => [r.userId, r.itemId, r.openedAt.toISOString(), r.finishedAt]).sort()).toEqual(
      [
        [ann.id, file.id, t0.toISOString(), null],
        [ann.id, lesson.id, t0.toISOString(), null],
      ].sort(),
    )

    // A file is finished by "mark as read"; a lesson and a video only in their own players.
    const t1 = new Date(t0.getTime() + 2 * HOUR)
    expect(await finishStudyItem(ann, file.id, t1)).toEqual({ ok: true })
    expect(await finishStudyItem(ann, file.id, new Date(t1.getTime() + HOUR))).toEqual({ ok: true })
    expect(await finishStudyItem(ann, video.id, t1)).toEqual({ ok: false, error: 'roleplayStudy.errors.finishInPlayer' })
    expect(((await settle(() => finishStudyItem(c.trainer, file.id, t1))) as Response).status).toBe(404)

    // Ann completes the lesson in the course player; Bob watches the video to the end.
    const { course } = await fixtureCourse()
    const [enrolment] = await db.insert(enrolments).values({ courseId: course.id, userId: ann.id }).returning()
    const t2 = new Date(t0.getTime() + 3 * HOUR)
    await db.insert(moduleProgress).values({ enrolmentId: enrolment.id, userId: ann.id, moduleId: lesson.ref, status: 'completed', completedAt: t2 })
    await db.insert(videoProgress).values({ userId: bob.id, videoId, completedAt: t2 })

    const annPack = await studyPackFor(ann, g.assignmentId)
    expect(annPack.items.map((i) => [i.kind, i.openedAt?.toISOString() ?? null, i.finishedAt?.toISOString() ?? null])).toEqual([
      ['course_module', t0.toISOString(), t2.toISOString()],
      ['file', t0.toISOString(), t1.toISOString()],
      ['video', null, null],
    ])
    expect(annPack.finished).toBe(2)
    // The staff see the pack but no progress of their own; outsiders see nothing.
    expect((await studyPackFor(c.trainer, g.assignmentId)).member).toBe(false)
    expect(((await settle(() => studyPackFor(c.groups[1].members[0], g.assignmentId))) as Response).status).toBe(404)

    const grid = await studyGrid(c.trainer, c.sessionId)
    expect(grid.groups.map((x) => x.groupName)).toEqual(['1', '2'])
    const first = grid.groups[0]
    expect(first.items.map((i) => [i.kind, i.href])).toEqual([
      ['course_module', '/learn/good-course/welcome'],
      ['file', `/files/${file.ref}`],
      ['video', `/videos/${videoId}`],
    ])
    expect(first.items[2].title.en).toBe('Giving feedback')
    const cell = (userId: string, itemId: string) => {
      const m = first.members.find((x) => x.userId === userId)!
      const v = m.cells[itemId]
      return [v.openedAt?.toISOString() ?? null, v.finishedAt?.toISOString() ?? null]
    }
    expect(cell(ann.id, lesson.id)).toEqual([t0.toISOString(), t2.toISOString()])
    expect(cell(ann.id, video.id)).toEqual([null, null])
    // Bob never opened the video through the pack, but watched it through: finished.
    expect(cell(bob.id, video.id)).toEqual([null, t2.toISOString()])
    expect(first.members.map((m) => [m.name, m.finished])).toEqual([
      [ann.name, 2],
      [bob.name, 1],
    ])
    expect(grid.groups[1].members).toHaveLength(2)
    expect(grid.groups[1].items).toEqual([])
    for (const who of [await createPerson({ roles: ['trainer'] }), ann]) {
      expect(((await settle(() => studyGrid(who, c.sessionId))) as Response).status).toBe(404)
    }
  })
})

describe('self-study reminders', () => {
  it('reminds members who have not finished, 48 h and 24 h before the session, once each, in their language', async () => {
    const r = await roleplayCohort({ startsInHours: 96, groups: 2, perGroup: 2 })
    const [done, eager] = r.groups[0].members
    const [lazy, english] = r.groups[1].members
    await db.update(users).set({ locale: 'en' }).where(eq(users.id, english.id))
    for (const g of r.groups) {
      await editStudyPack(r.trainer, { intent: 'add', assignmentId: g.assignmentId, kind: 'video', ref: videoId })
      await editStudyPack(r.trainer, { intent: 'add', assignmentId: g.assignmentId, kind: 'file', ref: (await studyFile(r.trainer)).id })
    }
    const pack = await items(r.groups[0].assignmentId)
    // `done` finishes everything before the reminders: the video in the player, the file by hand.
    await db.insert(videoProgress).values({ userId: done.id, videoId, completedAt: new Date() })
    await finishStudyItem(done, pack[1].id)
    const everyone = [done, eager, lazy, english].map((p) => p.id)
    const mails = () =>
      db
        .select()
        .from(emails)
        .where(and(inArray(emails.toUserId, everyone), eq(emails.kind, 'roleplay_study_reminder')))
    const at = (hoursBefore: number) => new Date(r.startsAt.getTime() - hoursBefore * HOUR)

    // (Other tests' cohorts share the database: count only this cohort's mail.)
    await sendStudyReminders(at(49))
    expect(await mails()).toHaveLength(0)
    await sendStudyReminders(at(47.5))
    const first = await mails()
    expect(first.map((m) => m.toUserId).sort()).toEqual([eager.id, lazy.id, english.id].sort())
    expect(first.find((m) => m.toUserId === english.id)!.subject).toBe('Role-play self-study: 2 items left, the session starts in 48 hours')
    expect(first.find((m) => m.toUserId === lazy.id)!.subject).toBe('角色扮演自学：还有 2 项未完成，课次48小时后开始')
    // Once: a second run, and the periodic job, send nothing more.
    await sendStudyReminders(at(47))
    expect(await mails()).toHaveLength(3)
    const runner = new InProcessRunner()
    useJobRunner(runner)
    try {
      registerRoleplayStudy()
      const { sendJob } = await import('~/modules/jobs/jobs.server')
      await sendJob(STUDY_REMINDERS_JOB, {})
      await runner.runDue({ now: at(46), limit: 10 })
    } finally {
      useJobRunner(undefined)
    }
    expect(await mails()).toHaveLength(3)

    // Eager finishes the video before the last day: only lazy and english get the 24-hour reminder.
    await db.insert(videoProgress).values({ userId: eager.id, videoId, completedAt: at(30) })
    await finishStudyItem(eager, pack[1].id, at(30))
    await sendStudyReminders(at(23))
    expect(await mails()).toHaveLength(5)
    await sendStudyReminders(at(22))
    const all = await mails()
    expect(all).toHaveLength(5)
    expect(all.filter((m) => m.toUserId === english.id).map((m) => m.subject)).toContain('Role-play self-study: 2 items left, the session starts in 24 hours')
    const inApp = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, lazy.id), eq(notifications.kind, 'roleplay_study_reminder')))
    expect(inApp.map((n) => n.link)).toEqual([`/roleplay/${r.groups[1].assignmentId}/study`, `/roleplay/${r.groups[1].assignmentId}/study`])

    // The recorded finish: eager's video now counts as the pack's own.
    const eagerRows = await db.select().from(roleplayStudyProgress).where(eq(roleplayStudyProgress.userId, eager.id))
    expect(eagerRows.every((p) => p.finishedAt)).toBe(true)

    // A cancelled session reminds nobody, even with a new start time.
    await db.update(sessions).set({ status: 'cancelled' }).where(eq(sessions.id, r.sessionId))
    await sendStudyReminders(at(1))
    expect(await mails()).toHaveLength(5)
  })
})
