import { sql } from 'drizzle-orm'
import { caseAnalysisItemsSql } from '~/modules/assignments/kpi.server'
import { type ComponentContext, inPeriodScope } from './types'

/*
 * Group case analysis (issue 12) as KPI inputs (issue 14, docs/decisions/037): the released
 * individual mark is a learning item, the group's submission and its presentation are
 * participation items. Every item is one (manager, group assignment) dated by the assignment's
 * due time, counted when that lies in one of the manager's windows; assignments of the period's
 * cohorts only (none chosen: all).
 */

function cases(ctx: ComponentContext) {
  return sql`
    from kpi_windows w
    join (${caseAnalysisItemsSql()}) ca on ca.user_id = w.manager_id and ca.due_at >= w.wfrom and ca.due_at < w.wto
    join cases c on c.id = ca.case_id
    where true ${inPeriodScope(ctx.cohortIds, sql`ca.cohort_id`)}`
}

/** Learning: the released individual mark ÷ 100 (not yet released: not shown, like an unsubmitted quiz). */
export const caseAnalysisLearningSource = (ctx: ComponentContext) => sql`
  select w.manager_id, ca.assignment_id::text as ref, c.title as label, ca.due_at as at, 'graded' as status, (ca.mark / 100.0)::numeric as score, false as blocking
  ${cases(ctx)} and ca.mark is not null`

/** Participation, submission: a version before the due time 1; only late versions, or none after the due time, 0; before it, open. */
export const caseAnalysisSubmissionSource = (ctx: ComponentContext) => sql`
  select w.manager_id, ca.assignment_id::text as ref, c.title as label, ca.due_at as at,
    case when ca.on_time then 'submitted_on_time' when ca.submitted then 'submitted_late'
      when ca.due_at <= ${ctx.now.toISOString()}::timestamptz then 'not_submitted' else 'open' end as status,
    (case when ca.on_time then 1 when ca.submitted or ca.due_at <= ${ctx.now.toISOString()}::timestamptz then 0 else null end)::numeric as score,
    false as blocking
  ${cases(ctx)}`

/** Participation, presentation: presented 1; not presented once the grade is released 0; before that, pending. */
export const caseAnalysisPresentationSource = (ctx: ComponentContext) => sql`
  select w.manager_id, ca.assignment_id::text as ref, c.title as label, ca.due_at as at,
    case when ca.presented then 'presented' when ca.released then 'not_presented' else 'presentation_pending' end as status,
    (case when ca.presented then 1 when ca.released then 0 else null end)::numeric as score,
    false as blocking
  ${cases(ctx)}`

/** When a submission's status changes by time alone: the due times after `now` of the period's group assignments. */
export const caseAnalysisDueSql = (ctx: ComponentContext) => sql`
  select a.due_at as at from group_assignments a
  where a.due_at > ${ctx.now.toISOString()}::timestamptz and a.due_at >= ${ctx.start} and a.due_at < ${ctx.end} ${inPeriodScope(ctx.cohortIds, sql`a.cohort_id`)}`
