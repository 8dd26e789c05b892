/**
 * No writes on GET (issue 11, "Fast pages"): every page of the demo company, opened by each demo
 * role, runs only reads. A statement-level trigger on every table notes any INSERT, UPDATE,
 * DELETE or TRUNCATE (even one that touches no row) while the loaders run; the sync that used to
 * run in the learner loaders wrote on every page view. Two writes are allowed: a refused request
 * leaves its audit row, and a signed-in session is touched at most every few minutes.
 */
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { createSession } from '~/modules/auth/session.server'
import { cookiePair } from '../setup/fixtures'
import { demoPeople, demoVisits, prepareDemo, routesDir, type Visit } from '../setup/demo-routes'

const ALLOWED = new Set(['audit_events', 'auth_sessions'])
/**
 * The maintained KPI preview (docs/decisions/067): a KPI page or HR's home that finds a period's
 * preview missing computes it once (written to these tables), and one that finds it out of date
 * enqueues its refresh (a `jobs` row on PGlite); a read is recorded at most every few minutes
 * (kpi_preview_reads, docs/decisions/070). Only by HR (read:kpi:all), only on those pages.
 */
const PREVIEW_TABLES = new Set([
  'kpi_snapshots',
  'kpi_snapshot_rows',
  'kpi_snapshot_evidence',
  'kpi_snapshot_departments',
  'kpi_previews',
  'kpi_preview_reads',
  'kpi_input_changes',
  'jobs',
])
const PREVIEW_PAGES = /^(root|_index\.tsx|kpi\._index\.tsx|kpi\.\$periodId\.managers\.\$managerId\.tsx|admin\.kpi\.\$periodId\.tsx)$/
/** Reads that are audited on purpose: exports of personal data and follow-up contents read by HR. */
const AUDITED_READS = /export|\[\.csv\]|admin\.follow-up\.\$managerId/

async function status(run: () => Promise<unknown>) {
  try {
    const result = await run()
    if (result instanceof Response) return result.status
    const init = (result as { type?: string; init?: ResponseInit | null } | null)?.init
    return init?.status ?? 200
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status
    throw thrown
  }
}

describe('no writes on GET', () => {
  let visits: Visit[] = []
  beforeAll(async () => {
    await prepareDemo()
    visits = await demoVisits()
    await db.execute(sql`create table get_writes (tbl text, op text)`)
    await db.execute(sql`create function note_get_write() returns trigger language plpgsql as $$
      begin insert into get_writes values (TG_TABLE_NAME, TG_OP); return null; end $$`)
    const tables = parseRows(
      z.object({ t: column.text }),
      await db.execute(sql`select tablename as t from pg_tables where schemaname = 'public' and tablename <> 'get_writes'`),
    ).map((r) => r.t)
    for (const t of tables) {
      await db.execute(
        sql.raw(`create trigger note_get_write after insert or update or delete or truncate on "${t}" for each statement execute function note_get_write()`),
      )
    }
  }, 300_000)

  it('runs only reads for every page and every demo role', async () => {
    const written: string[] = []
    const roots = await import(/* @vite-ignore */ path.resolve('app/root.tsx'))
    let pages = 0
    for (const person of await demoPeople()) {
      const cookie = cookiePair(await createSession(person.id, { ip: '127.0.0.1', userAgent: 'vitest' }))
      await db.execute(sql`delete from get_writes`)
      for (const visit of [{ file: 'root', url: '/', params: {} }, ...visits]) {
        const route = visit.file === 'root' ? roots : await import(/* @vite-ignore */ path.join(routesDir, visit.file))
        if (!route.loader) continue
        const request = new Request(new URL(visit.url, 'http://localhost'), { headers: { Cookie: cookie } })
        const code = await status(() => route.loader({ request, params: visit.params, context: { clientIp: '127.0.0.1' } }))
        pages++
        const rows = parseRows(z.object({ tbl: column.text, op: column.text }), await db.execute(sql`delete from get_writes returning tbl, op`))
        const preview = (r: { tbl: string }) => person.role === 'hr_admin' && PREVIEW_TABLES.has(r.tbl) && PREVIEW_PAGES.test(visit.file)
        const bad = rows.filter((r) => (!ALLOWED.has(r.tbl) && !preview(r)) || (r.tbl === 'audit_events' && code < 400 && !AUDITED_READS.test(visit.file)))
        for (const r of bad) written.push(`${person.role} GET ${visit.url} (${code}): ${r.op} ${r.tbl}`)
      }
    }
    expect(pages).toBeGreaterThan(300)
    expect([...new Set(written)]).toEqual([])
  }, 600_000)
})
