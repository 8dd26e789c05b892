import { sql, type SQL } from 'drizzle-orm'
import { caseAnalysisLearningSource } from './case-analysis.server'
import { defineComponent, type ComponentContext, inPeriodScope } from './types'

/**
 * Learning: every graded result normalised to 0..1 and averaged. Each source is one select with the
 * component columns; case-analysis grades and role-play scores add theirs here with one line.
 */
export const learningSources: ((ctx: ComponentContext) => SQL)[] = [
  // Quizzes of the courses in scope: the best submitted score per quiz within the window.
  ({ courseIds }) => sql`
    select w.manager_id, m.id::text as ref, m.title as label, max(q.submitted_at) as at, 'graded' as status, (max(q.score) / 100.0)::numeric as score, false as blocking
    from kpi_windows w
    join quiz_attempts q on q.user_id = w.manager_id and q.score is not null
    join course_modules m on m.id = q.module_id
    where q.submitted_at >= w.wfrom and q.submitted_at < w.wto
      ${inPeriodScope(courseIds, sql`m.course_id`)}
    group by w.manager_id, m.id, m.title`,
  // Group case analyses: the released individual mark.
  caseAnalysisLearningSource,
]

export const learningComponent = defineComponent({
  key: 'learning',
  defaultWeight: 20,
  items: (ctx) =>
    sql.join(
      learningSources.map((source) => sql`(${source(ctx)})`),
      sql` union all `,
    ),
  // Quiz scores and released case-analysis marks do not depend on the time.
  changesAt: () => null,
})
