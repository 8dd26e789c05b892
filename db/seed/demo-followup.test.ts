import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { users } from '#db/schema'
import { followUpMeasures } from '~/modules/followup/measures.server'
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
    expect(a.after!.adherence!).toBeGreaterThan(a.before!.adherence!)
    expect(a.after!.coverage!).toBeGreaterThan(a.before!.coverage!)
    expect(a.before!.rating).not.toBeNull()
    expect(a.after!.rating).not.toBeNull()
    expect(a.after!.rating!.two_way).toBeGreaterThan(a.before!.rating!.two_way)
    expect(b.months.every((m) => m.rating === null)).toBe(true)
    expect(b.months.some((m) => m.held > 0)).toBe(true)
  })
})
