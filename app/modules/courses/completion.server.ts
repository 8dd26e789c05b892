import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'

/**
 * Records the completion date on every active enrolment (optionally of one course and/or
 * person) whose required, non-retired modules are all complete. One statement; a completion
 * once recorded is never taken back (a module added later does not undo a finished course).
 */
export async function recomputeCompletions(executor: Executor, scope: { courseId?: string; userId?: string; userIds?: string[] }) {
  if (scope.userIds && scope.userIds.length === 0) return []
  const result = await executor.execute(sql`
    update enrolments e set completed_at = now()
    where e.completed_at is null and e.unenrolled_at is null
      ${scope.courseId ? sql`and e.course_id = ${scope.courseId}` : sql``}
      ${scope.userId ? sql`and e.user_id = ${scope.userId}` : sql``}
      ${scope.userIds ? sql`and e.user_id in ${scope.userIds}` : sql``}
      and not exists (
        select 1 from course_modules m
        where m.course_id = e.course_id and m.required and m.retired_at is null
          and not exists (
            select 1 from module_progress p
            where p.module_id = m.id and p.user_id = e.user_id and p.status = 'completed'
          )
      )
    returning e.id, e.course_id as "courseId", e.user_id as "userId"`)
  return parseRows(z.object({ id: column.text, courseId: column.text, userId: column.text }), result)
}
