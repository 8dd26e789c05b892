import { sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'

const CaseAnalysisKpiRow = z.object({
  user_id: column.text,
  /** Group assignments due in the period for groups the person is in now. */
  assignments: column.number,
  submitted_on_time: column.number,
  presented: column.number,
  /** Average released individual mark, 0–100 (null: nothing released). */
  grade: column.numberOrNull,
  /** Average peer rating (1–5) the person's groups received. */
  peer_rating: column.numberOrNull,
  /** Average contribution rating (1–5) the person received from their group. */
  contribution_rating: column.numberOrNull,
})
export type CaseAnalysisKpiRow = z.output<typeof CaseAnalysisKpiRow>

/**
 * One row per person and group case analysis (of the groups the person is in now): user_id,
 * assignment_id, cohort_id, case_id, due_at, submitted (any version), on_time (a version before
 * the due time), presented, released (the grade), mark — the released individual mark, 0–100
 * (group score × contribution factor within the rubric's bounds, as members see it), null until
 * released — peer (average peer rating, 1–5) and contribution (the person's average contribution
 * rating, 1–5). `period` limits it to assignments due in [from, to); without it, a plain select the
 * caller joins on (user_id, due_at), as the KPI components do (PostgreSQL flattens it into the join).
 */
export function caseAnalysisItemsSql(period?: { from: Date; to: Date }): SQL {
  return sql`
      select gm.user_id, a.id as assignment_id, a.cohort_id, a.case_id, a.due_at,
        exists (select 1 from submission_versions v where v.assignment_id = a.id) as submitted,
        exists (select 1 from submission_versions v where v.assignment_id = a.id and not v.late) as on_time,
        a.presented_at is not null as presented,
        g.released_at is not null as released,
        case when g.released_at is not null then
          least(100, round(g.score * greatest(r.contribution_min_percent / 100.0, least(r.contribution_max_percent / 100.0,
            coalesce((select avg(cr.score) from contribution_ratings cr where cr.assignment_id = a.id and cr.ratee_id = gm.user_id)
              / nullif((select avg(x.av) from (select avg(c2.score) as av from contribution_ratings c2 where c2.assignment_id = a.id group by c2.ratee_id) x), 0), 1)))))
        end as mark,
        (select avg(p.score) from peer_ratings p where p.assignment_id = a.id) as peer,
        (select avg(cr.score) from contribution_ratings cr where cr.assignment_id = a.id and cr.ratee_id = gm.user_id) as contribution
      from group_assignments a
      join study_group_members gm on gm.group_id = a.group_id
      join rubrics r on r.id = a.rubric_id
      left join grades g on g.assignment_id = a.id
      ${period ? sql`where a.due_at >= ${period.from.toISOString()}::timestamptz and a.due_at < ${period.to.toISOString()}::timestamptz` : sql``}`
}

/**
 * Per person, the group case analyses due in [from, to): how many, submitted on time,
 * presented, the released individual mark, peer and contribution ratings (see
 * caseAnalysisItemsSql). One SQL statement for everyone, to join or wrap in KPI queries:
 * `with ca as (${caseAnalysisKpiSql(period)}) …`.
 */
export function caseAnalysisKpiSql(period: { from: Date; to: Date }): SQL {
  return sql`
    with per as (${caseAnalysisItemsSql(period)})
    select user_id, count(*)::int as assignments, count(*) filter (where on_time)::int as submitted_on_time,
      count(*) filter (where presented)::int as presented, round(avg(mark))::int as grade,
      round(avg(peer), 2)::float8 as peer_rating, round(avg(contribution), 2)::float8 as contribution_rating
    from per group by user_id`
}

/** Runs caseAnalysisKpiSql. */
export async function caseAnalysisKpi(executor: Executor, period: { from: Date; to: Date }) {
  return parseRows(CaseAnalysisKpiRow, await executor.execute(caseAnalysisKpiSql(period)))
}
