import { sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { studyFinishedAtSql } from './study.server'

/**
 * One row per current group member × role-play assignment, for KPIs (docs/decisions/036):
 *   user_id, assignment_id, cohort_id, due_at, label (the scenario's title, jsonb),
 *   delivery: 'live' (performed in class) | 'on_time' (a recording submitted by the due time,
 *     not withdrawn, not refused) | 'late' (one only after it) | 'missing' (none, past due) | 'pending',
 *   score: the released review's rubric score 0–100 (null until released),
 *   study_items, study_finished: the self-study pack's size and how much of it the member finished.
 * `now` decides when "nothing yet" becomes missing.
 */
export function roleplayFactsSql(now: Date): SQL {
  return sql`
    select gm.user_id, a.id as assignment_id, a.cohort_id, a.due_at, sc.title as label,
      case when a.performed_live_at is not null then 'live'
        when exists (select 1 from roleplay_recordings r where r.assignment_id = a.id and r.withdrawn_at is null and r.status <> 'refused' and r.submitted_at <= a.due_at) then 'on_time'
        when exists (select 1 from roleplay_recordings r where r.assignment_id = a.id and r.withdrawn_at is null and r.status <> 'refused') then 'late'
        when a.due_at <= ${now.toISOString()}::timestamptz then 'missing'
        else 'pending' end as delivery,
      case when rv.released_at is not null then rv.score end as score,
      (select count(*) from roleplay_study_items i where i.assignment_id = a.id)::int as study_items,
      (select count(*) from roleplay_study_items i left join roleplay_study_progress p on p.item_id = i.id and p.user_id = gm.user_id
        where i.assignment_id = a.id and ${studyFinishedAtSql(sql`gm.user_id`)} is not null)::int as study_finished
    from roleplay_assignments a
    join study_group_members gm on gm.group_id = a.group_id
    join roleplay_scenarios sc on sc.id = a.scenario_id
    left join roleplay_reviews rv on rv.assignment_id = a.id`
}

const RoleplayKpiRow = z.object({
  user_id: column.text,
  /** Role-play assignments due in the period for groups the person is in now. */
  assignments: column.number,
  /** Of those, recorded on time or performed live. */
  delivered: column.number,
  /** Average released rubric score, 0–100 (null: nothing released). */
  score: column.numberOrNull,
  /** Finished ÷ given self-study items over those assignments, 0–1 (null: no pack). */
  study_completion: column.numberOrNull,
})
export type RoleplayKpiRow = z.output<typeof RoleplayKpiRow>

/**
 * Per person, the role-play assignments due in [from, to): how many, delivered on time (recorded
 * by the due time or performed live), the released rubric score and the self-study completion.
 * One SQL statement for everyone, to join or wrap: `with rp as (${roleplayKpiSql(period)}) …`.
 */
export function roleplayKpiSql(period: { from: Date; to: Date }, now = new Date()): SQL {
  return sql`
    select f.user_id, count(*)::int as assignments,
      count(*) filter (where f.delivery in ('on_time', 'live'))::int as delivered,
      round(avg(f.score))::int as score,
      round(sum(f.study_finished)::numeric / nullif(sum(f.study_items), 0), 4)::float8 as study_completion
    from (${roleplayFactsSql(now)}) f
    where f.due_at >= ${period.from.toISOString()}::timestamptz and f.due_at < ${period.to.toISOString()}::timestamptz
    group by f.user_id`
}

/** Runs roleplayKpiSql. */
export async function roleplayKpi(executor: Executor, period: { from: Date; to: Date }, now = new Date()) {
  return parseRows(RoleplayKpiRow, await executor.execute(roleplayKpiSql(period, now)))
}
