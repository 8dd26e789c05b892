import path from 'node:path'
import { and, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { courseModules, courses, enrolments, moduleProgress, videoProgress } from '#db/schema'
import { markAttendance } from '~/modules/attendance/attendance.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { setPersonActive, updatePerson } from '~/modules/org/people.server'
import { inviteAudience } from '~/modules/sessions/invitations.server'
import { cancelSession } from '~/modules/sessions/sessions.server'
import { importSampleVideos } from '~/modules/videos/content.server'
import { acknowledgeBreakpoint, answerBreakpoint, predictBreakpoint, recordProgress } from '~/modules/videos/progress.server'
import { department } from '../../../tests/setup/courses'
import { createPerson } from '../../../tests/setup/fixtures'
import { scheduleSession } from '../../../tests/setup/sessions'
import { loadContent } from './content.server'
import { importContent } from './course-import.server'
import { ProgressFilters } from './courses'
import { assignCourse, syncEnrolments } from './enrolment.server'
import { completeLesson, getCourseOverview, getModuleForLearner, listMyLearning } from './learning.server'
import { listProgress, listTeamProgress } from './progress.server'

// tests/fixtures/content/linked-modules: a lesson, a video module (follow-up-negative) and a
// session module (ref linked-workshop), all required.
const COURSE = 'linked-course'
const VIDEO = 'follow-up-negative'
const WORKSHOP = 'linked-workshop'

let hr: CurrentUser
let courseId: string
let sales: { id: string }
let east: { id: string }
let rnd: { id: string }

beforeAll(async () => {
  await importSampleVideos(db)
  await importContent(db, { content: await loadContent(path.resolve('tests/fixtures/content/linked-modules')), publishNew: true })
  const [course] = await db.select().from(courses).where(eq(courses.contentId, COURSE))
  courseId = course.id
  hr = await createPerson({ roles: ['hr_admin'] })
  sales = await department('Sales')
  east = await department('Sales/East', sales.id)
  rnd = await department('R&D')
  const assigned = await assignCourse(hr, courseId, { departmentId: sales.id })
  if (!assigned.ok) throw new Error('assign failed')
})

/** A manager in Sales/East, enrolled by the sync as someone joining the audience is. */
async function learner(over: { departmentId?: string; managerId?: string } = {}) {
  const person = await createPerson({ roles: ['manager'], departmentId: over.departmentId ?? east.id, managerId: over.managerId })
  await syncEnrolments(db, { userIds: [person.id] })
  return person
}

async function statusOf(person: CurrentUser, moduleKey: string) {
  const overview = await getCourseOverview(person, COURSE)
  return overview.modules.find((m) => m.key === moduleKey)?.status
}

async function enrolmentOf(person: CurrentUser) {
  const [row] = await db
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.courseId, courseId), eq(enrolments.userId, person.id)))
  return row
}

/** Watches the negative example as the server credits it: playback began 100 s ago, every required breakpoint done. */
async function watchVideo(person: CurrentUser, { breakpoints = true } = {}) {
  await recordProgress(person, VIDEO, { ranges: [] })
  await db
    .update(videoProgress)
    .set({ playbackStartedAt: sql`now() - make_interval(secs => 100)` })
    .where(and(eq(videoProgress.userId, person.id), eq(videoProgress.videoId, VIDEO)))
  await recordProgress(person, VIDEO, { ranges: [[0, 88.6]], position: 88.6 })
  if (!breakpoints) return
  await answerBreakpoint(person, 'neg-facts', ['a'])
  await acknowledgeBreakpoint(person, 'neg-facts')
  await acknowledgeBreakpoint(person, 'neg-feedback')
  await predictBreakpoint(person, 'neg-obstacle', 'Ask what she needs from him')
  await answerBreakpoint(person, 'neg-next-steps', ['a', 'b', 'c'])
  await acknowledgeBreakpoint(person, 'neg-next-steps')
}

/** A workshop session of the programme (tomorrow: invitations close once it has started) with the people invited. */
/** The sessions here start tomorrow: late and absent are marked as if after the start. */
const AFTER_START = { now: new Date(Date.now() + 60 * 86_400_000) }

