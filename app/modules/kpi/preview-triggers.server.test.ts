import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import type { KpiPeriod } from '#db/schema'
import { kpiComponents } from './components/registry.server'
import { liveCtes, staleAtSql, statusSql } from './compute.server'

/*
 * No writer can forget the KPI preview (docs/decisions/067): every table the live computation
 * reads — found in the plans PostgreSQL makes for it, with every component enabled — has the
 * triggers that record a change in kpi_input_changes. A component that reads a new table fails
 * here until a migration adds the trigger. The narrower triggers of decision 070 (UPDATE OF, or
 * row-level WHEN on some columns) must watch every column the plans read, and an INSERT/DELETE
 * trigger that skips rows whose column X is null is only right where every read filters
 * `X IS NOT NULL`: both are checked from the plans (EXPLAIN VERBOSE names each column it uses).
 */

type PlanNode = { 'Node Type'?: string; 'Relation Name'?: string; Alias?: string; Output?: unknown; Plans?: PlanNode[] } & Record<string, unknown>
const PlanNode: z.ZodType<PlanNode> = z.lazy(() =>
  z
    .object({
      'Node Type': z.string().optional(),
      'Relation Name': z.string().optional(),
      Alias: z.string().optional(),
      Plans: z.array(PlanNode).optional(),
    })
    .passthrough(),
)
// EXPLAIN's JSON: a jsonb value on PGlite, its text on postgres.js.
const Explain = z.object({
  'QUERY PLAN': z.preprocess((v) => (typeof v === 'string' ? JSON.parse(v) : v), z.array(z.object({ Plan: PlanNode })).min(1)),
})

/** Nodes that pass their input's row on: a scan below them may output every column of the table (a "physical tlist") without anything reading them. */
const passThrough = new Set([
  'Seq Scan',
  'Index Scan',
  'Index Only Scan',
  'Bitmap Heap Scan',
  'Hash',
  'Materialize',
  'Sort',
  'Incremental Sort',
  'Memoize',
  'Gather',
  'Gather Merge',
  'Limit',
  'Unique',
])

/** The plan as text without those outputs: what remains names the columns some node uses. */
function usedText(node: PlanNode): string {
  const { Plans, Output, ...rest } = node
  return JSON.stringify({ ...rest, ...(passThrough.has(node['Node Type'] ?? '') ? {} : { Output }) }) + (Plans ?? []).map(usedText).join('\n')
}

type Scan = { table: string; alias: string; conditions: string }
function scans(node: PlanNode, out: Scan[] = []) {
  if (node['Relation Name'] && node.Alias) {
    const conditions = ['Filter', 'Index Cond', 'Recheck Cond'].map((k) => String(node[k] ?? '')).join(' ')
    out.push({ table: node['Relation Name'], alias: node.Alias, conditions })
  }
  for (const child of node.Plans ?? []) scans(child, out)
  return out
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Per table read: its scans, and the columns some plan node uses. */
async function reads(queries: ReturnType<typeof sql>[]) {
  const tables = new Map<string, { scans: Scan[]; columns: Set<string> }>()
  for (const query of queries) {
    const [row] = parseRows(Explain, await db.execute(sql`explain (verbose, format json) ${query}`))
    const plan = row['QUERY PLAN'][0].Plan
    const text = usedText(plan)
    for (const scan of scans(plan)) {
      const entry = tables.get(scan.table) ?? { scans: [], columns: new Set<string>() }
      tables.set(scan.table, entry)
      entry.scans.push(scan)
      for (const m of text.matchAll(new RegExp(`(?<![\\w.])${escape(scan.alias)}\\.(\\w+)`, 'g'))) entry.columns.add(m[1])
    }
  }
  return tables
}

function periodWith(scope: Pick<KpiPeriod, 'cohortIds' | 'courseIds'>): KpiPeriod {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    key: 'all-components',
    startsOn: '2027-01-01',
    endsOn: '2027-03-31',
    policy: {
      components: Object.fromEntries(kpiComponents.map((c, i) => [c.key, { enabled: true, weight: i === 0 ? 100 : 0 }])),
      lateFraction: 0.5,
      courseLateFraction: 0.5,
      excused: 'exclude',
      bands: { A: 90, B: 75, C: 60 },
    },
    status: 'draft',
    createdBy: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...scope,
  }
}
// Without and with chosen cohorts and courses (those read more columns).
const periods = [
  periodWith({ cohortIds: [], courseIds: [] }),
  periodWith({ cohortIds: ['00000000-0000-4000-8000-000000000001'], courseIds: ['00000000-0000-4000-8000-000000000002'] }),
]
const now = new Date('2027-02-01T00:00:00Z')
const queries = periods.flatMap((period) => [
  sql`with ${liveCtes(period, { scope: { kind: 'all' } }, now)}, kpi_ev as (select manager_id, count(*) from kpi_items group by manager_id) select * from kpi_rows r left join kpi_ev e using (manager_id)`,
  statusSql(period, now),
  staleAtSql(period, now),
])

