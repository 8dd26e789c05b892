import { and, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { auditEvents, courseModules, enrolments, moduleProgress, prepSheets, quizAttempts, users, type QuizSettings } from '#db/schema'
import { listSharedPrepSheets } from './progress.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { createPerson } from '../../../tests/setup/fixtures'
import { fixtureCourse } from '../../../tests/setup/courses'
import {
  completeLesson,
  getCourseOverview,
  getModuleForLearner,
  listMyLearning,
  recordPosition,
  savePrepSheet,
  sharePrepSheet,
  startQuizAttempt,
  submitQuizAttempt,
} from './learning.server'

const COURSE = 'good-course'
const ALL_RIGHT = { q1: ['a'], q2: ['a', 'b'], q3: ['true'], q4: ['b'] }
const THREE_RIGHT = { q1: ['a'], q2: ['a', 'b'], q3: ['true'], q4: ['c'] } // 75%
const TWO_RIGHT = { q1: ['a'], q2: ['a'], q3: ['true'], q4: ['c'] } // 50%

let fixture: Awaited<ReturnType<typeof fixtureCourse>>
beforeAll(async () => {
  fixture = await fixtureCourse()
})

async function learner(options: { managerId?: string } = {}) {
  const person = await createPerson({ roles: ['employee'], ...options })
  await db.insert(enrolments).values({ courseId: fixture.course.id, userId: person.id })
  return person
}

async function enrolmentOf(person: CurrentUser) {
  const [row] = await db
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.courseId, fixture.course.id), eq(enrolments.userId, person.id)))
  return row
}

async function attempt(person: CurrentUser, answers: Record<string, string[]>) {
  const started = await startQuizAttempt(person, COURSE, 'check')
  if (!started.ok) return started
  return submitQuizAttempt(person, started.attemptId, answers)
}

async function withQuizSettings(change: Partial<QuizSettings>, run: () => Promise<void>) {
  const original = fixture.modules.check.settings
  await db
    .update(courseModules)
    .set({ settings: { ...original, ...change } })
    .where(eq(courseModules.id, fixture.modules.check.id))
  try {
    await run()
  } finally {
    await db.update(courseModules).set({ settings: original }).where(eq(courseModules.id, fixture.modules.check.id))
  }
}

