import { sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { inSubtree } from '#db/sql-helpers'

/** Managers and their bands in a roll-up's totals or one of its department lines (jsonb from the report's statements). */
const Counts = z.object({
  managers: column.number,
  average: column.numberOrNull,
  A: column.number,
  B: column.number,
  C: column.number,
  D: column.number,
  none: column.number,
})

/** The first `depth + 1` levels of a department path: the line below the roll-up's root a department counts in. */
export const pathPrefix = (path: SQL, depth: number) => sql`array_to_string((string_to_array(${path}, '/'))[1:${depth + 1}], '/')`

/**
 * Totals and one line per department directly below `root` (each over its own subtree), summed
 * from a snapshot's per-department rows (a few hundred) instead of its managers (docs/decisions/055).
 * SQL parts over the CTE `kpi_deps`, for one statement with other parts.
 */
export function departmentSums(snapshotId: string, root: string | null) {
  const depth = root ? root.split('/').length : 0
  return {
    ctes: sql`kpi_deps as (
      select * from kpi_snapshot_departments
      where snapshot_id = ${snapshotId}::uuid ${root ? sql`and ${inSubtree(sql`department_path`, sql`${root}::text`)}` : sql``})`,
    totals: sql`select jsonb_build_object('managers', coalesce(sum(managers), 0), 'average', round(sum(score_sum) / nullif(sum(scored), 0), 1), 'blocking', coalesce(sum(blocking), 0),
      'A', coalesce(sum(band_a), 0), 'B', coalesce(sum(band_b), 0), 'C', coalesce(sum(band_c), 0), 'D', coalesce(sum(band_d), 0), 'none', coalesce(sum(managers - scored), 0)) from kpi_deps`,
    departments: sql`select ${pathPrefix(sql`department_path`, depth)} as path, sum(managers) as managers, round(sum(score_sum) / nullif(sum(scored), 0), 1) as average,
      sum(band_a) as "A", sum(band_b) as "B", sum(band_c) as "C", sum(band_d) as "D", sum(managers - scored) as "none"
      from kpi_deps where department_path is not null group by 1`,
  }
}

export const TotalsJson = column.json(Counts.extend({ blocking: column.number }))
export const DepartmentsJson = column.json(z.array(Counts.extend({ path: column.text })))

export const countsOf = (c: z.infer<typeof Counts>) => ({
  managers: c.managers,
  average: c.average,
  bands: { A: c.A, B: c.B, C: c.C, D: c.D, none: c.none },
})

/**
 * A snapshot's department roll-up under `root` (null: the whole organisation): totals and one line
 * per department directly below, from its per-department rows alone (one statement). What the
 * read-only API serves (docs/decisions/070); the report page gets the same parts in its own statement (reports.server.ts).
 */
export async function departmentRollup(snapshotId: string, root: string | null) {
  const parts = departmentSums(snapshotId, root)
  const [row] = parseRows(
    z.object({ totals: TotalsJson, departments: DepartmentsJson }),
    await db.execute(sql`with ${parts.ctes}
      select (${parts.totals}) as totals, (select coalesce(jsonb_agg(d order by d.path), '[]'::jsonb) from (${parts.departments}) d) as departments`),
  )
  return { totals: countsOf(row.totals), departments: row.departments.map((d) => ({ path: d.path, ...countsOf(d) })) }
}