/** The kpi_input_changes triggers of every table, as pg_get_triggerdef writes them. */
async function triggers() {
  const rows = parseRows(
    z.object({ table: column.text, def: column.text }),
    await db.execute(sql`
      select c.relname as table, pg_get_triggerdef(t.oid) as def from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where t.tgname like 'kpi_input_changes%' and not t.tgisinternal`),
  )
  const byTable = new Map<string, string[]>()
  for (const r of rows) byTable.set(r.table, [...(byTable.get(r.table) ?? []), r.def])
  return byTable
}

/** The event part of a trigger definition: "AFTER INSERT OR UPDATE OF a, b ON". */
const events = (def: string) => /\bAFTER (.*?) ON /.exec(def)?.[1] ?? ''
const whenOf = (def: string) => /\bWHEN \((.*)\) EXECUTE\b/.exec(def)?.[1] ?? null

describe('KPI input change triggers', () => {
  it('cover every table the live computation, the status and the time boundaries read', async () => {
    const read = new Set<string>(['kpi_periods', ...(await reads(queries)).keys()])
    const triggered = await triggers()
    // Sanity: the plan walk found the fact tables.
    expect([...read]).toEqual(expect.arrayContaining(['attendance', 'invitations', 'sessions', 'enrolments', 'org_history', 'users']))
    expect([...read].filter((t) => !triggered.has(t)).sort()).toEqual([])
    for (const table of read) {
      const defs = triggered.get(table) ?? []
      for (const event of ['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'])
        expect({ table, event, fired: defs.some((def) => new RegExp(`\\b${event}\\b`).test(events(def))) }).toEqual({ table, event, fired: true })
    }
  })

  it('watch every column the plans read, and skip a row only where every read filters it out', async () => {
    const tables = await reads(queries)
    const triggered = await triggers()
    const narrowed: string[] = []
    for (const [table, { scans, columns }] of tables) {
      const defs = triggered.get(table) ?? []
      const updates = defs.filter((def) => /\bUPDATE\b/.test(events(def)))
      // A trigger on UPDATE without a column list or WHEN sees every column.
      if (updates.some((def) => !/\bUPDATE OF\b/.test(events(def)) && whenOf(def) === null)) continue
      narrowed.push(table)
      const watched = (c: string) => updates.some((def) => new RegExp(`\\b${c}\\b`).test(`${events(def)} ${whenOf(def) ?? ''}`))
      expect({ table, unwatched: [...columns].filter((c) => !watched(c)).sort() }).toEqual({ table, unwatched: [] })
      for (const def of defs.filter((d) => /\b(INSERT|DELETE)\b/.test(events(d)) && whenOf(d) !== null)) {
        // Only `(new|old).x IS NOT NULL`, and every scan of the table filters `alias.x IS NOT NULL`.
        const skipped = /^\((?:new|old)\.(\w+) IS NOT NULL\)$/.exec(whenOf(def) ?? '')?.[1]
        expect({ table, def, skipped }).toEqual({ table, def, skipped: expect.any(String) })
        const unfiltered = scans.filter((s) => !s.conditions.includes(`${s.alias}.${skipped} IS NOT NULL`))
        expect({ table, unfiltered }).toEqual({ table, unfiltered: [] })
      }
    }
    // The tables decision 070 narrowed are still narrowed (and so checked above).
    expect(narrowed.sort()).toEqual(['module_progress', 'quiz_attempts', 'roleplay_study_progress', 'users', 'video_progress'])
  })
})