describe('quizzes', () => {
  it('passes at the pass mark and completes the module; below it the module stays open', async () => {
    const person = await learner()
    expect(await attempt(person, TWO_RIGHT)).toEqual({ ok: true, score: 50, passed: false, correct: 2 })
    let view = await getModuleForLearner(person, COURSE, 'check', 'en')
    expect(view.status).toBe('in_progress')
    expect(view.quiz).toMatchObject({ attemptsUsed: 1, remaining: 2, canStart: true, passed: false, countedScore: 50 })
    expect(view.quiz?.latest?.questions.find((q) => q.id === 'q4')).toMatchObject({ correct: false, answer: ['b'], chosen: ['c'] })

    expect(await attempt(person, THREE_RIGHT)).toEqual({ ok: true, score: 75, passed: true, correct: 3 })
    view = await getModuleForLearner(person, COURSE, 'check', 'en')
    expect(view.status).toBe('completed')
    expect(view.quiz).toMatchObject({ passed: true, canStart: false, countedScore: 75 })
  })

  it('never shows the answer key of an attempt in progress', async () => {
    const person = await learner()
    await startQuizAttempt(person, COURSE, 'check')
    const view = await getModuleForLearner(person, COURSE, 'check', 'en')
    expect(view.quiz?.open?.questions).toHaveLength(4)
    expect(JSON.stringify(view.quiz?.open)).not.toMatch(/"answer"|"explanation"/)
  })

  it('refuses a new attempt once the limit is used, and an attempt numbered beyond the limit', async () => {
    const person = await learner()
    for (let i = 0; i < 3; i++) expect(await attempt(person, TWO_RIGHT)).toMatchObject({ ok: true, passed: false })
    expect(await startQuizAttempt(person, COURSE, 'check')).toEqual({ ok: false, error: 'courses.quiz.noAttemptsLeft' })
    const view = await getModuleForLearner(person, COURSE, 'check', 'en')
    expect(view.quiz).toMatchObject({ attemptsUsed: 3, remaining: 0, canStart: false })

    // A fourth attempt smuggled into the table is still refused at submission.
    const enrolment = await enrolmentOf(person)
    const [extra] = await db
      .insert(quizAttempts)
      .values({
        userId: person.id,
        moduleId: fixture.modules.check.id,
        enrolmentId: enrolment.id,
        attemptNumber: 4,
        moduleVersion: 1,
        snapshot: fixture.modules.check.settings as QuizSettings,
      })
      .returning()
    expect(await submitQuizAttempt(person, extra.id, ALL_RIGHT)).toMatchObject({ ok: false, error: 'courses.quiz.noAttemptsLeft' })
    const [after] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, extra.id))
    expect(after.submittedAt).toBeNull()
  })

  it('counts the best attempt or the last one, as the quiz says', async () => {
    await withQuizSettings({ passMark: 100 }, async () => {
      const best = await learner()
      await attempt(best, THREE_RIGHT)
      await attempt(best, TWO_RIGHT)
      expect((await getModuleForLearner(best, COURSE, 'check', 'en')).quiz?.countedScore).toBe(75)
    })
    await withQuizSettings({ passMark: 100, scoring: 'last' }, async () => {
      const last = await learner()
      await attempt(last, THREE_RIGHT)
      await attempt(last, TWO_RIGHT)
      expect((await getModuleForLearner(last, COURSE, 'check', 'en')).quiz?.countedScore).toBe(50)
    })
  })

  it('refuses option ids that do not belong to the question, without changing anything', async () => {
    const person = await learner()
    const started = await startQuizAttempt(person, COURSE, 'check')
    if (!started.ok) throw new Error('not started')
    for (const tampered of [
      { ...ALL_RIGHT, q1: ['z'] },
      { ...ALL_RIGHT, q1: ['a', 'b'] },
      { ...ALL_RIGHT, q3: ['a'] },
      { ...ALL_RIGHT, 'not-a-question': ['a'] },
      { ...ALL_RIGHT, q1: 'a' },
    ]) {
      expect(await submitQuizAttempt(person, started.attemptId, tampered)).toMatchObject({ ok: false, error: 'courses.quiz.invalidOption' })
    }
    expect(await submitQuizAttempt(person, started.attemptId, { q1: ['a'] })).toMatchObject({
      ok: false,
      error: 'courses.quiz.answerAll',
      questions: ['q2', 'q3', 'q4'],
    })
    const [row] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, started.attemptId))
    expect(row).toMatchObject({ submittedAt: null, answers: null, score: null })
    // The untouched attempt can still be submitted properly.
    expect(await submitQuizAttempt(person, started.attemptId, ALL_RIGHT)).toMatchObject({ ok: true, score: 100 })
  })

  it('refuses to submit another person’s attempt with 403 and records the denial', async () => {
    const owner = await learner()
    const intruder = await learner()
    const started = await startQuizAttempt(owner, COURSE, 'check')
    if (!started.ok) throw new Error('not started')
    const thrown = await submitQuizAttempt(intruder, started.attemptId, ALL_RIGHT).catch((e: unknown) => e)
    expect((thrown as Response).status).toBe(403)
    const [row] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, started.attemptId))
    expect(row.submittedAt).toBeNull()
    const denials = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, intruder.id), eq(auditEvents.action, 'access.denied')))
    expect(denials).toHaveLength(1)
  })

  it('refuses to submit the same attempt twice', async () => {
    const person = await learner()
    const started = await startQuizAttempt(person, COURSE, 'check')
    if (!started.ok) throw new Error('not started')
    expect(await submitQuizAttempt(person, started.attemptId, TWO_RIGHT)).toMatchObject({ ok: true, score: 50 })
    expect(await submitQuizAttempt(person, started.attemptId, ALL_RIGHT)).toMatchObject({ ok: false, error: 'courses.quiz.alreadySubmitted' })
    const [row] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, started.attemptId))
    expect(row).toMatchObject({ score: 50, passed: false })
  })

  it('scores an attempt against the questions it started with, even if the quiz is edited meanwhile', async () => {
    const person = await learner()
    const started = await startQuizAttempt(person, COURSE, 'check')
    if (!started.ok) throw new Error('not started')
    const settings = fixture.modules.check.settings as QuizSettings
    // HR changes the answer key of q1 and drops q4 while the attempt is open.
    const edited: QuizSettings = {
      ...settings,
      questions: settings.questions.filter((q) => q.id !== 'q4').map((q) => (q.id === 'q1' ? { ...q, answer: ['b'] } : q)),
    }
    await db
      .update(courseModules)
      .set({ settings: edited, version: sql`${courseModules.version} + 1` })
      .where(eq(courseModules.id, fixture.modules.check.id))
    try {
      expect(await submitQuizAttempt(person, started.attemptId, ALL_RIGHT)).toMatchObject({ ok: true, score: 100, passed: true })
      const [row] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, started.attemptId))
      expect(row.moduleVersion).toBe(1)
      expect(row.snapshot.questions).toHaveLength(4)
    } finally {
      await db.update(courseModules).set({ settings, version: 1 }).where(eq(courseModules.id, fixture.modules.check.id))
    }
  })
})

