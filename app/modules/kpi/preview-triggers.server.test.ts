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
 * statement-level triggers that record a change in kpi_input_changes. A component that reads a
 * new table fails here until a migration adds the trigger.
 */

type PlanNode = { 'Relation Name'?: string; Plans?: PlanNode[] }
const PlanNode: z.ZodType<PlanNode> = z.lazy(() => z.object({ 'Relation Name': z.string().optional(), Plans: z.array(PlanNode).optional() }))
// EXPLAIN's JSON: a jsonb value on PGlite, its text on postgres.js.
const Explain = z.object({
  'QUERY PLAN': z.preprocess((v) => (typeof v === 'string' ? JSON.parse(v) : v), z.array(z.object({ Plan: PlanNode })).min(1)),
})
function relations(node: PlanNode, out = new Set<string>()) {
  if (node['Relation Name']) out.add(node['Relation Name'])
  for (const child of node.Plans ?? []) relations(child, out)
  return out
}

async function tablesRead(query: ReturnType<typeof sql>) {
  const [row] = parseRows(Explain, await db.execute(sql`explain (format json) ${query}`))
  return relations(row['QUERY PLAN'][0].Plan)
}

const period: KpiPeriod = {
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
  cohortIds: [],
  courseIds: [],
  status: 'draft',
  createdBy: null,
  createdAt: new Date(),
  updatedAt: new Date(),
}
const now = new Date('2027-02-01T00:00:00Z')

describe('KPI input change triggers', () => {
  it('covers every table the live computation, the status and the time boundaries read', async () => {
    const read = new Set<string>(['kpi_periods'])
    for (const query of [
      sql`with ${liveCtes(period, { scope: { kind: 'all' } }, now)}, kpi_ev as (select manager_id, count(*) from kpi_items group by manager_id) select * from kpi_rows r left join kpi_ev e using (manager_id)`,
      statusSql(period, now),
      staleAtSql(period, now),
    ])
      for (const table of await tablesRead(query)) read.add(table)
    const triggered = new Set(
      parseRows(
        z.object({ table: column.text }),
        await db.execute(sql`
          select c.relname as table from pg_trigger t join pg_class c on c.oid = t.tgrelid
          where t.tgname = 'kpi_input_changes' and not t.tgisinternal`),
      ).map((r) => r.table),
    )
    // Sanity: the plan walk found the fact tables.
    expect([...read]).toEqual(expect.arrayContaining(['attendance', 'invitations', 'sessions', 'enrolments', 'org_history', 'users']))
    expect([...read].filter((t) => !triggered.has(t)).sort()).toEqual([])
  })
})
