import { eq, inArray, isNotNull, or, sql } from 'drizzle-orm'
import { z } from 'zod'
import { connection, db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { kpiPeriods, kpiPreviews, type KpiBlockerJson, type KpiPeriod } from '#db/schema'
import { registerJobHandler, registerPeriodicJob, sendJob } from '~/modules/jobs/jobs.server'
import { liveCtes, normalisePolicy, staleAtSql, statusSql } from './compute.server'
import { visibleSql, type KpiScope } from './scope.server'

/*
 * The maintained preview (docs/decisions/067). Every period HR has not published, and every
 * published period whose preview HR has opened, keeps a preview snapshot (kpi_snapshots kind
 * 'preview', revision 0) in the same row, evidence and department tables as published snapshots,
 * with the period's status in kpi_previews. Statement-level triggers on every table the live
 * computation reads add a row to kpi_input_changes; a refresh, in one REPEATABLE READ transaction,
 * deletes the rows it sees and recomputes every preview from live data. A change committed after
 * its snapshot stays in the table: the previews are still dirty and the next read asks again. A
 * preview is also stale from `stale_at`, the first instant its figures change by time alone.
 */

export const KPI_PREVIEW_JOB = 'kpi.refresh-previews'
/**
 * Besides reads asking for it, the refresh runs this often when something changed: previews stay
 * warm for HR's next visit, and kpi_input_changes stays small when nobody reads a preview for weeks.
 */
export const KPI_PREVIEW_EVERY_MINUTES = 15
/**
 * The least time between the end of one background refresh and the start of the next
 * (docs/decisions/070): 5 × the last refresh's duration, so refreshes take at most a sixth of the
 * database's time however busy the writers are (≈ 8–15 s at 100,000 people); at least the page's
 * 2-second revalidation, so a cheap refresh runs at most once per poll. Not more: HR who fixes a
 * blocker and looks again waits this long for the figure (a 30-second floor failed the KPI E2E
 * story). Module calls, exports and a missing preview refresh at once.
 */
export const KPI_PREVIEW_MIN_GAP_MS = 2_000
export const KPI_PREVIEW_GAP_FACTOR = 5
export const refreshGapMs = (tookMs: number) => Math.max(KPI_PREVIEW_MIN_GAP_MS, KPI_PREVIEW_GAP_FACTOR * tookMs)
/**
 * A published period's preview nobody has read for this long is dropped by the refresh (its
 * snapshot, rows, evidence, departments and kpi_previews row); the next read computes it again
 * (docs/decisions/070). Draft periods keep theirs.
 */
export const KPI_PREVIEW_RETENTION_MS = 24 * 3_600_000
/** A read records itself (kpi_preview_reads) only when the last record is older than this: not a write per page view. */
export const KPI_PREVIEW_READ_MARK_MS = 5 * 60_000
/** Any number: the transaction-level advisory lock that makes refreshes take turns. */
const REFRESH_LOCK = 67_020_055

type Status = { blockers: KpiBlockerJson[]; managers: number; unscored: number }

const Blockers = column.json(z.array(z.object({ sessionId: column.text, title: column.text, startsAt: column.date, unmarked: column.number })))
const StatusRow = z.object({ blockers: Blockers, managers: column.number, unscored: column.number })
const PreviewRow = StatusRow.extend({
  snapshotId: column.text,
  computedAt: column.date,
  staleAt: column.dateOrNull,
  tookMs: column.number,
  readAt: column.dateOrNull,
  dirty: column.boolean,
})

/**
 * Writes the period's figures computed from live data into a snapshot's rows, evidence and
 * department totals (insert … select, one statement each). Publishing (blocking 0: a published
 * snapshot never blocks) and the preview refresh (blocking counted) both call it.
 */
export async function writeSnapshotFigures(tx: Executor, snapshotId: string, period: KpiPeriod, now: Date, kind: 'published' | 'preview') {
  await tx.execute(sql`
    with ${liveCtes(period, { scope: { kind: 'all' } }, now)},
    kpi_ev as (
      select manager_id, jsonb_agg(jsonb_build_object('component', component, 'ref', ref, 'label', label, 'at', at, 'status', status, 'score', score, 'blocking', blocking) order by component, at) as evidence
      from kpi_items group by manager_id
    ),
    kpi_in as (
      insert into kpi_snapshot_rows (snapshot_id, manager_id, name, email, employee_number, department_id, department_path, score, band, components, blocking)
      select ${snapshotId}::uuid, r.manager_id, r.name, r.email, r.employee_number, r.department_id, r.department_path, r.score, r.band, r.components,
        ${kind === 'preview' ? sql`r.blocking` : sql`0`}
      from kpi_rows r
      returning manager_id
    )
    insert into kpi_snapshot_evidence (snapshot_id, manager_id, evidence)
    select ${snapshotId}::uuid, r.manager_id, coalesce(e.evidence, '[]'::jsonb)
    from kpi_in r left join kpi_ev e on e.manager_id = r.manager_id`)
  // Per-department totals, computed once per snapshot (docs/decisions/055).
  await tx.execute(sql`
    insert into kpi_snapshot_departments (snapshot_id, department_path, managers, scored, score_sum, band_a, band_b, band_c, band_d, blocking)
    select r.snapshot_id, r.department_path, count(*), count(r.score), coalesce(sum(r.score), 0),
      count(*) filter (where r.band = 'A'), count(*) filter (where r.band = 'B'), count(*) filter (where r.band = 'C'), count(*) filter (where r.band = 'D'),
      coalesce(sum(r.blocking), 0)
    from kpi_snapshot_rows r where r.snapshot_id = ${snapshotId}::uuid
    group by r.snapshot_id, r.department_path`)
}

/** The period's status from live data (statusSql): what publishing checks, and what a refresh stores. */
export async function liveStatus(executor: Executor, period: KpiPeriod, now: Date): Promise<Status> {
  const [row] = parseRows(StatusRow, await executor.execute(statusSql(period, now)))
  return { ...row, blockers: row.blockers.map((b) => ({ ...b, startsAt: b.startsAt.toISOString() })) }
}

type RefreshOptions = {
  now?: Date
  /** Periods to give a preview although they are published (HR opened their preview). */
  include?: string[]
  /** Runs inside the refresh after its snapshot is taken and the previews are written (the race test commits a change there). */
  beforeCommit?: () => Promise<void>
}

/**
 * Recomputes every maintained preview from live data, in one REPEATABLE READ transaction: it
 * deletes the change rows its snapshot sees, so a change committed later keeps the previews
 * dirty. Refreshes take turns (an advisory lock); one that waited started from an old snapshot
 * and fails to serialize on the rows the other rewrote, and is tried again.
 * Returns the periods refreshed and how long it took.
 */
export async function refreshPreviews(options: RefreshOptions = {}) {
  const now = options.now ?? new Date()
  const include = (options.include ?? []).filter(Boolean)
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await refreshOnce(now, include, options.beforeCommit)
      // The rewritten rows leave dead versions under the same snapshot id: vacuumed at once, the
      // reads stay index-only and skip nothing dead (only pages not all-visible are visited).
      if (connection().driver === 'postgres') await db.execute(sql`vacuum kpi_snapshot_rows, kpi_snapshot_evidence, kpi_snapshot_departments`)
      return result
    } catch (error) {
      const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code
      if (attempt >= 5 || (code !== '40001' && code !== '40P01')) throw error
    }
  }
}

