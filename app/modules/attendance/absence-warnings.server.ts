import { and, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { absenceRequests, attendance, invitations, sessions, users } from '#db/schema'
import { env, publicOrigin } from '~/env.server'
import { registerJobHandler, sendJob, type JobContext } from '~/modules/jobs/jobs.server'
import { notifyThenEmail } from '~/modules/notifications/inbox.server'

export const ABSENCE_CHECK_JOB = 'attendance.absence-check'

/**
 * Unexcused absences: sessions the person was required to attend (invited or accepted, not
 * cancelled) marked `absent`, with no approved absence request.
 */
function unexcusedAbsences(userId?: string) {
  return sql`
    select a.user_id, count(*)::int as absences
    from ${attendance} a
    join ${sessions} s on s.id = a.session_id and s.status = 'scheduled'
    join ${invitations} i on i.session_id = a.session_id and i.user_id = a.user_id and i.status in ('invited', 'accepted')
    where a.status = 'absent'
      ${userId ? sql`and a.user_id = ${userId}` : sql``}
      and not exists (
        select 1 from ${absenceRequests} r
        where r.session_id = a.session_id and r.user_id = a.user_id and r.status = 'approved')
    group by a.user_id`
}

export async function countUnexcusedAbsences(executor: Executor, userId: string) {
  const [row] = parseRows(z.object({ absences: column.number }), await executor.execute(unexcusedAbsences(userId)))
  return row?.absences ?? 0
}

/** Called in the transaction that marked someone absent: the warning is worked out by a job. */
export async function queueAbsenceCheck(tx: Executor, userId: string) {
  await sendJob(ABSENCE_CHECK_JOB, { userId }, {}, tx)
}

function warningKey(userId: string, absences: number) {
  return `absence_warning:${userId}:${absences}`
}

/**
 * Warns the person and their manager (email + in-app) once they have at least
 * ABSENCE_WARNING_THRESHOLD unexcused absences: once per count, so a retried job or a mark
 * changed back and forth never warns twice for the same number.
 */
export async function checkAbsences(data: { userId: string }, context: Pick<JobContext, 'now'> = { now: new Date() }) {
  void context
  const threshold = env().ABSENCE_WARNING_THRESHOLD
  return db.transaction(async (tx) => {
    const absences = await countUnexcusedAbsences(tx, data.userId)
    if (absences < threshold) return { sent: 0, absences }
    const [person] = await tx
      .select({ id: users.id, name: users.name, email: users.email, locale: users.locale, active: users.active, managerId: users.managerId })
      .from(users)
      .where(eq(users.id, data.userId))
    if (!person) return { sent: 0, absences }
    const [manager] = person.managerId
      ? await tx
          .select({ id: users.id, name: users.name, email: users.email, locale: users.locale })
          .from(users)
          .where(and(eq(users.id, person.managerId), eq(users.active, true)))
      : []
    const key = warningKey(person.id, absences)
    const origin = publicOrigin()
    // The person (while still employed) and their manager, each with their own notice and email.
    const warned: {
      to: { id: string; name: string; email: string; locale: string | null }
      notice: string
      params: Record<string, unknown>
      path: string
      email: 'absence_warning' | 'absence_warning_manager'
      vars: Record<string, string | number>
    }[] = [
      ...(person.active
        ? [
            {
              to: person,
              notice: 'absence_warning',
              params: { count: absences },
              path: '/my/sessions',
              email: 'absence_warning' as const,
              vars: { count: absences },
            },
          ]
        : []),
      ...(manager
        ? [
            {
              to: manager,
              notice: 'absence_warning_report',
              params: { person: person.name, count: absences },
              path: '/team',
              email: 'absence_warning_manager' as const,
              vars: { person: person.name, count: absences },
            },
          ]
        : []),
    ]
    const sent = await notifyThenEmail(tx, warned, {
      to: (w) => w.to,
      notice: (w) => ({ kind: w.notice, params: w.params, link: w.path, dedupeKey: key }),
      email: (w) => ({
        kind: w.email,
        vars: { name: w.to.name, ...w.vars, link: `${origin}${w.path}` },
      }),
    })
    return { sent, absences }
  })
}

/** The sweep's part: people at or over the threshold whose warning for their current count is missing. */
export async function enqueueMissedAbsenceWarnings() {
  const threshold = env().ABSENCE_WARNING_THRESHOLD
  const missing = parseRows(
    z.object({ user_id: column.text }),
    await db.execute(sql`
      select t.user_id from (${unexcusedAbsences()}) t
      join ${users} u on u.id = t.user_id and u.active
      where t.absences >= ${threshold}
        and not exists (
          select 1 from notifications n
          where n.user_id = t.user_id and n.dedupe_key = 'absence_warning:' || t.user_id || ':' || t.absences)
      limit 1000`),
  )
  for (const m of missing) await sendJob(ABSENCE_CHECK_JOB, { userId: m.user_id }, { singletonKey: m.user_id })
  return missing.length
}

export function registerAbsenceJobs() {
  registerJobHandler<{ userId: string }>(ABSENCE_CHECK_JOB, async (data, context) => {
    await checkAbsences(data, context)
  })
}
