import { sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { checkInConfirmations, checkIns, courses, enrolments, followUpPlans, teamResults, userRoles, users } from '#db/schema'
import { addDays, addMonths, dayIn, FOLLOW_UP_TIME_ZONE, monthOf, ON_TIME_GRACE_DAYS, statements, type Statement } from './followup'
import { minRaters, publishedRatingsSql } from './ratings.server'

export type Phase = 'before' | 'during' | 'after'

/** One manager's month. Ratios are null when their denominator is 0; the rating is null below the minimum of raters. */
export type MonthMeasures = {
  period: string
  phase: Phase | null
  reports: number
  covered: number
  /** Planned check-ins due in the month whose outcome is known (held, or overdue past the grace days). */
  due: number
  onTime: number
  held: number
  confirmed: number
  coverage: number | null
  adherence: number | null
  confirmationRate: number | null
  rating: ({ raters: number } & Record<Statement, number>) | null
  /** Level 4: the imported team performance figure, if any. */
  teamResult: number | null
}

export type Pooled = {
  months: number
  coverage: number | null
  adherence: number | null
  confirmationRate: number | null
  rating: ({ raters: number } & Record<Statement, number>) | null
  teamResult: number | null
}

export type ManagerMeasures = {
  managerId: string
  name: string
  departmentId: string | null
  /** When the manager completed the managers' course (first completion), as YYYY-MM-DD. */
  completedOn: string | null
  months: MonthMeasures[]
  before: Pooled | null
  after: Pooled | null
  /** Every month of the range pooled. */
  overall: Pooled | null
}

/** The published rating's average per statement: null where the month shows no rating. */
const statementColumns = Object.fromEntries(statements.map((s) => [s, column.numberOrNull])) as Record<Statement, typeof column.numberOrNull>

const Row = z.object({
  manager_id: column.text,
  name: column.text,
  department_id: column.textOrNull,
  /** YYYY-MM-DD, the month's first day */
  period: column.text,
  completed_on: column.textOrNull,
  reports: column.number,
  covered: column.number,
  due: column.number,
  on_time: column.number,
  held: column.number,
  confirmed: column.number,
  raters: column.numberOrNull,
  team_result: column.numberOrNull,
  ...statementColumns,
})

/**
 * The SQL behind the follow-up measures: one row per manager and month from `from` to `to`
 * (first days of months), for every active manager or those in `managerIds`. One statement
 * for any number of managers. `managersSql` (a select of user ids) replaces that choice: the KPI
 * components pass the managers scored in a period (effective-dated, so no active/role filter).
 *
 * - coverage: current direct reports with a plan that existed at the end of the month / current direct reports
 * - adherence: planned check-ins due in the month held within the grace days / those whose outcome is known
 * - confirmation rate: check-ins held in the month that the employee confirmed as happened / held
 * - rating: the published tallies of the month, only with at least `minimum` raters (see ratings.server.ts)
 */
export function followUpMeasuresSql(options: { from: string; to: string; today: string; managerIds?: string[]; managersSql?: SQL; minimum: number }) {
  const { from, to, today, managerIds, managersSql, minimum } = options
  const lastDay = addDays(addMonths(to, 1), -1)
  const managerFilter = managerIds
    ? sql`and u.id in (${
        managerIds.length
          ? sql.join(
              managerIds.map((id) => sql`${id}::uuid`),
              sql`, `,
            )
          : sql`null`
      })`
    : sql``
  const zone = FOLLOW_UP_TIME_ZONE
  return sql`
    with months as (
      select g::date as period, (g + interval '1 month' - interval '1 day')::date as period_end
      from generate_series(${from}::date, ${to}::date, interval '1 month') g
    ),
    managers as (
      select u.id, u.name, u.department_id from ${users} u
      where ${
        managersSql
          ? sql`u.id in (${managersSql})`
          : sql`u.active and exists (select 1 from ${userRoles} r where r.user_id = u.id and r.role = 'manager') ${managerFilter}`
      }
    ),
    reports as (
      select e.manager_id, count(*)::int as n from ${users} e join managers m on m.id = e.manager_id where e.active group by e.manager_id
    ),
    coverage as (
      select mo.period, p.manager_id, count(distinct p.employee_id)::int as covered
      from months mo
      join ${followUpPlans} p on (p.created_at at time zone ${zone})::date <= mo.period_end
        and (p.archived_at is null or (p.archived_at at time zone ${zone})::date > mo.period_end)
      join managers m on m.id = p.manager_id
      join ${users} e on e.id = p.employee_id and e.active and e.manager_id = p.manager_id
      group by mo.period, p.manager_id
    ),
    due as (
      select date_trunc('month', c.due_on)::date as period, c.manager_id,
        count(*) filter (where c.status <> 'planned' or c.due_on + ${ON_TIME_GRACE_DAYS}::int < ${today}::date)::int as due,
        count(*) filter (where c.status = 'held' and c.held_on <= c.due_on + ${ON_TIME_GRACE_DAYS}::int)::int as on_time
      from ${checkIns} c join managers m on m.id = c.manager_id
      where c.due_on between ${from}::date and ${lastDay}::date
      group by 1, 2
    ),
    held as (
      select date_trunc('month', c.held_on)::date as period, c.manager_id, count(*)::int as held,
        count(cf.check_in_id) filter (where cf.happened)::int as confirmed
      from ${checkIns} c join managers m on m.id = c.manager_id
      left join ${checkInConfirmations} cf on cf.check_in_id = c.id
      where c.status = 'held' and c.held_on between ${from}::date and ${lastDay}::date
      group by 1, 2
    ),
    rating as (${publishedRatingsSql(minimum)}),
    completion as (
      select e.user_id as manager_id, min(e.completed_at) as completed_at
      from ${enrolments} e join ${courses} c on c.id = e.course_id and c.audience = 'managers'
      join managers m on m.id = e.user_id
      where e.completed_at is not null
      group by e.user_id
    )
    select m.id as manager_id, m.name, m.department_id, mo.period::text as period,
      ((co.completed_at at time zone ${zone})::date)::text as completed_on,
      coalesce(r.n, 0) as reports, coalesce(cv.covered, 0) as covered,
      coalesce(d.due, 0) as due, coalesce(d.on_time, 0) as on_time,
      coalesce(h.held, 0) as held, coalesce(h.confirmed, 0) as confirmed,
      ra.raters, ${sql.join(
        statements.map((s) => sql`ra.${sql.identifier(s)}`),
        sql`, `,
      )},
      tr.value::float8 as team_result
    from managers m cross join months mo
    left join reports r on r.manager_id = m.id
    left join coverage cv on cv.manager_id = m.id and cv.period = mo.period
    left join due d on d.manager_id = m.id and d.period = mo.period
    left join held h on h.manager_id = m.id and h.period = mo.period
    left join rating ra on ra.manager_id = m.id and ra.period = mo.period
    left join completion co on co.manager_id = m.id
    left join ${teamResults} tr on tr.manager_id = m.id and tr.period = mo.period
    order by m.name, m.id, mo.period`
}

const ratio = (n: number, d: number) => (d > 0 ? n / d : null)

/**
 * Follow-up measures per manager and month, with the months before and after the manager
 * completed the managers' course pooled. The split is by whole months: the month of completion
 * is "during" and belongs to neither side (a month is never divided, which keeps the rating
 * anonymous: pooled ratings are sums of months that are each shown on their own).
 */
export async function followUpMeasures(
  executor: Executor,
  options: { from: string; to: string; managerIds?: string[]; now?: Date; minimum?: number },
): Promise<ManagerMeasures[]> {
  const from = monthOf(options.from)
  const to = monthOf(options.to)
  if (to < from) return []
  const today = dayIn(options.now ?? new Date())
  const minimum = options.minimum ?? minRaters()
  const rows = parseRows(Row, await executor.execute(followUpMeasuresSql({ from, to, today, managerIds: options.managerIds, minimum })))
  const byManager = new Map<string, ManagerMeasures>()
  for (const r of rows) {
    let m = byManager.get(r.manager_id)
    if (!m) {
      m = {
        managerId: r.manager_id,
        name: r.name,
        departmentId: r.department_id,
        completedOn: r.completed_on,
        months: [],
        before: null,
        after: null,
        overall: null,
      }
      byManager.set(r.manager_id, m)
    }
    const completedMonth = r.completed_on ? monthOf(r.completed_on) : null
    const { reports, covered, due, on_time: onTime, held, confirmed } = r
    m.months.push({
      period: r.period,
      phase: completedMonth === null ? null : r.period < completedMonth ? 'before' : r.period === completedMonth ? 'during' : 'after',
      reports,
      covered,
      due,
      onTime,
      held,
      confirmed,
      coverage: ratio(covered, reports),
      adherence: ratio(onTime, due),
      confirmationRate: ratio(confirmed, held),
      rating: r.raters === null ? null : { raters: r.raters, ...(Object.fromEntries(statements.map((s) => [s, r[s] ?? 0])) as Record<Statement, number>) },
      teamResult: r.team_result,
    })
  }
  for (const m of byManager.values()) {
    m.before = pool(m.months.filter((x) => x.phase === 'before'))
    m.after = pool(m.months.filter((x) => x.phase === 'after'))
    m.overall = pool(m.months)
  }
  return [...byManager.values()]
}

/** Months pooled: ratios of the sums; the rating weighted by raters over the months that show one. */
function pool(months: MonthMeasures[]): Pooled | null {
  if (months.length === 0) return null
  const sum = (f: (m: MonthMeasures) => number) => months.reduce((a, m) => a + f(m), 0)
  const rated = months.flatMap((m) => (m.rating ? [m.rating] : []))
  const raters = rated.reduce((a, r) => a + r.raters, 0)
  const results = months.flatMap((m) => (m.teamResult === null ? [] : [m.teamResult]))
  return {
    months: months.length,
    coverage: ratio(
      sum((m) => m.covered),
      sum((m) => m.reports),
    ),
    adherence: ratio(
      sum((m) => m.onTime),
      sum((m) => m.due),
    ),
    confirmationRate: ratio(
      sum((m) => m.confirmed),
      sum((m) => m.held),
    ),
    rating:
      raters === 0
        ? null
        : { raters, ...(Object.fromEntries(statements.map((s) => [s, rated.reduce((a, r) => a + r[s] * r.raters, 0) / raters])) as Record<Statement, number>) },
    teamResult: results.length ? results.reduce((a, v) => a + v, 0) / results.length : null,
  }
}
