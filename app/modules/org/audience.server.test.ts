import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { courses, enrolments, invitations, users } from '#db/schema'
import { department, fixtureCourse } from '../../../tests/setup/courses'
import { createPerson } from '../../../tests/setup/fixtures'
import { scheduleSession } from '../../../tests/setup/sessions'
import { assignCourse } from '~/modules/courses/enrolment.server'
import { ProgressFilters } from '~/modules/courses/courses'
import { listProgress } from '~/modules/courses/progress.server'
import { inviteAudience } from '~/modules/sessions/invitations.server'
import { audienceCondition } from './audience.server'

/**
 * Department names may contain `_` and `%`, which LIKE reads as wildcards: a subtree match by
 * `path LIKE root || '/%'` pulls the people of `AxB/Team` into `A_B` and `A%`.
 */
async function departmentsWithWildcards() {
  const ab = await department('A_B')
  const abTeam = await department('A_B/Team', ab.id)
  const aPct = await department('A%')
  const axb = await department('AxB')
  const axbTeam = await department('AxB/Team', axb.id)
  const inAb = await createPerson({ name: 'In A_B', roles: ['manager'], departmentId: abTeam.id })
  const inAPct = await createPerson({ name: 'In A%', roles: ['manager'], departmentId: aPct.id })
  const inAxb = await createPerson({ name: 'In AxB', roles: ['manager'], departmentId: axbTeam.id })
  return { ab, aPct, axb, inAb, inAPct, inAxb }
}

describe('an audience by department subtree', () => {
  it('takes the characters of department names literally, in every place audiences are matched', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const { ab, aPct, axb, inAb, inAPct, inAxb } = await departmentsWithWildcards()
    const people = [inAb.id, inAPct.id, inAxb.id]

    // The condition itself.
    const matched = async (departmentId: string) =>
      (
        await db
          .select({ id: users.id })
          .from(users)
          .where(audienceCondition({ id: users.id, departmentId: users.departmentId }, { departmentId }))
      )
        .map((r) => r.id)
        .filter((id) => people.includes(id))
    expect(await matched(ab.id)).toEqual([inAb.id])
    expect(await matched(aPct.id)).toEqual([inAPct.id])
    expect(await matched(axb.id)).toEqual([inAxb.id])

    // Course assignment (enrolment sync).
    const { course } = await fixtureCourse()
    const [copy] = await db
      .insert(courses)
      .values({
        contentId: 'wildcards',
        audience: course.audience,
        title: course.title,
        description: course.description,
        estimatedMinutes: 10,
        status: 'published',
      })
      .returning()
    await assignCourse(hr, copy.id, { departmentId: ab.id })
    const enrolled = await db.select({ userId: enrolments.userId }).from(enrolments).where(eq(enrolments.courseId, copy.id))
    expect(enrolled.map((e) => e.userId)).toEqual([inAb.id])

    // The progress report's department filter.
    await assignCourse(hr, copy.id, { departmentId: axb.id })
    const report = await listProgress(hr, ProgressFilters.parse({ course: 'wildcards', department: ab.id }))
    expect(report.rows.map((r) => r.name)).toEqual(['In A_B'])

    // Session invitations.
    const { sessionId } = await scheduleSession(hr)
    expect(await inviteAudience(hr, sessionId, { departmentId: aPct.id })).toEqual({ ok: true, invited: 1 })
    const invited = await db
      .select({ userId: invitations.userId })
      .from(invitations)
      .where(and(eq(invitations.sessionId, sessionId)))
    expect(invited.map((i) => i.userId)).toEqual([inAPct.id])
  })
})
