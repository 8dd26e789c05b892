import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { checkInConfirmations, checkIns, followUpPlans, ratingPeriods, ratingTallies, users } from '#db/schema'
import { addMonths } from '~/modules/followup/followup'
import { followUpMeasures } from '~/modules/followup/measures.server'
import { listTeamFollowUp } from '~/modules/followup/plans.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { realCourses } from '../../tests/setup/courses'
import { seedCourseAssignments } from './course-assignments'
import { seedDemoCompany } from './demo-company'
import { seedDemoFollowUp } from './demo-followup'

const NOW = new Date('2026-12-20T04:00:00Z')

describe('follow-up demo seed', () => {
  it('shows a manager who follows up better after the course, with ratings, and one who has too few raters', async () => {
    await seedDemoCompany(db)
    await realCourses()
    await seedCourseAssignments(db)
    expect(await seedDemoFollowUp(db, NOW)).toBe(true)
    expect(await seedDemoFollowUp(db, NOW)).toBe(false)
    const [zhang] = await db.select().from(users).where(eq(users.email, 'manager@example.com'))
    const [brown] = await db.select().from(users).where(eq(users.email, 'michael.brown@example.com'))
    const [a, b] = await Promise.all(
      [zhang, brown].map(async (m) => (await followUpMeasures(db, { from: '2026-06-01', to: '2026-12-01', managerIds: [m.id], now: NOW, minimum: 3 }))[0]),
    )
    expect(a.completedOn).toBe('2026-09-12')
    // The course was taken step by step: every required module done, on the days before the completion.
    const [steps] = parseRows(
      z.object({ required: column.number, done: column.number, last: column.text, quizzes: column.number }),
      await db.execute(sql`
        select count(*)::int as required, count(p.id) filter (where p.status = 'completed')::int as done,
          max(p.completed_at)::text as last,
          (select count(*)::int from quiz_attempts q where q.user_id = ${zhang.id} and q.passed and q.submitted_at <= e.completed_at) as quizzes
        from enrolments e join courses c on c.id = e.course_id and c.content_id = 'managers-follow-up'
        join course_modules m on m.course_id = c.id and m.required and m.retired_at is null
        left join module_progress p on p.module_id = m.id and p.user_id = e.user_id
        where e.user_id = ${zhang.id} group by e.completed_at`),
    )
    expect(steps.done).toBe(steps.required)
    expect(steps.quizzes).toBeGreaterThan(0)
    expect(new Date(steps.last) <= new Date('2026-09-12T02:00:00Z')).toBe(true)
    expect(a.after!.adherence!).toBeGreaterThan(a.before!.adherence!)
    expect(a.after!.coverage!).toBeGreaterThan(a.before!.coverage!)
    expect(a.before!.rating).not.toBeNull()
    expect(a.after!.rating).not.toBeNull()
    expect(a.after!.rating!.two_way).toBeGreaterThan(a.before!.rating!.two_way)
    expect(b.months.every((m) => m.rating === null)).toBe(true)
    expect(b.months.some((m) => m.held > 0)).toBe(true)
  })

  it('tells the same story whatever the day it is seeded', async () => {
    const [zhang] = await db.select().from(users).where(eq(users.email, 'manager@example.com'))
    for (const now of ['2026-12-06T04:00:00Z', '2027-01-02T04:00:00Z', '2027-03-31T04:00:00Z', '2027-07-15T04:00:00Z']) {
      for (const table of [checkInConfirmations, checkIns, followUpPlans, ratingTallies, ratingPeriods]) await db.delete(table)
      expect(await seedDemoFollowUp(db, new Date(now))).toBe(true)
      const to = now.slice(0, 10)
      const [m] = await followUpMeasures(db, { from: addMonths(to, -6), to, managerIds: [zhang.id], now: new Date(now), minimum: 3 })
      expect(m.before!.rating, now).not.toBeNull()
      expect(m.after!.rating, now).not.toBeNull()
      expect(m.after!.adherence!, now).toBeGreaterThan(m.before!.adherence!)
      // Exactly one report shows as overdue on his team page: 林海燕 Lin Haiyan.
      const manager: CurrentUser = { ...zhang, locale: null, roles: ['manager'], sessionId: 'seed-test' }
      const overdue = (await listTeamFollowUp(manager, new Date(now))).filter((r) => r.next?.overdue).map((r) => r.name)
      expect(overdue, now).toEqual(['林海燕 Lin Haiyan'])
    }
  })
})
