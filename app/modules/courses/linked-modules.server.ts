import { eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { invitations } from '#db/schema'
import { recomputeCompletions } from './completion.server'
import { caseAnalysisDoneAt } from './kinds/case-study.server'
import { roleplayDoneAt } from './kinds/roleplay.server'

export type LinkedScope = { userIds?: string[]; courseId?: string }

const UserIdRow = z.object({ user_id: column.text })

/** Attendance that completes a session module: present or late at a session of the programme that was not cancelled. */
const attendedSql = (userId: ReturnType<typeof sql>, ref: ReturnType<typeof sql>) => sql`
  select a.marked_at from attendance a join sessions s on s.id = a.session_id
  where a.user_id = ${userId} and s.course_ref = ${ref} and s.status = 'scheduled' and a.status in ('present', 'late')`

/**
 * Brings module_progress in line with the records of the features that complete video and
 * session modules, so that every report (My learning, the course page, HR's progress matrix,
 * the team page, course completion) keeps reading one table:
 *
 * - video: the referenced video's `video_progress.completed_at` (set by the videos module when
 *   its rule holds: required breakpoints done and 90 % watched) completes the module; any
 *   watching at all marks it in progress.
 * - session: attendance present/late at a non-cancelled session whose `course_ref` is the
 *   module's ref completes it. Excused and absent do not. When a mark is corrected (present →
 *   absent) or the session is cancelled, the module is open again; a course completion already
 *   recorded stays, as for every other module.
 *
 * Only active enrolments are touched. Two statements plus the completion recompute, for any
 * number of people; call it after the source records change, scoped to the people concerned.
 */
export async function syncLinkedModules(executor: Executor, scope: LinkedScope = {}) {
  if (scope.userIds && scope.userIds.length === 0) return { written: 0, reopened: 0 }
  const users = scope.userIds ? sql`and e.user_id in ${scope.userIds}` : sql``
  const course = scope.courseId ? sql`and e.course_id = ${scope.courseId}` : sql``

  const written = parseRows(
    UserIdRow,
    await executor.execute(sql`
      with src as (
        select e.id as enrolment_id, e.user_id, m.id as module_id, m.version,
          case when m.kind = 'video'
            then (select vp.completed_at from video_progress vp where vp.user_id = e.user_id and vp.video_id = m.settings->>'ref')
            when m.kind = 'case_study' then (${caseAnalysisDoneAt(sql`e.user_id`, sql`m.settings->>'ref'`)})
            when m.kind = 'roleplay' then (${roleplayDoneAt(sql`e.user_id`, sql`m.settings->>'ref'`)})
            else (select min(x.marked_at) from (${attendedSql(sql`e.user_id`, sql`m.settings->>'ref'`)}) x)
          end as done_at,
          (m.kind = 'video' and exists (select 1 from video_progress vp where vp.user_id = e.user_id and vp.video_id = m.settings->>'ref')) as started
        from enrolments e
        join course_modules m on m.course_id = e.course_id and m.retired_at is null
          and (m.kind in ('case_study', 'roleplay') or (m.kind in ('video', 'session') and m.settings->>'ref' is not null))
        where e.unenrolled_at is null ${users} ${course}
      )
      insert into module_progress (enrolment_id, user_id, module_id, status, last_position, completed_at, completed_version)
      select enrolment_id, user_id, module_id,
        (case when done_at is not null then 'completed' else 'in_progress' end)::module_progress_status,
        case when done_at is not null then 100 else 0 end, done_at, case when done_at is not null then version end
      from src where done_at is not null or started
      on conflict (user_id, module_id) do update
        set status = 'completed', completed_at = excluded.completed_at, completed_version = excluded.completed_version,
          last_position = 100, last_viewed_at = now()
        where module_progress.status <> 'completed' and excluded.status = 'completed'
      returning user_id`),
  )

  const reopened = parseRows(
    UserIdRow,
    await executor.execute(sql`
      update module_progress p set status = 'in_progress', completed_at = null, completed_version = null, last_position = 0
      from course_modules m, enrolments e
      where m.id = p.module_id and m.kind = 'session' and p.status = 'completed'
        and e.id = p.enrolment_id and e.unenrolled_at is null ${users} ${course}
        and not exists (${attendedSql(sql`p.user_id`, sql`m.settings->>'ref'`)})
      returning p.user_id`),
  )

  if (written.length > 0) {
    await recomputeCompletions(executor, { courseId: scope.courseId, userIds: [...new Set(written.map((r) => r.user_id))] })
  }
  return { written: written.length, reopened: reopened.length }
}

/** The people invited to a session: whose session modules change when the session does. */
export async function syncLinkedModulesForSession(executor: Executor, sessionId: string) {
  const invited = await executor.select({ userId: invitations.userId }).from(invitations).where(eq(invitations.sessionId, sessionId))
  return syncLinkedModules(executor, { userIds: invited.map((r) => r.userId) })
}