async function workshop(people: CurrentUser[]) {
  const { sessionId } = await scheduleSession(hr, { courseRef: WORKSHOP, title: 'Workshop' })
  expect(await inviteAudience(hr, sessionId, { userIds: people.map((p) => p.id) })).toMatchObject({ ok: true })
  return sessionId
}

describe('video module', () => {
  it('is in progress once the person starts watching, and complete only when the video completion rule holds', async () => {
    const person = await learner()
    expect(await statusOf(person, 'watch')).toBe('not_started')

    await watchVideo(person, { breakpoints: false })
    expect(await statusOf(person, 'watch')).toBe('in_progress')

    await watchVideo(person)
    expect(await statusOf(person, 'watch')).toBe('completed')
    const module = await getModuleForLearner(person, COURSE, 'watch', 'en')
    expect(module.status).toBe('completed')
    expect(module.video?.player?.video).toMatchObject({ id: VIDEO, pair: { id: 'follow-up-positive' } })
    expect(module.video?.player?.progress.completed).toBe(true)
  })

  it('is completed in the database at the moment the video completes, without the learner opening the course', async () => {
    const person = await learner()
    await watchVideo(person)
    const [row] = await db
      .select({ status: moduleProgress.status, completedVersion: moduleProgress.completedVersion })
      .from(moduleProgress)
      .innerJoin(courseModules, eq(courseModules.id, moduleProgress.moduleId))
      .where(and(eq(moduleProgress.userId, person.id), eq(courseModules.contentId, 'watch')))
    expect(row).toEqual({ status: 'completed', completedVersion: 1 })
  })
})

describe('session module', () => {
  it('completes on attendance present or late, not on absent or excused', async () => {
    const [present, late, absent, excused] = await Promise.all([learner(), learner(), learner(), learner()])
    const sessionId = await workshop([present, late, absent, excused])
    for (const [person, status] of [
      [present, 'present'],
      [late, 'late'],
      [absent, 'absent'],
      [excused, 'excused'],
    ] as const) {
      expect(await markAttendance(hr, sessionId, person.id, status, AFTER_START)).toMatchObject({ ok: true })
    }
    expect(await statusOf(present, 'workshop')).toBe('completed')
    expect(await statusOf(late, 'workshop')).toBe('completed')
    expect(await statusOf(absent, 'workshop')).toBe('not_started')
    expect(await statusOf(excused, 'workshop')).toBe('not_started')

    // The learner page lists the session with the attendance.
    const page = await getModuleForLearner(excused, COURSE, 'workshop', 'en')
    expect(page.sessions?.sessions).toMatchObject([{ sessionId, attendance: 'excused' }])
  })

  it('reopens when a mark is corrected or the session is cancelled, and ignores sessions of other programmes', async () => {
    const [corrected, cancelled, other] = await Promise.all([learner(), learner(), learner()])
    const first = await workshop([corrected])
    await markAttendance(hr, first, corrected.id, 'present', AFTER_START)
    expect(await statusOf(corrected, 'workshop')).toBe('completed')
    await markAttendance(hr, first, corrected.id, 'absent', AFTER_START)
    expect(await statusOf(corrected, 'workshop')).toBe('in_progress')

    const second = await workshop([cancelled])
    await markAttendance(hr, second, cancelled.id, 'present', AFTER_START)
    expect(await statusOf(cancelled, 'workshop')).toBe('completed')
    expect(await cancelSession(hr, second)).toMatchObject({ ok: true })
    expect(await statusOf(cancelled, 'workshop')).toBe('in_progress')

    const { sessionId: unrelated } = await scheduleSession(hr, { courseRef: 'another-programme', title: 'Other' })
    await inviteAudience(hr, unrelated, { userIds: [other.id] })
    await markAttendance(hr, unrelated, other.id, 'present', AFTER_START)
    expect(await statusOf(other, 'workshop')).toBe('not_started')
  })
})

