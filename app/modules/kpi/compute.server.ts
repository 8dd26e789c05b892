import { sql, type SQL } from 'drizzle-orm'
import type { KpiPeriod } from '#db/schema'
import { inSubtree } from '#db/sql-helpers'
import { kpiComponents } from './components/registry.server'
import type { ComponentContext } from './components/types'
import type { KpiPolicy } from './kpi'
import { visibleSql, type KpiScope } from './scope.server'

/*
 * The live KPI computation (docs/decisions/020): one SQL statement over indexes, never a query per
 * manager. It builds CTEs every report reads:
 *   kpi_managers  one row per manager scored in the period (department = their last one in it)
 *   kpi_windows   the stretches of the period each was a manager (effective dates, decision 021)
 *   kpi_items     the evidence: one row per session / course / grade / survey, with a 0..1 score or null
 *   kpi_rows      per manager: score, band, components (weights as set), blocking items
 * Score = 100 × Σ(weight × component score) / Σ(weight) over the components that have counted
 * items, in exact numeric arithmetic, rounded once to one decimal, half away from zero.
 */

export type RowFilter = { managerId?: string; departmentPath?: string | null; scope: KpiScope }

/** The period as instants: its first day 00:00 to the day after its last, in China time. */
export function periodBounds(period: Pick<KpiPeriod, 'startsOn' | 'endsOn'>) {
  return {
    start: sql`((${period.startsOn}::date)::timestamp at time zone 'Asia/Shanghai')`,
    end: sql`((${period.endsOn}::date + 1)::timestamp at time zone 'Asia/Shanghai')`,
  }
}

function rowFilterSql(filter: RowFilter, managerId: SQL, path: SQL) {
  const parts = [visibleSql(filter.scope, managerId, path)]
  if (filter.managerId) parts.push(sql`${managerId} = ${filter.managerId}::uuid`)
  if (filter.departmentPath) parts.push(inSubtree(path, sql`${filter.departmentPath}::text`))
  return sql.join(parts, sql` and `)
}

/** The policy as stored, with components the registry knows but the policy predates shown as disabled. */
export function normalisePolicy(policy: KpiPolicy): KpiPolicy {
  const components: KpiPolicy['components'] = {}
  for (const c of kpiComponents) components[c.key] = policy.components[c.key] ?? { enabled: false, weight: 0 }
  return { ...policy, components }
}

export function enabledComponents(policy: KpiPolicy) {
  return kpiComponents.filter((c) => policy.components[c.key]?.enabled)
}

/** `kpi_managers` and `kpi_windows`: who is scored, and over which stretches of the period. */
function windowCtes(period: KpiPeriod, filter: RowFilter) {
  const { start, end } = periodBounds(period)
  return sql`
    kpi_last as (
      select distinct on (h.user_id) h.user_id as manager_id, h.department_id
      from org_history h
      where h.is_manager and h.valid_from < ${end} and coalesce(h.valid_to, 'infinity') > ${start}
        ${filter.managerId ? sql`and h.user_id = ${filter.managerId}::uuid` : sql``}
      order by h.user_id, h.valid_from desc
    ),
    kpi_managers as (
      select l.manager_id, l.department_id, d.path as department_path, u.name, u.email, u.employee_number
      from kpi_last l
      join users u on u.id = l.manager_id
      left join departments d on d.id = l.department_id
      where ${rowFilterSql(filter, sql`l.manager_id`, sql`d.path`)}
    ),
    kpi_windows as (
      select h.user_id as manager_id, h.department_id, greatest(h.valid_from, ${start}) as wfrom, least(coalesce(h.valid_to, 'infinity'), ${end}) as wto
      from org_history h
      join kpi_managers m on m.manager_id = h.user_id
      where h.is_manager and h.valid_from < ${end} and coalesce(h.valid_to, 'infinity') > ${start}
    )`
}

function contextOf(period: KpiPeriod, now: Date): ComponentContext {
  return {
    policy: period.policy,
    cohortIds: period.cohortIds,
    courseIds: period.courseIds,
    now,
    startsOn: period.startsOn,
    endsOn: period.endsOn,
    ...periodBounds(period),
  }
}

