import { sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { departments, type KpiPeriod } from '#db/schema'
import { containsPattern, inSubtree, isUuid } from '#db/sql-helpers'
import type { Translate } from '~/i18n'
import { deny } from '~/modules/auth/authorize.server'
import { can, type CurrentUser } from '~/modules/auth/permissions'
import { cleanTable, type Cell, type Table } from '~/modules/exports/spreadsheet.server'
import { addMonths, monthOf } from '~/modules/followup/followup'
import { followUpMeasures } from '~/modules/followup/measures.server'
import { MONTHS_SHOWN } from '~/modules/followup/reports.server'
import { snapshotCtes, type RowFilter } from './compute.server'
import { countsOf, DepartmentsJson, departmentSums, pathPrefix, TotalsJson } from './department-sums.server'
import type { Band, ComponentSummary, EvidenceItem, RollupFilters } from './kpi'
import { listPeriods, listRevisions, periodFor } from './periods.server'
import { previewCard, previewFor, type PreviewState, type Staleness } from './preview.server'
import { kpiScope, visibleSql, type KpiScope } from './scope.server'

/** `stale`: what a read does with a preview that is not current (default: refresh it first; pages: serve it, see preview.server.ts). */
type Clock = { now?: Date; stale?: Staleness }

export type ManagerRow = {
  managerId: string
  name: string
  email: string
  employeeNumber: string | null
  departmentPath: string | null
  score: number | null
  band: Band | null
  components: ComponentSummary[]
  blocking: number
}

/*
 * The report's jsonb parts (managers, totals, departments, revisions, evidence) parsed with zod, not
 * cast (docs/decisions/068): the driver gives them parsed or as text, numerics inside as numbers.
 */
const ManagerLineRow = z.object({
  managerId: column.text,
  name: column.text,
  departmentPath: column.textOrNull,
  score: column.numberOrNull,
  band: z.enum(['A', 'B', 'C', 'D']).nullable(),
  blocking: column.number,
})
const ComponentJson = z.object({ key: column.text, weight: column.number, score: column.numberOrNull, items: column.number })
const ManagerRowRow = ManagerLineRow.extend({ email: column.text, employeeNumber: column.textOrNull, components: column.json(z.array(ComponentJson)) })
const EvidenceJson = z.array(
  z.object({
    component: column.text,
    ref: column.textOrNull,
    label: z.union([column.text, column.localized]),
    at: column.textOrNull,
    status: column.text,
    score: column.numberOrNull,
    blocking: column.boolean,
  }),
)
const WithEvidence = z.object({ evidence: column.json(EvidenceJson).nullish() })
const RevisionJson = z.object({ id: column.text, revision: column.number, reason: column.textOrNull, publishedAt: column.date, publishedBy: column.textOrNull })

/** Components with the weight each actually carried: re-normalised over those that had counted items. */
export function withEffectiveWeights(components: { key: string; weight: number; score: number | string | null; items: number }[]): ComponentSummary[] {
  const scored = components.filter((c) => c.score !== null)
  const total = scored.reduce((sum, c) => sum + c.weight, 0)
  return components.map((c) => ({
    key: c.key,
    weight: c.weight,
    items: c.items,
    score: c.score === null ? null : Math.round(Number(c.score) * 1000) / 10,
    effectiveWeight: c.score === null || total === 0 ? null : Math.round((1000 * c.weight) / total) / 10,
  }))
}

function toRow(r: unknown): ManagerRow {
  const row = ManagerRowRow.parse(r)
  return { ...row, components: withEffectiveWeights(row.components) }
}

/**
 * `live`: the period's maintained preview (docs/decisions/067), computed from live data at `asOf`;
 * `updating`: not current any more (data changed, or time passed a boundary), a refresh is on its way.
 */
export type Source = { kind: 'live'; snapshotId: string; asOf: Date; updating: boolean } | { kind: 'snapshot'; snapshotId: string; revision: number }
type Choice = { kind: 'live' } | Extract<Source, { kind: 'snapshot' }>

const livePreview = (preview: PreviewState): Source => ({ kind: 'live', snapshotId: preview.snapshotId, asOf: preview.computedAt, updating: !preview.fresh })

type Revision = { id: string; revision: number; reason: string | null; publishedAt: Date; publishedBy: string | null }

/**
 * Which figures the reader gets: managers only published ones (the latest revision, or one they
 * ask for); HR the published ones too, or the live preview when asked or before publication.
 * Chosen among the period's revisions, already read (newest first): no query.
 */
function sourceFor(actor: CurrentUser, period: KpiPeriod, filters: Pick<RollupFilters, 'source' | 'revision'>, revisions: Revision[]): Choice | null {
  const hr = can(actor, 'read:kpi:all')
  if (hr && (filters.source === 'preview' || period.status !== 'published')) return { kind: 'live' }
  const snapshot = filters.revision ? revisions.find((r) => r.revision === filters.revision) : revisions[0]
  if (!snapshot) return hr ? { kind: 'live' } : null
  return { kind: 'snapshot', snapshotId: snapshot.id, revision: snapshot.revision }
}

const rowColumns = sql`manager_id as "managerId", name, email, employee_number as "employeeNumber", department_path as "departmentPath", score, band, components, blocking`
/** What the roll-up page shows per manager (docs/decisions/055, 065). */
const lineColumns = sql`manager_id as "managerId", name, department_path as "departmentPath", score, band, blocking`

/** One manager's line on the roll-up page. */
export type ManagerLine = Pick<ManagerRow, 'managerId' | 'name' | 'departmentPath' | 'score' | 'band' | 'blocking'>

async function departmentPath(id: string | undefined) {
  if (!id || !isUuid(id)) return null
  const [row] = parseRows(z.object({ path: column.text }), await db.execute(sql`select path from ${departments} where id = ${id}`))
  return row?.path ?? null
}

type RollupOptions = { limit?: number; offset?: number; scope?: KpiScope }

/** Managers per page of the report page: a readable table, and a page that renders quickly (docs/decisions/065). */
export const REPORT_PAGE_SIZE = 50

/**
 * The roll-up: totals and bands over the visible managers (in the chosen department's subtree),
 * one line per department directly below it (each over its own subtree), and the managers, sorted
 * and filtered — every field of each (the export). One statement over the live computation or a
 * snapshot. `period`: its id, or the period itself when the caller has read it (listPeriods).
 */
export async function rollup(actor: CurrentUser, period: KpiPeriod | string, filters: RollupFilters, clock: Clock = {}, options: RollupOptions = {}) {
  const report = await rollupOf(actor, period, filters, clock, options, 'all')
  return { ...report, managers: report.managers.map(toRow) }
}

/** The roll-up as its page shows it: per manager only name, department, score, band, blocking (read from an index). */
export async function rollupLines(actor: CurrentUser, period: KpiPeriod | string, filters: RollupFilters, clock: Clock = {}, options: RollupOptions = {}) {
  const report = await rollupOf(actor, period, filters, clock, options, 'page')
  return { ...report, managers: report.managers.map((m): ManagerLine => ManagerLineRow.parse(m)) }
}

async function rollupOf(
  actor: CurrentUser,
  periodOrId: KpiPeriod | string,
  filters: RollupFilters,
  clock: Clock,
  options: RollupOptions,
  fields: 'all' | 'page',
) {
  const periodId = typeof periodOrId === 'string' ? periodOrId : periodOrId.id
  if (!isUuid(periodId)) throw new Response('Not found', { status: 404 })
  const scope = options.scope ?? (await kpiScope(actor))
  // Independent reads, concurrently: the period (unless given), its revisions, the department.
  const [period, revisions, root] = await Promise.all([
    typeof periodOrId === 'string' ? periodFor(actor, periodOrId, scope) : periodOrId,
    listRevisions(periodId),
    departmentPath(filters.department),
  ])
  if (!can(actor, 'read:kpi:all') && period.status !== 'published') throw new Response('Not found', { status: 404 })
  const choice = sourceFor(actor, period, filters, revisions)
  if (!choice) return { period, source: null, revisions, root, totals: null, departments: [], managers: [] as unknown[], more: false, matching: 0 }
  const now = clock.now ?? new Date()
  const source: Source = choice.kind === 'live' ? livePreview(await previewFor(period, now, clock.stale ?? 'refresh')) : choice
  const filter: RowFilter = { scope, departmentPath: root }
  // The page's fields come from the snapshot's indexes alone; a search (name or e-mail) or the
  // sort by name (then e-mail) reads the rows.
  const indexed = fields === 'page' && !filters.q && filters.sort !== 'name'
  // The preview is a snapshot too: the same reads (docs/decisions/067), with its blocking items.
  const ctes = snapshotCtes(source.snapshotId, filter, indexed ? 'page' : 'all', source.kind === 'live' ? 'preview' : 'published')
  const depth = root ? root.split('/').length : 0
  const conditions: SQL[] = [sql`true`]
  if (filters.band === 'none') conditions.push(sql`band is null`)
  else if (filters.band) conditions.push(sql`band = ${filters.band}`)
  if (filters.q) conditions.push(sql`(name ilike ${containsPattern(filters.q)} or email ilike ${containsPattern(filters.q)})`)
  const order =
    filters.sort === 'score-asc'
      ? sql`score asc nulls first, name`
      : filters.sort === 'name'
        ? sql`name, email`
        : filters.sort === 'department'
          ? sql`department_path nulls last, name`
          : sql`score desc nulls last, name`
  const limit = options.limit ?? 200
  const offset = options.offset ?? 0
  const bandCounts = sql`count(*) filter (where band = 'A') as "A", count(*) filter (where band = 'B') as "B", count(*) filter (where band = 'C') as "C",
    count(*) filter (where band = 'D') as "D", count(*) filter (where score is null) as "none"`
  // HR reading a snapshot (or the preview): totals and department lines add up the snapshot's
  // per-department rows (a few hundred) instead of reading every manager (docs/decisions/055).
  const summed = scope.kind === 'all' ? departmentSums(source.snapshotId, root) : null
  const parts = summed
    ? { ...summed, ctes: sql`${ctes}, ${summed.ctes}` }
    : {
        totals: sql`select jsonb_build_object('managers', count(*), 'average', round(avg(score), 1), 'blocking', coalesce(sum(blocking), 0),
          'A', count(*) filter (where band = 'A'), 'B', count(*) filter (where band = 'B'), 'C', count(*) filter (where band = 'C'),
          'D', count(*) filter (where band = 'D'), 'none', count(*) filter (where score is null)) from kpi_rows`,
        departments: sql`select ${pathPrefix(sql`department_path`, depth)} as path, count(*) as managers, round(avg(score), 1) as average, ${bandCounts}
          from kpi_rows where department_path is not null group by 1`,
        ctes,
      }
  // One statement: kpi_rows is computed (or read from the snapshot) once and feeds all three parts.
  const [result] = parseRows(
    z.object({
      totals: TotalsJson,
      departments: DepartmentsJson,
      managers: column.json(z.array(z.unknown())),
      matching: column.number.optional(),
    }),
    await db.execute(sql`with ${parts.ctes}
      select
        (${parts.totals}) as totals,
        (select coalesce(jsonb_agg(d order by d.path), '[]'::jsonb) from (${parts.departments}) d) as departments,
        (select coalesce(jsonb_agg(m order by m.ord), '[]'::jsonb) from (
          select ${fields === 'page' ? lineColumns : rowColumns}, row_number() over (order by ${order}) as ord
          from kpi_rows where ${sql.join(conditions, sql` and `)} order by ${order} limit ${limit + 1} offset ${offset}) m) as managers
        ${filters.q ? sql`, (select count(*) from kpi_rows where ${sql.join(conditions, sql` and `)}) as matching` : sql``}`),
  )
  const { totals, departments: departmentRows, managers } = result
  return {
    period,
    source,
    revisions,
    root,
    totals: { ...countsOf(totals), blocking: totals.blocking },
    departments: departmentRows.map((d) => ({ path: d.path, ...countsOf(d) })),
    managers: managers.slice(0, limit),
    more: managers.length > limit,
    // How many managers the filters leave (for the pages): counted only for a search, else known.
    matching: filters.q ? Number(result.matching) : filters.band ? (filters.band === 'none' ? totals.none : totals[filters.band]) : totals.managers,
  }
}

export type Hint = { key: string; vars: Record<string, string | number> }

/** "What would raise it": unmarked sessions, overdue courses, missed sessions, open surveys, case analyses not submitted on time, follow-up months below 100 %. */
export function hintsFor(evidence: EvidenceItem[]): Hint[] {
  const count = (component: string, status: string) => evidence.filter((e) => e.component === component && e.status === status).length
  const hints: Hint[] = []
  if (count('attendance', 'unmarked')) hints.push({ key: 'kpi.hint.unmarked', vars: { count: count('attendance', 'unmarked') } })
  for (const e of evidence.filter((e) => e.component === 'completion' && e.status === 'not_done'))
    hints.push({ key: 'kpi.hint.overdue', vars: { title: labelText(e.label) } })
  if (count('attendance', 'absent')) hints.push({ key: 'kpi.hint.absent', vars: { count: count('attendance', 'absent') } })
  if (count('participation', 'open')) hints.push({ key: 'kpi.hint.survey', vars: { count: count('participation', 'open') } })
  const cases = count('participation', 'not_submitted') + count('participation', 'submitted_late')
  if (cases) hints.push({ key: 'kpi.hint.caseSubmission', vars: { count: cases } })
  const below = (component: string) => evidence.filter((e) => e.component === component && e.score !== null && e.score < 1).length
  if (below('followup_coverage')) hints.push({ key: 'kpi.hint.followupCoverage', vars: { count: below('followup_coverage') } })
  if (below('followup_adherence')) hints.push({ key: 'kpi.hint.followupAdherence', vars: { count: below('followup_adherence') } })
  return hints
}

function labelText(label: EvidenceItem['label'], locale: 'en' | 'zh-CN' = 'zh-CN') {
  return typeof label === 'string' ? label : label[locale] || label.en
}

/** One manager's scorecard: figures, components with re-normalised weights, evidence, hints, revisions and trend. */
export async function scorecard(
  actor: CurrentUser,
  periodId: string,
  managerId: string,
  filters: Pick<RollupFilters, 'source' | 'revision'>,
  clock: Clock = {},
) {
  if (!isUuid(managerId) || !isUuid(periodId)) throw new Response('Not found', { status: 404 })
  const scope = await kpiScope(actor)
  // Two statements at once: the period, and everything published (docs/decisions/065).
  const [period, published] = await Promise.all([periodFor(actor, periodId, scope), publishedCard(periodId, managerId, filters.revision, scope)])
  const choice = sourceFor(actor, period, filters, published.revisions)
  if (!choice) throw new Response('Not found', { status: 404 })
  let source: Source
  let raw: unknown
  if (choice.kind === 'live') {
    // The maintained preview: one row and its evidence, by primary key (docs/decisions/067).
    const preview = await previewFor(period, clock.now ?? new Date(), clock.stale ?? 'refresh')
    source = livePreview(preview)
    raw = (await previewCard(preview.snapshotId, managerId, scope)) ?? undefined
  } else {
    source = choice
    raw = published.row ?? undefined
  }
  if (!raw) {
    // Not visible, or not scored in this period: the same answer, so nobody learns who is scored.
    return deny(actor, 'read:kpi:team', { periodId, managerId })
  }
  const evidence: EvidenceItem[] = WithEvidence.parse(raw).evidence ?? []
  const card = toRow(raw)
  // The follow-up months beside the follow-up components, when the scored policy has them (issue 15).
  const followUp = card.components.some((c) => c.key.startsWith('followup_')) ? await followUpBeside(managerId, period, clock.now ?? new Date()) : null
  return { period, source, row: card, evidence, hints: hintsFor(evidence), revisions: published.revisions, trend: published.trend, followUp }
}

/**
 * Beside the follow-up components (issue 15): the manager's follow-up months — the year up to the
 * period's last month, for the before/after chart — and the period's months with the imported
 * level-4 team result. Read live (a published snapshot freezes the score, not these); the rating
 * is the published aggregate only, as everywhere. The caller has checked that the reader sees
 * this manager's scorecard.
 */
async function followUpBeside(managerId: string, period: Pick<KpiPeriod, 'startsOn' | 'endsOn'>, now: Date) {
  const to = monthOf(period.endsOn)
  const [m] = await followUpMeasures(db, { from: addMonths(to, -(MONTHS_SHOWN - 1)), to, managerIds: [managerId], now })
  if (!m) return null
  return {
    completedOn: m.completedOn,
    months: m.months,
    before: m.before,
    after: m.after,
    // The months the period scores: those whose first day lies in it (docs/decisions/037).
    periodMonths: m.months.filter((x) => x.period >= period.startsOn && x.period <= period.endsOn),
  }
}

/**
 * A scorecard's published side in one statement: the period's revisions (newest first); from the
 * chosen one (the one asked for, else the latest) the manager's row and evidence, if the reader
 * may see them; and the manager's trend. Read also when HR gets the live preview (then only the
 * revisions and trend are used): a few index look-ups, in parallel with the period.
 */
async function publishedCard(periodId: string, managerId: string, revision: number | undefined, scope: KpiScope) {
  const [result] = parseRows(
    z.object({ revisions: column.json(z.array(RevisionJson)), row: column.json(z.unknown()), trend: column.json(z.array(TrendRow)) }),
    await db.execute(sql`
      with revisions as (
        select s.id, s.revision, s.reason, s.published_at as "publishedAt", u.name as "publishedBy"
        from kpi_snapshots s left join users u on u.id = s.published_by
        where s.period_id = ${periodId}::uuid and s.kind = 'published'
      ),
      chosen as (select v.id from revisions v ${revision ? sql`where v.revision = ${revision}` : sql``} order by v.revision desc limit 1)
      select
        (select coalesce(jsonb_agg(to_jsonb(v) order by v.revision desc), '[]'::jsonb) from revisions v) as revisions,
        (select jsonb_build_object('managerId', r.manager_id, 'name', r.name, 'email', r.email, 'employeeNumber', r.employee_number,
            'departmentPath', r.department_path, 'score', r.score, 'band', r.band, 'components', r.components, 'blocking', 0, 'evidence', e.evidence)
          from chosen c
          join kpi_snapshot_rows r on r.snapshot_id = c.id and r.manager_id = ${managerId}::uuid
          left join kpi_snapshot_evidence e on e.snapshot_id = r.snapshot_id and e.manager_id = r.manager_id
          where ${visibleSql(scope, sql`r.manager_id`, sql`r.department_path`)}) as row,
        (select coalesce(jsonb_agg(jsonb_build_object('key', t.key, 'average', t.average, 'managers', t.managers) order by t.starts_on), '[]'::jsonb)
          from (${trendSql(scope, { managerId })}) t) as trend`),
  )
  return { revisions: result.revisions, row: result.row, trend: trendPoints(result.trend) }
}

type TrendOptions = { managerId?: string; departmentPath?: string | null; departmentId?: string }
const TrendRow = z.object({ key: column.text, average: column.numberOrNull, managers: column.number })
type TrendRow = z.output<typeof TrendRow>

/**
 * The trend's rows (key, starts_on, average, managers), one per period with a published snapshot
 * (its latest revision). The department: a path, or an id looked up here (an unknown id: the whole
 * organisation, as in the roll-up), so the trend need not wait for the roll-up to find the path.
 */
function trendSql(scope: KpiScope, options: TrendOptions): SQL {
  const latest = sql`(select distinct on (s.period_id) s.id, s.period_id from kpi_snapshots s where s.kind = 'published' order by s.period_id, s.revision desc)`
  const root = options.departmentPath
    ? sql`${options.departmentPath}::text`
    : options.departmentId && isUuid(options.departmentId)
      ? sql`(select d.path from ${departments} d where d.id = ${options.departmentId}::uuid)`
      : null
  const within = (path: SQL) => (root ? sql`and (${root} is null or ${inSubtree(path, root)})` : sql``)
  return scope.kind === 'all' && !options.managerId
    ? sql`
      select p.key, p.starts_on, round(sum(d.score_sum) / nullif(sum(d.scored), 0), 1) as average, sum(d.managers)::int as managers
      from kpi_periods p
      join ${latest} l on l.period_id = p.id
      join kpi_snapshot_departments d on d.snapshot_id = l.id
      where true ${within(sql`d.department_path`)}
      group by p.id, p.key, p.starts_on`
    : sql`
      select p.key, p.starts_on, round(avg(r.score), 1) as average, count(r.manager_id)::int as managers
      from kpi_periods p
      join ${latest} l on l.period_id = p.id
      join kpi_snapshot_rows r on r.snapshot_id = l.id
      where ${visibleSql(scope, sql`r.manager_id`, sql`r.department_path`)}
        ${options.managerId ? sql`and r.manager_id = ${options.managerId}::uuid` : sql``}
        ${within(sql`r.department_path`)}
      group by p.id, p.key, p.starts_on`
}

function trendPoints(rows: TrendRow[]) {
  return rows.map((r) => ({ period: r.key, average: r.average === null ? null : Number(r.average), managers: Number(r.managers) }))
}

/**
 * Average published score per period (latest revision), for one manager or everyone the reader sees.
 * HR over a department or the whole organisation: from the snapshots' per-department totals.
 */
export async function trend(actor: CurrentUser, options: TrendOptions = {}, knownScope?: KpiScope) {
  const scope: KpiScope = knownScope ?? (await kpiScope(actor))
  return trendPoints(parseRows(TrendRow, await db.execute(sql`select t.key, t.average, t.managers from (${trendSql(scope, options)}) t order by t.starts_on`)))
}

/* ------------------------------------------------------------------- export */

/**
 * The export layout for HR systems (docs/decisions/022): one row per manager — period, revision,
 * employee number, name, email, department, score, band, then per component its score (0–100),
 * weight and effective weight. Every visible manager, not only the first page.
 */
export async function exportTable(actor: CurrentUser, periodId: string, filters: RollupFilters, t: Translate, clock: Clock = {}) {
  const report = await rollup(actor, periodId, { ...filters, band: filters.band, q: filters.q }, clock, { limit: 1_000_000 })
  const keys = Object.keys(report.period.policy.components).filter((k) => report.period.policy.components[k].enabled)
  const revision = report.source?.kind === 'snapshot' ? report.source.revision : ''
  const header: Cell[] = [
    t('kpi.export.period'),
    t('kpi.export.revision'),
    t('common.employeeNumber'),
    t('common.name'),
    t('common.email'),
    t('common.department'),
    t('kpi.score'),
    t('kpi.band'),
    ...keys.flatMap((k) => [
      `${t(`kpi.component.${k}`)} ${t('kpi.score')}`,
      `${t(`kpi.component.${k}`)} ${t('kpi.weight')}`,
      `${t(`kpi.component.${k}`)} ${t('kpi.effectiveWeight')}`,
    ]),
  ]
  const body = report.managers.map((m) => [
    report.period.key,
    revision,
    m.employeeNumber ?? '',
    m.name,
    m.email,
    m.departmentPath ?? '',
    m.score ?? '',
    m.band ?? '',
    ...keys.flatMap((k) => {
      const c = m.components.find((x) => x.key === k)
      return [c?.score ?? '', report.period.policy.components[k].weight, c?.effectiveWeight ?? '']
    }),
  ])
  const table: Table = cleanTable({ header, body })
  return { table, filename: `genjin-kpi-${report.period.key.replace(/[^A-Za-z0-9._-]/g, '_')}`, sheet: report.period.key, widths: [10, 8, 12, 20, 28, 24] }
}

/** Departments for the filter: all for HR; for others those of the people they may see (and a head's subtree). */
export async function kpiFilterOptions(actor: CurrentUser, knownScope?: KpiScope) {
  const scope = knownScope ?? (await kpiScope(actor))
  return parseRows(
    z.object({ id: column.text, path: column.text }),
    await db.execute(sql`
      select d.id, d.path from ${departments} d
      where ${
        scope.kind === 'all' ? sql`true` : sql`exists (select 1 from users u where u.department_id = d.id and ${visibleSql(scope, sql`u.id`, sql`d.path`)})`
      }
      order by string_to_array(d.path, '/')`),
  )
}

/**
 * Everything the KPI report page shows, with the reader's scope read once: the periods, the
 * chosen one's roll-up (per manager only what the page shows), the department filter and the
 * trend. After the periods, the rest is read concurrently (docs/decisions/065).
 */
export async function reportPage(actor: CurrentUser, periodId: string | null, filters: RollupFilters, clock: Clock = {}) {
  const scope = await kpiScope(actor)
  const periods = await listPeriods(actor, scope)
  const chosen = periods.find((p) => p.id === periodId) ?? periods.find((p) => p.status === 'published') ?? periods[0]
  if (!chosen) return { periods, report: null, trend: [], departments: [], pageSize: REPORT_PAGE_SIZE }
  const [report, departments, line] = await Promise.all([
    rollupLines(actor, chosen, filters, clock, { scope, limit: REPORT_PAGE_SIZE, offset: ((filters.page ?? 1) - 1) * REPORT_PAGE_SIZE }),
    kpiFilterOptions(actor, scope),
    trend(actor, { departmentId: filters.department }, scope),
  ])
  return { periods, report, trend: line, departments, pageSize: REPORT_PAGE_SIZE }
}
