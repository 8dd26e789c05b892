import { sql, type SQL } from 'drizzle-orm'
import { roleplayFactsSql } from '~/modules/roleplay/kpi.server'
import { defineComponent, type ComponentContext, inPeriodScope } from './types'

/**
 * Role-play (docs/decisions/036): three components over the role-play module's one facts
 * fragment, one evidence row per assignment due in the window for a group the manager is in.
 * They start disabled (weight 0) in new policies: HR enables and weighs them.
 */
function roleplayItems({ cohortIds, now }: ComponentContext, columns: SQL, where: SQL = sql``) {
  return sql`
    select w.manager_id, f.assignment_id::text as ref, f.label, f.due_at as at, ${columns}, false as blocking
    from kpi_windows w
    join (${roleplayFactsSql(now)}) f on f.user_id = w.manager_id
    where f.due_at >= w.wfrom and f.due_at < w.wto ${where}
      ${inPeriodScope(cohortIds, sql`f.cohort_id`)}`
}

/** Role-play facts change by time alone when an assignment's due time passes (nothing yet → missing). */
const roleplayChangesAt = (ctx: ComponentContext) => sql`
  select a.due_at as at from roleplay_assignments a
  where a.due_at > ${ctx.now.toISOString()}::timestamptz and a.due_at >= ${ctx.start} and a.due_at < ${ctx.end} ${inPeriodScope(ctx.cohortIds, sql`a.cohort_id`)}`

/** The skit delivered: recorded by the due time or performed live 1, late or missing 0, not yet due: not counted. */
export const roleplayDeliveryComponent = defineComponent({
  key: 'roleplay_delivery',
  defaultWeight: 0,
  changesAt: roleplayChangesAt,
  items: (ctx) =>
    roleplayItems(
      ctx,
      sql`f.delivery as status, (case when f.delivery in ('on_time', 'live') then 1 when f.delivery in ('late', 'missing') then 0 else null end)::numeric as score`,
    ),
})

/** The released rubric score ÷ 100; a review not released yet is shown, not counted. */
export const roleplayScoreComponent = defineComponent({
  key: 'roleplay_score',
  defaultWeight: 0,
  changesAt: roleplayChangesAt,
  items: (ctx) => roleplayItems(ctx, sql`(case when f.score is null then 'not_reviewed' else 'reviewed' end) as status, (f.score / 100.0)::numeric as score`),
})

/** Self-study: the share of the group's pack the manager finished (groups without a pack have no item). */
export const roleplayStudyComponent = defineComponent({
  key: 'roleplay_study',
  defaultWeight: 0,
  changesAt: roleplayChangesAt,
  items: (ctx) =>
    roleplayItems(
      ctx,
      sql`(case when f.study_finished = f.study_items then 'study_done' else 'study_partial' end) as status, (f.study_finished::numeric / f.study_items)::numeric as score`,
      sql`and f.study_items > 0`,
    ),
})