function itemsCte(period: KpiPeriod, now: Date, components = enabledComponents(period.policy)) {
  const ctx = contextOf(period, now)
  if (!components.length)
    return sql`kpi_items as (select null::text as component, null::uuid as manager_id, null::text as ref, null::jsonb as label, null::timestamptz as at, null::text as status, null::numeric as score, false as blocking where false)`
  const parts = components.map(
    (c) =>
      sql`select ${c.key}::text as component, x.manager_id, x.ref::text as ref, x.label::jsonb as label, x.at::timestamptz as at, x.status::text as status, x.score::numeric as score, x.blocking::boolean as blocking from (${c.items(ctx)}) x`,
  )
  return sql`kpi_items as (${sql.join(parts, sql` union all `)})`
}

function bandSql(policy: KpiPolicy, score: SQL) {
  const b = policy.bands
  return sql`case when ${score} is null then null when ${score} >= ${b.A} then 'A' when ${score} >= ${b.B} then 'B' when ${score} >= ${b.C} then 'C' else 'D' end`
}

/**
 * All CTEs of the live computation, ending with `kpi_rows` (manager_id, name, email,
 * employee_number, department_id, department_path, score, band, components, blocking).
 */
export function liveCtes(period: KpiPeriod, filter: RowFilter, now: Date) {
  const components = enabledComponents(period.policy)
  const weights = sql.join(
    components.map((c, i) => sql`(${c.key}::text, ${period.policy.components[c.key].weight}::int, ${i}::int)`),
    sql`, `,
  )
  return sql`
    ${windowCtes(period, filter)},
    ${itemsCte(period, now)},
    kpi_weights(component, weight, ord) as (values ${weights}),
    kpi_comp as (
      select i.manager_id, i.component, avg(i.score) as score, count(i.score)::int as items, count(*) filter (where i.blocking)::int as blocking
      from kpi_items i group by i.manager_id, i.component
    ),
    kpi_scored as (
      select c.manager_id,
        round(100 * sum(w.weight * c.score) filter (where c.score is not null) / nullif(sum(w.weight) filter (where c.score is not null), 0), 1) as score,
        jsonb_agg(jsonb_build_object('key', c.component, 'weight', w.weight, 'score', c.score, 'items', c.items) order by w.ord) as components,
        sum(c.blocking)::int as blocking
      from kpi_comp c join kpi_weights w on w.component = c.component
      group by c.manager_id
    ),
    kpi_rows as (
      select m.manager_id, m.name, m.email, m.employee_number, m.department_id, m.department_path,
        s.score, ${bandSql(period.policy, sql`s.score`)} as band, coalesce(s.components, '[]'::jsonb) as components, coalesce(s.blocking, 0) as blocking
      from kpi_managers m left join kpi_scored s on s.manager_id = m.manager_id
    )`
}

/**
 * `kpi_rows` read from a frozen snapshot instead of computed. For the whole organisation not
 * materialized: each reader (totals, departments, the first page of managers) reads the narrow
 * rows itself, and the page walks kpi_snapshot_rows_score_idx instead of sorting every manager;
 * filtered (a subtree, a reporting line), the few rows are read once (docs/decisions/038).
 * `columns: 'page'`: only what a roll-up page shows (manager, name, department, score, band),
 * all of them in both indexes, so the read is index-only (docs/decisions/065).
 * `kind: 'preview'`: the period's maintained preview (docs/decisions/067), with each manager's
 * blocking items (in both indexes too); a published snapshot has none.
 */