describe('lessons and completion', () => {
  it('remembers the reading position and completes the course when every required module is done', async () => {
    const person = await learner()
    await recordPosition(person, COURSE, 'welcome', 42.4)
    let overview = await getCourseOverview(person, COURSE)
    expect(overview.modules.map((m) => [m.key, m.status])).toEqual([
      ['welcome', 'in_progress'],
      ['check', 'not_started'],
      ['prep', 'not_started'],
      ['video', 'not_started'],
    ])
    expect(overview.resume).toBe('welcome')
    expect((await getModuleForLearner(person, COURSE, 'welcome', 'en')).lastPosition).toBe(42)

    expect(await completeLesson(person, COURSE, 'welcome')).toEqual({ ok: true, courseCompleted: false })
    overview = await getCourseOverview(person, COURSE)
    expect(overview.resume).toBe('check')
    expect(overview).toMatchObject({ requiredCount: 2, completedCount: 1 })
    // Reading it again later does not undo the completion.
    await recordPosition(person, COURSE, 'welcome', 10)
    expect((await getCourseOverview(person, COURSE)).modules[0].status).toBe('completed')

    await attempt(person, ALL_RIGHT)
    const enrolment = await enrolmentOf(person)
    // The prep sheet is optional in the fixture and the video is a placeholder: the course is done.
    expect(enrolment.completedAt).not.toBeNull()
    const [mine] = await listMyLearning(person)
    expect(mine).toMatchObject({ courseKey: COURSE, percent: 100, requiredCount: 2, completedCount: 2 })
  })

  it('only completes lessons through completeLesson', async () => {
    const person = await learner()
    expect(await completeLesson(person, COURSE, 'check')).toEqual({ ok: false, error: 'courses.lesson.notALesson' })
  })

  it('lists overdue courses and what comes next', async () => {
    const person = await learner()
    await db
      .update(enrolments)
      .set({ dueAt: new Date(Date.now() - 86400_000) })
      .where(eq(enrolments.userId, person.id))
    const [item] = await listMyLearning(person)
    expect(item).toMatchObject({ overdue: true, percent: 0, nextModuleKey: 'welcome' })
  })
})

