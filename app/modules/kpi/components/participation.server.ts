import { sql, type SQL } from 'drizzle-orm'
import { env } from '~/env.server'
import { caseAnalysisDueSql, caseAnalysisPresentationSource, caseAnalysisSubmissionSource } from './case-analysis.server'
import { defineComponent, type ComponentContext, inPeriodScope } from './types'

/**
 * Participation: 1 for each thing done, 0 for each not done once it closed. Group work and
 * role-play submissions add their sources here with one line.
 */
export const participationSources: ((ctx: ComponentContext) => SQL)[] = [
  // Reaction surveys sent for sessions in the window: answered 1; closed unanswered 0; still open and unanswered: not counted yet.
  ({ cohortIds, now }) => sql`
    select w.manager_id, s.id::text as ref, to_jsonb(s.title) as label, s.ends_at as at,
      case when sp.submitted_at is not null then 'answered'
        when s.ends_at + make_interval(days => ${env().SURVEY_OPEN_DAYS}) <= ${now.toISOString()}::timestamptz then 'not_answered'
        else 'open' end as status,
      (case when sp.submitted_at is not null then 1
        when s.ends_at + make_interval(days => ${env().SURVEY_OPEN_DAYS}) <= ${now.toISOString()}::timestamptz then 0
        else null end)::numeric as score,
      false as blocking
    from kpi_windows w
    join survey_participants sp on sp.user_id = w.manager_id
    join sessions s on s.id = sp.session_id
    where s.starts_at >= w.wfrom and s.starts_at < w.wto
      ${inPeriodScope(cohortIds, sql`s.cohort_id`)}`,
  // Group case analyses: the group's submission, and its presentation.
  caseAnalysisSubmissionSource,
  caseAnalysisPresentationSource,
]

export const participationComponent = defineComponent({
  key: 'participation',
  defaultWeight: 10,
  items: (ctx) =>
    sql.join(
      participationSources.map((source) => sql`(${source(ctx)})`),
      sql` union all `,
    ),
  // A survey closes SURVEY_OPEN_DAYS after its session ends; a case analysis's submission is due.
  changesAt: (ctx) => sql`
    select s.ends_at + make_interval(days => ${env().SURVEY_OPEN_DAYS}) as at from sessions s
    where s.starts_at >= ${ctx.start} and s.starts_at < ${ctx.end} and s.ends_at + make_interval(days => ${env().SURVEY_OPEN_DAYS}) > ${ctx.now.toISOString()}::timestamptz
      ${inPeriodScope(ctx.cohortIds, sql`s.cohort_id`)}
    union all ${caseAnalysisDueSql(ctx)}`,
})
