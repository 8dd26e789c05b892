import { sql } from 'drizzle-orm'
import { defineComponent, inPeriodScope } from './types'

/**
 * Attendance over the required sessions (docs/decisions/010 for "required"): present 1, late the
 * policy's fraction, absent 0, excused left out (null) or counted as not attended (0), unmarked
 * shown, not counted, and blocking publication. Sessions that have not started yet don't count.
 */
export const attendanceComponent = defineComponent({
  key: 'attendance',
  defaultWeight: 40,
  items: ({ policy, cohortIds, now }) => sql`
    select w.manager_id, s.id::text as ref, to_jsonb(s.title) as label, s.starts_at as at,
      coalesce(a.status::text, 'unmarked') as status,
      (case a.status
        when 'present' then 1
        when 'late' then ${policy.lateFraction}::numeric
        when 'absent' then 0
        when 'excused' then ${policy.excused === 'count' ? sql`0` : sql`null`}
        else null end)::numeric as score,
      (a.status is null) as blocking
    from kpi_windows w
    join invitations i on i.user_id = w.manager_id and i.status in ('invited', 'accepted')
    join sessions s on s.id = i.session_id
    left join attendance a on a.session_id = i.session_id and a.user_id = i.user_id
    where s.status = 'scheduled'
      and s.starts_at >= w.wfrom and s.starts_at < w.wto
      and s.starts_at <= ${now.toISOString()}::timestamptz
      ${inPeriodScope(cohortIds, sql`s.cohort_id`)}`,
  // A required session counts once it has started.
  changesAt: ({ cohortIds, now, start, end }) => sql`
    select s.starts_at as at from sessions s
    where s.status = 'scheduled' and s.starts_at > ${now.toISOString()}::timestamptz and s.starts_at >= ${start} and s.starts_at < ${end}
      ${inPeriodScope(cohortIds, sql`s.cohort_id`)}`,
})
