import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { quizAttemptGrants } from '#db/schema'
import { isUuid } from '#db/sql-helpers'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import type { Localized } from '#db/schema'

export type PersonQuiz = {
  moduleId: string
  courseKey: string
  courseTitle: Localized
  quizTitle: Localized
  maxAttempts: number
  granted: number
  used: number
  passed: boolean
  bestScore: number | null
  lastGrant: { at: Date; by: string } | null
  /** Every attempt used and not passed: HR may grant one more. */
  exhausted: boolean
}

const PersonQuizRow = z.object({
  moduleId: column.text,
  courseKey: column.text,
  courseTitle: column.localized,
  quizTitle: column.localized,
  maxAttempts: column.number,
  granted: column.number,
  used: column.number,
  passed: column.boolean,
  bestScore: column.numberOrNull,
  lastAt: column.dateOrNull,
  lastBy: column.textOrNull,
})

/** A person's quizzes in the courses they are enrolled in: attempts used of allowed, extra attempts granted, passed or not (HR). */
export async function listPersonQuizzes(actor: CurrentUser, personId: string): Promise<PersonQuiz[]> {
  await assertCan(actor, 'manage:people:all')
  if (!isUuid(personId)) return []
  const rows = parseRows(
    PersonQuizRow,
    await db.execute(sql`
      select m.id as "moduleId", c.content_id as "courseKey", c.title as "courseTitle", m.title as "quizTitle",
        coalesce((m.settings->>'maxAttempts')::int, 0) as "maxAttempts",
        (select count(*)::int from quiz_attempt_grants g where g.user_id = e.user_id and g.module_id = m.id) as granted,
        (select count(*)::int from quiz_attempts a where a.user_id = e.user_id and a.module_id = m.id) as used,
        exists (select 1 from module_progress p where p.user_id = e.user_id and p.module_id = m.id and p.status = 'completed') as passed,
        (select max(a.score) from quiz_attempts a where a.user_id = e.user_id and a.module_id = m.id and a.submitted_at is not null) as "bestScore",
        g.granted_at as "lastAt", gu.name as "lastBy"
      from enrolments e
      join courses c on c.id = e.course_id
      join course_modules m on m.course_id = c.id and m.kind = 'quiz' and m.retired_at is null
      left join lateral (select granted_at, granted_by from quiz_attempt_grants g where g.user_id = e.user_id and g.module_id = m.id
        order by granted_at desc limit 1) g on true
      left join users gu on gu.id = g.granted_by
      where e.user_id = ${personId} and e.unenrolled_at is null
        and exists (select 1 from quiz_attempts a where a.user_id = e.user_id and a.module_id = m.id)
      order by c.content_id, m.position`),
  )
  return rows.map(({ lastAt, lastBy, ...r }) => {
    const allowed = r.maxAttempts === 0 ? null : r.maxAttempts + r.granted
    return {
      ...r,
      lastGrant: lastAt ? { at: lastAt, by: lastBy ?? '' } : null,
      exhausted: !r.passed && allowed !== null && r.used >= allowed,
    }
  })
}

/**
 * HR grants one more attempt at a quiz to a person who used every attempt without passing (the
 * learner was told to contact HR). Refused while an attempt is left or once the quiz is passed.
 * Audited; the learner sees the attempt on the quiz page at once.
 */
export async function grantQuizAttempt(actor: CurrentUser, personId: string, moduleId: string, ip?: string) {
  await assertCan(actor, 'manage:people:all')
  const quiz = (await listPersonQuizzes(actor, personId)).find((q) => q.moduleId === moduleId)
  if (!quiz) return { ok: false as const, error: 'people.quizzes.notFound' }
  if (!quiz.exhausted) return { ok: false as const, error: quiz.passed ? 'people.quizzes.alreadyPassed' : 'people.quizzes.attemptsLeft' }
  await db.transaction(async (tx) => {
    await tx.insert(quizAttemptGrants).values({ userId: personId, moduleId, grantedBy: actor.id })
    await audit(
      {
        actorId: actor.id,
        action: 'quiz.attempt_granted',
        entityType: 'user',
        entityId: personId,
        after: { course: quiz.courseKey, moduleId, allowed: quiz.maxAttempts + quiz.granted + 1 },
        ip,
      },
      tx,
    )
  })
  return { ok: true as const }
}
