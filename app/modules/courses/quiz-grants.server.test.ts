import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { auditEvents, enrolments } from '#db/schema'
import { createPerson, postAs, settle } from '../../../tests/setup/fixtures'
import { fixtureCourse } from '../../../tests/setup/courses'
import { getModuleForLearner, startQuizAttempt, submitQuizAttempt } from './learning.server'
import { grantQuizAttempt, listPersonQuizzes } from './quiz-grants.server'

const COURSE = 'good-course'
const ALL_RIGHT = { q1: ['a'], q2: ['a', 'b'], q3: ['true'], q4: ['b'] }
const TWO_RIGHT = { q1: ['a'], q2: ['a'], q3: ['true'], q4: ['c'] } // 50 %

let fixture: Awaited<ReturnType<typeof fixtureCourse>>
beforeAll(async () => {
  fixture = await fixtureCourse()
})

async function attempt(person: Awaited<ReturnType<typeof createPerson>>, answers: Record<string, string[]>) {
  const started = await startQuizAttempt(person, COURSE, 'check')
  if (!started.ok) return started
  return submitQuizAttempt(person, started.attemptId, answers)
}

describe('HR grants another quiz attempt (issue 11: a dead end after the last attempt)', () => {
  it('gives a learner who used every attempt one more, audited and shown in their progress', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const trainer = await createPerson({ roles: ['trainer'] })
    const learner = await createPerson({ roles: ['employee'] })
    await db.insert(enrolments).values({ courseId: fixture.course.id, userId: learner.id })
    const quizId = fixture.modules.check.id

    expect(await attempt(learner, TWO_RIGHT)).toMatchObject({ ok: true, passed: false })
    // While an attempt is left there is nothing to grant.
    expect(await grantQuizAttempt(hr, learner.id, quizId)).toEqual({ ok: false, error: 'people.quizzes.attemptsLeft' })
    for (let i = 0; i < 2; i++) expect(await attempt(learner, TWO_RIGHT)).toMatchObject({ ok: true, passed: false })
    expect(await startQuizAttempt(learner, COURSE, 'check')).toEqual({ ok: false, error: 'courses.quiz.noAttemptsLeft' })
    expect(await listPersonQuizzes(hr, learner.id)).toMatchObject([{ used: 3, maxAttempts: 3, granted: 0, exhausted: true, passed: false, bestScore: 50 }])

    // Only HR grants.
    expect(((await settle(() => grantQuizAttempt(trainer, learner.id, quizId))) as Response).status).toBe(403)
    expect(await grantQuizAttempt(hr, learner.id, quizId, '127.0.0.1')).toEqual({ ok: true })
    const [audited] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'quiz.attempt_granted'), eq(auditEvents.entityId, learner.id)))
    expect(audited).toMatchObject({ actorId: hr.id, entityType: 'user', after: { course: COURSE, moduleId: quizId, allowed: 4 } })
    const shown = await listPersonQuizzes(hr, learner.id)
    expect(shown).toMatchObject([{ used: 3, granted: 1, exhausted: false, lastGrant: { by: hr.name } }])

    // The learner sees the attempt and can pass with it; then nothing more can be granted.
    const view = await getModuleForLearner(learner, COURSE, 'check', 'en')
    expect(view.quiz).toMatchObject({ attemptsUsed: 3, remaining: 1, canStart: true, maxAttempts: 4 })
    expect(await attempt(learner, ALL_RIGHT)).toMatchObject({ ok: true, passed: true })
    expect(await grantQuizAttempt(hr, learner.id, quizId)).toEqual({ ok: false, error: 'people.quizzes.alreadyPassed' })
    expect(await listPersonQuizzes(hr, learner.id)).toMatchObject([{ used: 4, granted: 1, passed: true, exhausted: false }])
  })

  it('is an action on the person page (HR only) that redirects with a localized notice', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const learner = await createPerson({ roles: ['employee'] })
    await db.insert(enrolments).values({ courseId: fixture.course.id, userId: learner.id })
    for (let i = 0; i < 3; i++) await attempt(learner, TWO_RIGHT)
    const route = await import('../../routes/admin.people.$personId')
    const url = `/admin/people/${learner.id}`
    const params = { personId: learner.id }
    const fields = { intent: 'grant-attempt', moduleId: fixture.modules.check.id }
    const employeeTry = (await settle(async () => route.action({ request: await postAs(learner, url, fields), params, context: {} }))) as Response
    expect(employeeTry.status).toBe(403)
    const done = (await settle(async () => route.action({ request: await postAs(hr, url, fields), params, context: {} }))) as Response
    expect(done.status).toBe(302)
    expect(done.headers.get('Location')).toBe(`${url}?granted=1`)
    const again = await settle(async () => route.action({ request: await postAs(hr, url, fields), params, context: {} }))
    expect(again).toMatchObject({ init: { status: 400 }, data: { statusError: 'people.quizzes.attemptsLeft' } })
  })
})
