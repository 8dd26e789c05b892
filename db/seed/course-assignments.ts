import { count, eq, inArray } from 'drizzle-orm'
import type { Database } from '../client.server'
import { courseAssignments, courses, users } from '../schema'
import { syncEnrolments } from '../../app/modules/courses/enrolment.server'
import { shanghaiAt } from './dates'

/**
 * The demo's course assignments: the managers' course to every manager (due in 30 days) and the
 * employees' course to every employee. Only in the demo company (its HR admin exists) and only
 * once (no assignment yet), so a real organisation is never assigned anything behind HR's back.
 */
export async function seedCourseAssignments(db: Database) {
  const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'hr.admin@example.com'))
  if (!admin) return false
  const [{ n }] = await db.select({ n: count() }).from(courseAssignments)
  if (Number(n) > 0) return false
  const found = await db
    .select({ id: courses.id, contentId: courses.contentId })
    .from(courses)
    .where(inArray(courses.contentId, ['managers-follow-up', 'employees-managing-up']))
  const idOf = new Map(found.map((c) => [c.contentId, c.id]))
  const values = [
    { contentId: 'managers-follow-up', roles: ['manager' as const], dueAt: shanghaiAt(30, '18:00') },
    { contentId: 'employees-managing-up', roles: ['employee' as const], dueAt: shanghaiAt(45, '18:00') },
  ]
    .filter((v) => idOf.has(v.contentId))
    .map((v) => ({ courseId: idOf.get(v.contentId)!, roles: v.roles, dueAt: v.dueAt, createdBy: admin.id }))
  if (values.length === 0) return false
  return db.transaction(async (tx) => {
    await tx.insert(courseAssignments).values(values)
    return syncEnrolments(tx)
  })
}
