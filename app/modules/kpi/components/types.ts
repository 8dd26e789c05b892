import { sql, type SQL } from 'drizzle-orm'
import type { KpiPolicy } from '../kpi'

/**
 * What a component's SQL may use. `kpi_windows` is a CTE in scope with one row per stretch of
 * time a scored manager was a manager during the period: (manager_id, department_id, wfrom, wto),
 * already cut to the period and to the people the reader may see (docs/decisions/021).
 */
export type ComponentContext = {
  policy: KpiPolicy
  cohortIds: string[]
  courseIds: string[]
  now: Date
  /** The period's first and last calendar day (YYYY-MM-DD, China time), for components counted by month. */
  startsOn: string
  endsOn: string
  /** The period as instants (its first day 00:00 to the day after its last, China time). */
  start: SQL
  end: SQL
}

/**
 * A KPI component (docs/decisions/020-kpi-policy-and-arithmetic.md, "Adding a component").
 * `items` is ONE select over `kpi_windows` returning evidence rows with exactly these columns:
 *   manager_id uuid, ref text (the session/course/module id, for links),
 *   label jsonb (a string or { en, zh-CN }), at timestamptz, status text,
 *   score numeric (0..1, or null: shown but not counted), blocking boolean (stops publishing).
 * An item belongs to the period when its date lies in [w.wfrom, w.wto) of one of the manager's windows.
 */
export type KpiComponent = {
  key: string
  /** The default weight in a new policy (enabled weights must sum to 100). */
  defaultWeight: number
  items: (ctx: ComponentContext) => SQL
  /**
   * When the items change by time alone (docs/decisions/067): ONE select of instants (column `at`)
   * at which some item of the period would change although no data did — a session starting, a
   * due date passing, a survey closing; the maintained preview is stale from the earliest one
   * after `now`. Instants at or before `now` may be returned (they are ignored). null: the items
   * do not depend on `now`.
   */
  changesAt: (ctx: ComponentContext) => SQL | null
}

export function defineComponent(component: KpiComponent) {
  return component
}

/**
 * `and <column> in (the period's cohorts or courses)`, or nothing when the period names none
 * (then every session or course counts).
 */
export function inPeriodScope(ids: string[], column: SQL) {
  return ids.length
    ? sql`and ${column} in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`
    : sql``
}