async function refreshOnce(now: Date, include: string[], beforeCommit?: () => Promise<void>) {
  const started = performance.now()
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${REFRESH_LOCK})`)
      await tx.execute(sql`delete from kpi_input_changes`)
      const dropped = await dropUnreadPreviews(tx, now, include)
      const periods = await tx
        .select({ period: kpiPeriods, snapshotId: kpiPreviews.snapshotId })
        .from(kpiPeriods)
        .leftJoin(kpiPreviews, eq(kpiPreviews.periodId, kpiPeriods.id))
        .where(or(eq(kpiPeriods.status, 'draft'), isNotNull(kpiPreviews.periodId), include.length ? inArray(kpiPeriods.id, include) : undefined))
        .orderBy(kpiPeriods.startsOn)
      for (const row of periods) {
        const period = { ...row.period, policy: normalisePolicy(row.period.policy) }
        let snapshotId = row.snapshotId
        if (snapshotId) {
          await tx.execute(sql`delete from kpi_snapshot_departments where snapshot_id = ${snapshotId}::uuid`)
          await tx.execute(sql`delete from kpi_snapshot_evidence where snapshot_id = ${snapshotId}::uuid`)
          await tx.execute(sql`delete from kpi_snapshot_rows where snapshot_id = ${snapshotId}::uuid`)
          await tx.execute(
            sql`update kpi_snapshots set policy = ${JSON.stringify(period.policy)}::jsonb, published_at = ${now.toISOString()}::timestamptz where id = ${snapshotId}::uuid`,
          )
        } else {
          const [created] = parseRows(
            z.object({ id: column.text }),
            await tx.execute(sql`
              insert into kpi_snapshots (period_id, kind, revision, policy, published_at)
              values (${period.id}::uuid, 'preview', 0, ${JSON.stringify(period.policy)}::jsonb, ${now.toISOString()}::timestamptz)
              returning id`),
          )
          snapshotId = created.id
        }
        await writeSnapshotFigures(tx, snapshotId, period, now, 'preview')
        const status = await liveStatus(tx, period, now)
        const [{ stale_at }] = parseRows(z.object({ stale_at: column.dateOrNull }), await tx.execute(staleAtSql(period, now)))
        const staleAt = stale_at?.toISOString() ?? null
        await tx.execute(sql`
          insert into kpi_previews (period_id, snapshot_id, computed_at, stale_at, took_ms, blockers, managers, unscored)
          values (${period.id}::uuid, ${snapshotId}::uuid, ${now.toISOString()}::timestamptz, ${staleAt}::timestamptz, 0,
            ${JSON.stringify(status.blockers)}::jsonb, ${status.managers}, ${status.unscored})
          on conflict (period_id) do update set snapshot_id = excluded.snapshot_id, computed_at = excluded.computed_at, stale_at = excluded.stale_at,
            blockers = excluded.blockers, managers = excluded.managers, unscored = excluded.unscored`)
      }
      await beforeCommit?.()
      const tookMs = Math.round(performance.now() - started)
      await tx.execute(sql`update kpi_previews set took_ms = ${tookMs}`)
      return { periods: periods.map((p) => p.period.key), dropped, tookMs }
    },
    { isolationLevel: 'repeatable read' },
  )
}

/** A preview (`v`) nobody has read for KPI_PREVIEW_RETENTION_MS before `now`. */
const unreadSince = (now: Date) => sql`not exists (select 1 from kpi_preview_reads r where r.period_id = v.period_id
  and r.read_at >= ${now.toISOString()}::timestamptz - make_interval(secs => ${KPI_PREVIEW_RETENTION_MS / 1000}))`

/**
 * Drops the previews of published periods not read for KPI_PREVIEW_RETENTION_MS (except those in
 * `include`: being read now): kpi_previews row, then the snapshot's departments, evidence, rows and
 * the snapshot itself. Returns the period keys dropped.
 */
async function dropUnreadPreviews(tx: Executor, now: Date, include: string[]) {
  const unread = parseRows(
    z.object({ periodId: column.text, snapshotId: column.text, key: column.text }),
    await tx.execute(sql`
      delete from kpi_previews v using kpi_periods p
      where p.id = v.period_id and p.status <> 'draft' and ${unreadSince(now)}
        ${
          include.length
            ? sql`and v.period_id not in (${sql.join(
                include.map((id) => sql`${id}::uuid`),
                sql`, `,
              )})`
            : sql``
        }
      returning v.period_id as "periodId", v.snapshot_id as "snapshotId", p.key`),
  )
  for (const { snapshotId } of unread) {
    await tx.execute(sql`delete from kpi_snapshot_departments where snapshot_id = ${snapshotId}::uuid`)
    await tx.execute(sql`delete from kpi_snapshot_evidence where snapshot_id = ${snapshotId}::uuid`)
    await tx.execute(sql`delete from kpi_snapshot_rows where snapshot_id = ${snapshotId}::uuid`)
    await tx.execute(sql`delete from kpi_snapshots where id = ${snapshotId}::uuid and kind = 'preview'`)
  }
  return unread.map((u) => u.key)
}

export type PreviewState = {
  snapshotId: string
  computedAt: Date
  staleAt: Date | null
  tookMs: number
  /** When a reader last asked for it (to within KPI_PREVIEW_READ_MARK_MS; kpi_preview_reads), null: never. */
  readAt: Date | null
  /** Whether the figures are current: no change since, and `now` within [computed_at, stale_at). */
  fresh: boolean
  status: Status
}

/** The period's preview as stored, and whether it is current (one index lookup). null: none yet. */
export async function previewState(periodId: string, now: Date): Promise<PreviewState | null> {
  const [row] = parseRows(
    PreviewRow,
    await db.execute(sql`
      select v.snapshot_id as "snapshotId", v.computed_at as "computedAt", v.stale_at as "staleAt", v.took_ms as "tookMs", r.read_at as "readAt",
        v.blockers, v.managers, v.unscored,
        exists (select 1 from kpi_input_changes) as dirty
      from kpi_previews v left join kpi_preview_reads r on r.period_id = v.period_id
      where v.period_id = ${periodId}::uuid`),
  )
  if (!row) return null
  const { computedAt, staleAt } = row
  const fresh = !row.dirty && computedAt.getTime() <= now.getTime() && (staleAt === null || now.getTime() < staleAt.getTime())
  const blockers = row.blockers.map((b) => ({ ...b, startsAt: b.startsAt.toISOString() }))
  return {
    snapshotId: row.snapshotId,
    computedAt,
    staleAt,
    tookMs: row.tookMs,
    readAt: row.readAt,
    fresh,
    status: { blockers, managers: row.managers, unscored: row.unscored },
  }
}

/** One manager's row and evidence in the preview's snapshot, if the reader may see them (two primary-key lookups). */
export async function previewCard(snapshotId: string, managerId: string, scope: KpiScope) {
  const [row] = parseRows(
    z.object({
      managerId: column.text,
      name: column.text,
      email: column.text,
      employeeNumber: column.textOrNull,
      departmentPath: column.textOrNull,
      score: column.numberOrNull,
      band: z.enum(['A', 'B', 'C', 'D']).nullable(),
      // jsonb arrays: parsed by the driver, or text (read by toRow and the scorecard).
      components: z.union([z.string(), z.array(z.unknown())]),
      blocking: column.number,
      evidence: z.union([z.string(), z.array(z.unknown())]).nullable(),
    }),
    await db.execute(sql`
      select r.manager_id as "managerId", r.name, r.email, r.employee_number as "employeeNumber", r.department_path as "departmentPath",
        r.score, r.band, r.components, r.blocking, e.evidence
      from kpi_snapshot_rows r
      left join kpi_snapshot_evidence e on e.snapshot_id = r.snapshot_id and e.manager_id = r.manager_id
      where r.snapshot_id = ${snapshotId}::uuid and r.manager_id = ${managerId}::uuid and ${visibleSql(scope, sql`r.manager_id`, sql`r.department_path`)}`),
  )
  return row ?? null
}

/**
 * What to do with a preview that is not current: 'serve' (pages) shows it as it is, marked
 * "updating", and enqueues the refresh; 'refresh' (module calls, exports) refreshes first.
 */
export type Staleness = 'serve' | 'refresh'

/**
 * When the next background refresh may start: the last one's end (computed_at + took_ms) plus
 * refreshGapMs of its duration; null when there is no preview, or the last refresh is dated after
 * `now` (a clock set back: no reason to wait).
 */
export async function nextRefreshAt(now: Date): Promise<Date | null> {
  const [last] = parseRows(
    z.object({ computedAt: column.date, tookMs: column.number }),
    await db.execute(sql`select computed_at as "computedAt", took_ms as "tookMs" from kpi_previews order by computed_at desc limit 1`),
  )
  if (!last || last.computedAt.getTime() > now.getTime()) return null
  return new Date(last.computedAt.getTime() + last.tookMs + refreshGapMs(last.tookMs))
}

/**
 * Enqueues the refresh to start no sooner than nextRefreshAt (at most one waiting: the job's
 * singleton key, kept by both job runners; an open page asking every 2 s adds nothing while one waits).
 */
export async function requestRefresh(now = new Date()) {
  const next = await nextRefreshAt(now)
  const startAfter = next && next.getTime() > now.getTime() ? next : undefined
  await sendJob(KPI_PREVIEW_JOB, {}, { singletonKey: KPI_PREVIEW_JOB, retryLimit: 2, startAfter })
}

/**
 * The period's preview for a reader at `now`. A missing preview is computed in the request (once:
 * from then on it is maintained); a stale one is refreshed first or served as it is and refreshed
 * in the background, as `staleness` says. The read is recorded (kpi_preview_reads) when the last record is
 * older than KPI_PREVIEW_READ_MARK_MS, so a published period's preview that is read stays.
 */
export async function previewFor(period: Pick<KpiPeriod, 'id'>, now: Date, staleness: Staleness): Promise<PreviewState> {
  const state = await previewState(period.id, now)
  if (!state?.readAt || now.getTime() - state.readAt.getTime() >= KPI_PREVIEW_READ_MARK_MS) {
    await db.execute(sql`
      insert into kpi_preview_reads (period_id, read_at) values (${period.id}::uuid, ${now.toISOString()}::timestamptz)
      on conflict (period_id) do update set read_at = excluded.read_at where kpi_preview_reads.read_at < excluded.read_at`)
  }
  if (state?.fresh) return state
  if (state && staleness === 'serve') {
    await requestRefresh(now)
    return state
  }
  await refreshPreviews({ now, include: [period.id] })
  const after = await previewState(period.id, now)
  if (!after) throw new Error(`KPI preview of ${period.id} missing after a refresh`)
  // A change committed during the refresh leaves it not fresh: shown, and refreshed again.
  if (!after.fresh) await requestRefresh(now)
  return after
}

/**
 * The refresh job (registered in app/jobs.server.ts), on demand and every 15 minutes: refreshes
 * only when some preview is not current or is to be dropped, and not before nextRefreshAt — a run
 * sooner than that does nothing: the job a read enqueued waits for that instant (requestRefresh),
 * and the periodic run comes again.
 */
export function registerKpiJobs() {
  registerJobHandler(KPI_PREVIEW_JOB, async (_data, context) => {
    await refreshJob(context.now)
  })
  registerPeriodicJob(KPI_PREVIEW_JOB, KPI_PREVIEW_EVERY_MINUTES)
}

/** One run of the refresh job at `now`: 'refreshed', 'deferred' (too soon after the last refresh) or 'idle' (nothing to do). */
export async function refreshJob(now: Date): Promise<'refreshed' | 'deferred' | 'idle'> {
  const at = now.toISOString()
  const [row] = parseRows(
    z.object({ needed: column.boolean }),
    await db.execute(sql`
      select exists (select 1 from kpi_input_changes)
        or exists (select 1 from kpi_previews where computed_at > ${at}::timestamptz or stale_at <= ${at}::timestamptz)
        or exists (select 1 from kpi_periods p where p.status = 'draft' and not exists (select 1 from kpi_previews v where v.period_id = p.id))
        or exists (select 1 from kpi_previews v join kpi_periods p on p.id = v.period_id where p.status <> 'draft' and ${unreadSince(now)}) as needed`),
  )
  if (!row.needed) return 'idle'
  const next = await nextRefreshAt(now)
  if (next && now.getTime() < next.getTime()) return 'deferred'
  await refreshPreviews({ now })
  return 'refreshed'
}
