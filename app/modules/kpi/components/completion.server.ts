import { sql } from 'drizzle-orm'
import { defineComponent, inPeriodScope } from './types'

/**
 * Required courses due in the period: completed by the due date 1, after it the policy's late
 * fraction, not done 0 once the due date has passed; not yet due and not done: shown, not counted.
 */
export const completionComponent = defineComponent({
  key: 'completion',
  defaultWeight: 30,
  items: ({ policy, courseIds, now }) => sql`
    select w.manager_id, c.content_id as ref, c.title as label, e.due_at as at, st.status,
      (case st.status when 'on_time' then 1 when 'late' then ${policy.courseLateFraction}::numeric when 'not_done' then 0 else null end)::numeric as score,
      false as blocking
    from kpi_windows w
    join enrolments e on e.user_id = w.manager_id and e.unenrolled_at is null
    join courses c on c.id = e.course_id
    cross join lateral (select case
        when e.completed_at is not null and e.completed_at <= e.due_at then 'on_time'
        when e.completed_at is not null then 'late'
        when e.due_at <= ${now.toISOString()}::timestamptz then 'not_done'
        else 'pending' end as status) st
    where e.due_at >= w.wfrom and e.due_at < w.wto
      ${inPeriodScope(courseIds, sql`e.course_id`)}`,
  // A course not completed becomes not done when its due date passes.
  changesAt: ({ courseIds, now, start, end }) => sql`
    select e.due_at as at from enrolments e
    where e.unenrolled_at is null and e.completed_at is null and e.due_at > ${now.toISOString()}::timestamptz and e.due_at >= ${start} and e.due_at < ${end}
      ${inPeriodScope(courseIds, sql`e.course_id`)}`,
})