describe('course progress and reports', () => {
  it('count video and session modules: the course completes with lesson + video + attendance', async () => {
    const boss = await learner()
    const person = await learner({ managerId: boss.id })
    await completeLesson(person, COURSE, 'read')
    let mine = (await listMyLearning(person)).find((c) => c.courseKey === COURSE)!
    expect(mine).toMatchObject({ requiredCount: 3, completedCount: 1, nextModuleKey: 'watch' })

    await watchVideo(person)
    const report = async () => (await listProgress(hr, ProgressFilters.parse({ course: COURSE, q: person.email }))).rows
    expect(await report()).toMatchObject([{ requiredCount: 3, doneCount: 2, status: 'in_progress', completedAt: null }])
    expect(await listTeamProgress(boss)).toMatchObject([{ userId: person.id, doneCount: 2 }])

    const sessionId = await workshop([person])
    await markAttendance(hr, sessionId, person.id, 'late', AFTER_START)
    const [row] = await report()
    expect(row).toMatchObject({ doneCount: 3, percent: 100, status: 'completed' })
    expect(row.completedAt).not.toBeNull()
    mine = (await listMyLearning(person)).find((c) => c.courseKey === COURSE)!
    expect(mine).toMatchObject({ completedCount: 3, percent: 100 })
    expect(mine.completedAt).not.toBeNull()
  })
})

describe('leaving the audience', () => {
  it('withdraws the enrolment when the person moves out of the department subtree and reactivates it, progress intact, on return', async () => {
    const person = await learner()
    await completeLesson(person, COURSE, 'read')
    const before = await enrolmentOf(person)
    expect(before.unenrolledAt).toBeNull()

    const moved = await updatePerson(hr, person.id, { name: person.name, email: person.email, departmentId: rnd.id, roles: ['manager'] })
    expect(moved.ok).toBe(true)
    const withdrawn = await enrolmentOf(person)
    expect(withdrawn.unenrolledAt).not.toBeNull()
    // Gone from My learning and from the reports, history kept.
    expect((await listMyLearning(person)).map((c) => c.courseKey)).not.toContain(COURSE)
    expect((await listProgress(hr, ProgressFilters.parse({ course: COURSE, q: person.email }))).rows).toEqual([])
    expect(await db.select().from(moduleProgress).where(eq(moduleProgress.enrolmentId, before.id))).toHaveLength(1)

    // Watching the video meanwhile is credited when they come back.
    await watchVideo(person)
    await updatePerson(hr, person.id, { name: person.name, email: person.email, departmentId: east.id, roles: ['manager'] })
    const back = await enrolmentOf(person)
    expect(back).toMatchObject({ id: before.id, unenrolledAt: null })
    expect((await listMyLearning(person)).find((c) => c.courseKey === COURSE)).toMatchObject({ completedCount: 2 })
  })

  it('withdraws on deactivation and on unassignment, but leaves a finished enrolment as it is', async () => {
    const leaver = await learner()
    const finisher = await learner()
    await completeLesson(finisher, COURSE, 'read')
    await watchVideo(finisher)
    const sessionId = await workshop([finisher])
    await markAttendance(hr, sessionId, finisher.id, 'present', AFTER_START)
    expect((await enrolmentOf(finisher)).completedAt).not.toBeNull()

    expect(await setPersonActive(hr, leaver.id, false)).toMatchObject({ ok: true })
    expect((await enrolmentOf(leaver)).unenrolledAt).not.toBeNull()
    expect(await setPersonActive(hr, leaver.id, true)).toMatchObject({ ok: true })
    expect((await enrolmentOf(leaver)).unenrolledAt).toBeNull()

    await updatePerson(hr, finisher.id, { name: finisher.name, email: finisher.email, departmentId: rnd.id, roles: ['manager'] })
    expect(await enrolmentOf(finisher)).toMatchObject({ unenrolledAt: null })
    expect((await enrolmentOf(finisher)).completedAt).not.toBeNull()
  })

  it('withdraws when the role that made the person part of the audience is taken away', async () => {
    const [course] = await db.select().from(courses).where(eq(courses.contentId, COURSE))
    const person = await createPerson({ roles: ['manager'], departmentId: rnd.id })
    expect(await enrolmentOf(person)).toBeUndefined()
    const byRole = await assignCourse(hr, course.id, { roles: ['manager'], departmentId: rnd.id })
    expect(byRole.ok).toBe(true)
    expect((await enrolmentOf(person)).unenrolledAt).toBeNull()
    await updatePerson(hr, person.id, { name: person.name, email: person.email, departmentId: rnd.id, roles: ['employee'] })
    expect((await enrolmentOf(person)).unenrolledAt).not.toBeNull()
  })
})