export function snapshotCtes(snapshotId: string, filter: RowFilter, columns: 'all' | 'page' = 'all', kind: 'published' | 'preview' = 'published') {
  const whole = filter.scope.kind === 'all' && !filter.departmentPath && !filter.managerId
  return sql`
    kpi_rows as ${whole ? sql`not materialized` : sql`materialized`} (
      select ${
        columns === 'page'
          ? sql`r.manager_id, r.name, r.department_path, r.score, r.band${kind === 'preview' ? sql`, r.blocking` : sql``}`
          : sql`r.manager_id, r.name, r.email, r.employee_number, r.department_id, r.department_path, r.score, r.band, r.components`
      }${kind === 'preview' ? (columns === 'page' ? sql`` : sql`, r.blocking`) : sql`, 0 as blocking`}
      from kpi_snapshot_rows r
      where r.snapshot_id = ${snapshotId}::uuid and ${rowFilterSql(filter, sql`r.manager_id`, sql`r.department_path`)}
        ${filter.departmentPath ? sql`and r.department_path in (${snapshotPathsIn(snapshotId, filter.departmentPath)})` : sql``}
    )`
}

/**
 * The department paths of a snapshot inside a subtree, from its per-department totals: a subtree
 * read becomes index lookups on (snapshot_id, department_path) — a prefix test (starts_with) cannot
 * use the index and would read every row of the snapshot (docs/decisions/055).
 */
export function snapshotPathsIn(snapshotId: string, root: string) {
  return sql`select d.department_path from kpi_snapshot_departments d where d.snapshot_id = ${snapshotId}::uuid and ${inSubtree(sql`d.department_path`, sql`${root}::text`)}`
}

/**
 * The first instant after `now` at which the period's figures change by time alone (a session
 * starting, a due date passing …): the earliest of every enabled component's `changesAt`, or null
 * (docs/decisions/067). One row, column `stale_at`.
 */
export function staleAtSql(period: KpiPeriod, now: Date) {
  const ctx = contextOf(period, now)
  const parts = enabledComponents(period.policy)
    .map((c) => c.changesAt(ctx))
    .filter((part): part is SQL => part !== null)
  if (!parts.length) return sql`select null::timestamptz as stale_at`
  return sql`select min(x.at)::timestamptz as stale_at from (${sql.join(
    parts.map((part) => sql`(${part})`),
    sql` union all `,
  )}) x where x.at > ${now.toISOString()}::timestamptz`
}

/** Evidence of the live computation: `kpi_items` with the CTEs it needs (no scoring). */
export function liveItemsCtes(period: KpiPeriod, filter: RowFilter, now: Date) {
  return sql`${windowCtes(period, filter)}, ${itemsCte(period, now)}`
}

/**
 * What stops publication, for HR's home and the period page, in one statement
 * (docs/decisions/055): the evidence items of attendance (for unmarked sessions) and of the
 * components that carry weight (for "no score") are computed once, without scoring, weighting
 * or building any manager's row. A manager has no score when none of those has a counted item
 * (the same rule as kpi_rows: a score needs a counted item in a component with weight).
 * Returns one row: blockers (jsonb: sessionId, title, startsAt, unmarked), managers, unscored.
 */
export function statusSql(period: KpiPeriod, now: Date) {
  const enabled = enabledComponents(period.policy)
  const weighted = enabled.filter((c) => period.policy.components[c.key].weight > 0)
  const needed = enabled.filter((c) => c.key === 'attendance' || weighted.includes(c))
  const keys = weighted.length
    ? sql.join(
        weighted.map((c) => sql`${c.key}::text`),
        sql`, `,
      )
    : sql`null::text`
  return sql`
    with ${windowCtes(period, { scope: { kind: 'all' } })},
    ${itemsCte(period, now, needed)}
    select
      (select coalesce(jsonb_agg(b order by b."startsAt", b."sessionId"), '[]'::jsonb) from (
        select s.id as "sessionId", s.title, s.starts_at as "startsAt", count(*)::int as unmarked
        from kpi_items i join sessions s on s.id = i.ref::uuid
        where i.blocking and i.component = 'attendance'
        group by s.id, s.title, s.starts_at) b) as blockers,
      (select count(*)::int from kpi_managers) as managers,
      (select count(*)::int from kpi_managers m
        where not exists (select 1 from kpi_items i where i.manager_id = m.manager_id and i.score is not null and i.component in (${keys}))) as unscored`
}