describe('preparation sheets', () => {
  it('saves drafts, ignores unknown fields, and needs every field to share', async () => {
    const manager = await createPerson({ roles: ['manager'] })
    const person = await learner({ managerId: manager.id })
    expect(await savePrepSheet(person, COURSE, 'prep', { progress: 'Half done', sneaky: 'x' })).toMatchObject({ ok: true, sharedAt: null })
    let [sheet] = await db.select().from(prepSheets).where(eq(prepSheets.userId, person.id))
    expect(sheet.answers).toEqual({ progress: 'Half done', asks: '' })

    expect(await sharePrepSheet(person, COURSE, 'prep', { progress: 'Half done' })).toEqual({ ok: false, errors: { asks: ['errors.required'] } })
    expect(await sharePrepSheet(person, COURSE, 'prep', { progress: 'Half done', asks: 'A decision on the budget' })).toEqual({ ok: true, shared: true })
    ;[sheet] = await db.select().from(prepSheets).where(eq(prepSheets.userId, person.id))
    expect(sheet.sharedWithManagerAt).not.toBeNull()
    const [progress] = await db
      .select()
      .from(moduleProgress)
      .where(and(eq(moduleProgress.userId, person.id), eq(moduleProgress.moduleId, fixture.modules.prep.id)))
    expect(progress.status).toBe('completed')
    const shares = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, person.id), eq(auditEvents.action, 'prep_sheet.shared')))
    expect(shares).toHaveLength(1)
  })

  it('shows the manager the snapshot shared with them: never later drafts, never to a new manager', async () => {
    const first = await createPerson({ roles: ['manager'] })
    const second = await createPerson({ roles: ['manager'] })
    const person = await learner({ managerId: first.id })
    const seenBy = async (manager: CurrentUser) => (await listSharedPrepSheets(manager)).filter((s) => s.userId === person.id)
    // A draft is nobody else's business.
    await savePrepSheet(person, COURSE, 'prep', { progress: 'Draft only', asks: 'Not yet' })
    expect(await seenBy(first)).toEqual([])
    await sharePrepSheet(person, COURSE, 'prep', { progress: 'Shared text', asks: 'A budget decision' })
    await savePrepSheet(person, COURSE, 'prep', { progress: 'Private second thoughts', asks: 'Maybe not' })
    const [shared] = await seenBy(first)
    expect(shared.fields.map((f) => f.value)).toEqual(['Shared text', 'A budget decision'])
    // The person moves to another manager: the new one does not see what was shared with the old one.
    await db.update(users).set({ managerId: second.id }).where(eq(users.id, person.id))
    expect(await seenBy(second)).toEqual([])
    expect(await seenBy(first)).toEqual([])
    await sharePrepSheet(person, COURSE, 'prep', { progress: 'For my new manager', asks: 'An intro' })
    expect((await seenBy(second))[0].fields.map((f) => f.value)).toEqual(['For my new manager', 'An intro'])
  })

  it('refuses a field longer than the limit without saving', async () => {
    const person = await learner()
    expect(await savePrepSheet(person, COURSE, 'prep', { progress: 'x'.repeat(5001) })).toEqual({ ok: false, errors: { progress: ['errors.tooLong'] } })
    expect(await db.select().from(prepSheets).where(eq(prepSheets.userId, person.id))).toHaveLength(0)
  })
})

describe('who may open a course', () => {
  it('refuses a person who is not enrolled with 403 and records it; HR previews without progress', async () => {
    const outsider = await createPerson({ roles: ['employee'] })
    const thrown = await getCourseOverview(outsider, COURSE).catch((e: unknown) => e)
    expect((thrown as Response).status).toBe(403)
    const denials = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, outsider.id), eq(auditEvents.action, 'access.denied')))
    expect(denials[0].details).toMatchObject({ permission: 'take:courses:own', course: COURSE })

    const hr = await createPerson({ roles: ['hr_admin'] })
    expect(await getCourseOverview(hr, COURSE)).toMatchObject({ preview: true, enrolment: null })
    const write = await recordPosition(hr, COURSE, 'welcome', 50).catch((e: unknown) => e)
    expect((write as Response).status).toBe(403)
  })

  it('answers 404 for a course or module that does not exist', async () => {
    const person = await learner()
    expect(((await getCourseOverview(person, 'no-such-course').catch((e: unknown) => e)) as Response).status).toBe(404)
    expect(((await getModuleForLearner(person, COURSE, 'nope', 'en').catch((e: unknown) => e)) as Response).status).toBe(404)
  })

  it('closes the course to a person whose enrolment was ended', async () => {
    const person = await learner()
    await db.update(enrolments).set({ unenrolledAt: new Date() }).where(eq(enrolments.userId, person.id))
    expect(((await getCourseOverview(person, COURSE).catch((e: unknown) => e)) as Response).status).toBe(403)
    expect(await listMyLearning(person)).toEqual([])
  })
})
