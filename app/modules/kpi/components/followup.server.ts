import { sql, type SQL } from 'drizzle-orm'
import { dayIn, FOLLOW_UP_TIME_ZONE, monthOf } from '~/modules/followup/followup'
import { followUpMeasuresSql } from '~/modules/followup/measures.server'
import { minRaters } from '~/modules/followup/ratings.server'
import { defineComponent, type ComponentContext } from './types'

/*
 * The follow-up measures (issue 15, docs/decisions/037) as four optional KPI components. Each item
 * is one month of the period: the month's measure from followUpMeasuresSql as a 0..1 score, or
 * null when it has no denominator (shown, not counted). A month belongs to the stretch of
 * management that contains its first day (00:00 China time, the follow-up calendar), so a month
 * is never counted twice after a department move. The label carries the month's numbers.
 */

/** followUpMeasuresSql over the period's months for the managers scored, each month with its first instant. */
function monthly(ctx: ComponentContext, columns: (f: SQL) => SQL) {
  const measures = followUpMeasuresSql({
    from: monthOf(ctx.startsOn),
    to: monthOf(ctx.endsOn),
    today: dayIn(ctx.now),
    managersSql: sql`select manager_id from kpi_windows`,
    minimum: minRaters(),
  })
  return sql`
    select w.manager_id, left(f.period, 7) as ref, f.month_start as at, ${columns(sql`f`)}, false as blocking
    from kpi_windows w
    join (select m.*, (m.period::date)::timestamp at time zone ${FOLLOW_UP_TIME_ZONE} as month_start from (${measures}) m) f
      on f.manager_id = w.manager_id and f.month_start >= w.wfrom and f.month_start < w.wto`
}

/** The follow-up measures change with the day (grace days, the current month): the next midnight in the follow-up time zone. */
const nextDay = (ctx: ComponentContext) =>
  sql`select (((${ctx.now.toISOString()}::timestamptz at time zone ${FOLLOW_UP_TIME_ZONE})::date + 1)::timestamp at time zone ${FOLLOW_UP_TIME_ZONE}) as at`

/** A label `{ en, zh-CN }` built in SQL from the month's figures. */
const label = (en: SQL, zh: SQL) => sql`jsonb_build_object('en', ${en}, 'zh-CN', ${zh})`

/** Plan coverage: direct reports with a plan at the end of the month ÷ direct reports. */
export const followUpCoverageComponent = defineComponent({
  key: 'followup_coverage',
  defaultWeight: 0,
  changesAt: nextDay,
  items: (ctx) =>
    monthly(
      ctx,
      (f) => sql`${label(
        sql`${f}.covered || ' of ' || ${f}.reports || ' direct reports with a follow-up plan'`,
        sql`${f}.reports || ' 名直接下属中 ' || ${f}.covered || ' 名有跟进计划'`,
      )} as label,
      case when ${f}.reports > 0 then 'measured' else 'no_reports' end as status,
      (${f}.covered::numeric / nullif(${f}.reports, 0)) as score`,
    ),
})

/** Adherence: planned check-ins due in the month held on time ÷ those whose outcome is known. */
export const followUpAdherenceComponent = defineComponent({
  key: 'followup_adherence',
  defaultWeight: 0,
  changesAt: nextDay,
  items: (ctx) =>
    monthly(
      ctx,
      (f) => sql`${label(
        sql`${f}.on_time || ' of ' || ${f}.due || ' planned check-ins held on time'`,
        sql`${f}.due || ' 次计划面谈中 ' || ${f}.on_time || ' 次按时进行'`,
      )} as label,
      case when ${f}.due > 0 then 'measured' else 'none_due' end as status,
      (${f}.on_time::numeric / nullif(${f}.due, 0)) as score`,
    ),
})

/** Confirmation rate: check-ins held in the month that the employee confirmed ÷ held. */
export const followUpConfirmationComponent = defineComponent({
  key: 'followup_confirmation',
  defaultWeight: 0,
  changesAt: nextDay,
  items: (ctx) =>
    monthly(
      ctx,
      (f) => sql`${label(
        sql`${f}.confirmed || ' of ' || ${f}.held || ' check-ins held confirmed by the employee'`,
        sql`'已进行的 ' || ${f}.held || ' 次面谈中 ' || ${f}.confirmed || ' 次经员工确认'`,
      )} as label,
      case when ${f}.held > 0 then 'measured' else 'none_held' end as status,
      (${f}.confirmed::numeric / nullif(${f}.held, 0)) as score`,
    ),
})

/**
 * Upward rating: the month's published aggregate only (at least the minimum of raters, see
 * ratings.server.ts), the mean of the four statements' averages on the 1–5 scale mapped to 0..1
 * as (mean − 1) ÷ 4. A month below the minimum shows no figure — the same for 0 and for 2 raters.
 */
export const followUpRatingComponent = defineComponent({
  key: 'followup_rating',
  defaultWeight: 0,
  changesAt: nextDay,
  items: (ctx) =>
    monthly(ctx, (f) => {
      const mean = sql`((${f}.two_way + ${f}.feedback + ${f}.obstacles + ${f}.autonomy)::numeric / 4)`
      return sql`${label(
        sql`case when ${f}.raters is null then 'Not enough ratings to show' else ${f}.raters || ' raters, average ' || round(${mean}, 2) || ' of 5' end`,
        sql`case when ${f}.raters is null then '评价人数不足，不显示' else ${f}.raters || ' 人评价，平均 ' || round(${mean}, 2) || ' / 5' end`,
      )} as label,
      case when ${f}.raters is null then 'not_enough_ratings' else 'rated' end as status,
      (${mean} - 1) / 4 as score`
    }),
})
