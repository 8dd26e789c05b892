import { and, desc, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { cohorts, courses, kpiPeriods, kpiSnapshots, users, type KpiPeriod } from '#db/schema'
import { isUuid } from '#db/sql-helpers'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import { can, type CurrentUser } from '~/modules/auth/permissions'
import { notifyMany } from '~/modules/notifications/inbox.server'
import { kpiComponents } from './components/registry.server'
import { normalisePolicy } from './compute.server'
import { liveStatus, previewFor, writeSnapshotFigures, type Staleness } from './preview.server'
import { defaultBands, type KpiPolicy, type PeriodForm } from './kpi'
import { kpiScope, type KpiScope } from './scope.server'

/** `stale`: what a read does with a preview that is not current (default: refresh it first; pages: serve it, see preview.server.ts). */
type Clock = { now?: Date; stale?: Staleness }

export function defaultPolicy(): KpiPolicy {
  return {
    components: Object.fromEntries(kpiComponents.map((c) => [c.key, { enabled: c.defaultWeight > 0, weight: c.defaultWeight }])),
    lateFraction: 0.5,
    courseLateFraction: 0.5,
    excused: 'exclude',
    bands: { ...defaultBands },
  }
}

export { normalisePolicy }

async function loadPeriod(id: string): Promise<KpiPeriod> {
  if (!isUuid(id)) throw new Response('Not found', { status: 404 })
  const [period] = await db.select().from(kpiPeriods).where(eq(kpiPeriods.id, id))
  if (!period) throw new Response('Not found', { status: 404 })
  return { ...period, policy: normalisePolicy(period.policy) }
}

/** A period the reader may open: HR any, managers only published ones. `scope`: the reader's, when already read (checked). */
export async function periodFor(actor: CurrentUser, id: string, scope?: KpiScope) {
  const period = await loadPeriod(id)
  if (!can(actor, 'read:kpi:all')) {
    if (!scope) await kpiScope(actor)
    if (period.status !== 'published') throw new Response('Not found', { status: 404 })
  }
  return period
}

/** Periods, newest first: HR sees drafts too, managers only published periods. */
export async function listPeriods(actor: CurrentUser, scope?: KpiScope) {
  const all = can(actor, 'read:kpi:all')
  if (!all && !scope) await kpiScope(actor)
  const rows = await db
    .select()
    .from(kpiPeriods)
    .where(all ? undefined : eq(kpiPeriods.status, 'published'))
    .orderBy(desc(kpiPeriods.startsOn))
  return rows.map((p) => ({ ...p, policy: normalisePolicy(p.policy) }))
}

/** What the policy form offers: the component registry, cohorts and courses. */
export async function policyOptions(actor: CurrentUser) {
  await assertCan(actor, 'manage:kpi:all')
  const [cohortRows, courseRows] = await Promise.all([
    db.select({ id: cohorts.id, name: cohorts.name }).from(cohorts).orderBy(desc(cohorts.createdAt)),
    db.select({ id: courses.id, title: courses.title }).from(courses).orderBy(courses.contentId),
  ])
  return { components: kpiComponents.map((c) => ({ key: c.key, defaultWeight: c.defaultWeight })), cohorts: cohortRows, courses: courseRows }
}

export type SaveResult = { ok: true; periodId: string } | { ok: false; errors: Record<string, string[]> }

/** Creates or updates a period's policy. Enabled weights must sum to 100 over components the registry knows. */
export async function savePeriod(actor: CurrentUser, periodId: string | null, form: PeriodForm): Promise<SaveResult> {
  await assertCan(actor, 'manage:kpi:all')
  const unknown = [...Object.keys(form.weight), ...Object.keys(form.enabled)].filter((k) => !kpiComponents.some((c) => c.key === k))
  if (unknown.length) return { ok: false, errors: { weight: ['kpi.errors.weights'] } }
  const policy: KpiPolicy = {
    components: Object.fromEntries(kpiComponents.map((c) => [c.key, { enabled: Boolean(form.enabled[c.key]), weight: form.weight[c.key] ?? 0 }])),
    lateFraction: form.lateFraction,
    courseLateFraction: form.courseLateFraction,
    excused: form.excused,
    bands: { A: form.bandA, B: form.bandB, C: form.bandC },
  }
  const values = { key: form.key, startsOn: form.startsOn, endsOn: form.endsOn, policy, cohortIds: form.cohortIds, courseIds: form.courseIds }
  const [clash] = await db.select({ id: kpiPeriods.id }).from(kpiPeriods).where(eq(kpiPeriods.key, form.key))
  if (clash && clash.id !== periodId) return { ok: false, errors: { key: ['kpi.errors.keyTaken'] } }
  // Read before the transaction: on PGlite a query on `db` inside it would wait for it forever.
  const before = periodId ? await loadPeriod(periodId) : null
  return db.transaction(async (tx) => {
    if (periodId && before) {
      await tx
        .update(kpiPeriods)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(kpiPeriods.id, periodId))
      await audit(
        {
          actorId: actor.id,
          action: 'kpi.policy_changed',
          entityType: 'kpi_period',
          entityId: periodId,
          before: { ...before, createdAt: undefined, updatedAt: undefined },
          after: values,
        },
        tx,
      )
      return { ok: true as const, periodId }
    }
    const [row] = await tx
      .insert(kpiPeriods)
      .values({ ...values, createdBy: actor.id })
      .returning({ id: kpiPeriods.id })
    await audit({ actorId: actor.id, action: 'kpi.period_created', entityType: 'kpi_period', entityId: row.id, after: values }, tx)
    return { ok: true as const, periodId: row.id }
  })
}

export type Blocker = { sessionId: string; title: string; startsAt: Date; unmarked: number }

/**
 * What stops publication: required past sessions in the period with unmarked managers (one line per
 * session, with how many), and how many managers have no score yet.
 */
export async function periodStatus(actor: CurrentUser, periodId: string, clock: Clock = {}) {
  await assertCan(actor, 'manage:kpi:all')
  const period = await loadPeriod(periodId)
  return statusOf(period, clock)
}

/**
 * The period's status as its maintained preview stored it (one index lookup, docs/decisions/067),
 * with when it was computed and whether it is current (`updating`: a refresh is on its way).
 */
async function statusOf(period: KpiPeriod, clock: Clock) {
  const preview = await previewFor(period, clock.now ?? new Date(), clock.stale ?? 'refresh')
  return { ...shapeStatus(period, preview.status), asOf: preview.computedAt, updating: !preview.fresh }
}

function shapeStatus(period: KpiPeriod, status: Awaited<ReturnType<typeof liveStatus>>) {
  return {
    blockers: period.policy.components.attendance?.enabled
      ? status.blockers.map((b) => ({ ...b, startsAt: new Date(b.startsAt), unmarked: Number(b.unmarked) }))
      : [],
    managers: status.managers,
    unscored: status.unscored,
  }
}

/** The current period (today within its dates, else the latest started one) with its status, for HR's home. */
export async function currentPeriodStatus(actor: CurrentUser, clock: Clock = {}) {
  if (!can(actor, 'manage:kpi:all')) return null
  const now = clock.now ?? new Date()
  const [period] = await db
    .select()
    .from(kpiPeriods)
    .where(sql`${kpiPeriods.startsOn} <= (${now.toISOString()}::timestamptz at time zone 'Asia/Shanghai')::date`)
    .orderBy(desc(kpiPeriods.startsOn))
    .limit(1)
  if (!period) return null
  const status = await statusOf({ ...period, policy: normalisePolicy(period.policy) }, { ...clock, now })
  return { periodId: period.id, key: period.key, published: period.status === 'published', ...status }
}

export async function listRevisions(periodId: string) {
  return db
    .select({
      id: kpiSnapshots.id,
      revision: kpiSnapshots.revision,
      reason: kpiSnapshots.reason,
      publishedAt: kpiSnapshots.publishedAt,
      publishedBy: users.name,
    })
    .from(kpiSnapshots)
    .leftJoin(users, eq(users.id, kpiSnapshots.publishedBy))
    .where(and(eq(kpiSnapshots.periodId, periodId), eq(kpiSnapshots.kind, 'published')))
    .orderBy(desc(kpiSnapshots.revision))
}

export type PublishResult =
  { ok: true; revision: number } | { ok: false; error: 'kpi.errors.blocked' | 'kpi.errors.notPublished' | 'kpi.errors.alreadyPublished' }

/**
 * Publishes the period (revision 1) or a correction (a new revision with a reason): copies the
 * computed rows (kpi_snapshot_rows) and their evidence (kpi_snapshot_evidence) into a frozen snapshot, in one statement, audits it, and notifies every manager in it.
 * Refused while a required past session has unmarked managers.
 */
export async function publishPeriod(actor: CurrentUser, periodId: string, input: { reason?: string }, clock: Clock = {}): Promise<PublishResult> {
  await assertCan(actor, 'manage:kpi:all')
  const now = clock.now ?? new Date()
  const period = await loadPeriod(periodId)
  const correction = input.reason !== undefined
  if (correction && period.status !== 'published') return { ok: false, error: 'kpi.errors.notPublished' }
  if (!correction && period.status === 'published') return { ok: false, error: 'kpi.errors.alreadyPublished' }
  // Exact: from live data, never from the preview.
  const status = shapeStatus(period, await liveStatus(db, period, now))
  if (status.blockers.length) return { ok: false, error: 'kpi.errors.blocked' }
  return db.transaction(async (tx) => {
    const [last] = await tx
      .select({ revision: kpiSnapshots.revision })
      .from(kpiSnapshots)
      .where(and(eq(kpiSnapshots.periodId, periodId), eq(kpiSnapshots.kind, 'published')))
      .orderBy(desc(kpiSnapshots.revision))
      .limit(1)
    const revision = (last?.revision ?? 0) + 1
    const [snapshot] = await tx
      .insert(kpiSnapshots)
      .values({ periodId, revision, reason: input.reason ?? null, policy: period.policy, publishedBy: actor.id, publishedAt: now })
      .returning({ id: kpiSnapshots.id })
    // The figures from live data, in this transaction (the preview is never copied).
    await writeSnapshotFigures(tx, snapshot.id, period, now, 'published')
    await tx.update(kpiPeriods).set({ status: 'published', updatedAt: now }).where(eq(kpiPeriods.id, periodId))
    await audit(
      {
        actorId: actor.id,
        action: correction ? 'kpi.corrected' : 'kpi.published',
        entityType: 'kpi_period',
        entityId: periodId,
        after: { revision, reason: input.reason ?? null },
      },
      tx,
    )
    const managers = parseRows(
      z.object({ managerId: column.text }),
      await tx.execute(sql`select manager_id as "managerId" from kpi_snapshot_rows where snapshot_id = ${snapshot.id}::uuid`),
    )
    await notifyMany(
      tx,
      managers.map((m) => ({
        userId: m.managerId,
        kind: correction ? 'kpi_corrected' : 'kpi_published',
        params: { period: period.key, revision },
        link: `/kpi/${periodId}/managers/${m.managerId}`,
        dedupeKey: `kpi:${snapshot.id}`,
      })),
    )
    return { ok: true as const, revision }
  })
}

/** The latest published snapshot of a period, or a given revision (never the preview). */
export async function snapshotOf(periodId: string, revision?: number) {
  const [row] = await db
    .select()
    .from(kpiSnapshots)
    .where(and(eq(kpiSnapshots.periodId, periodId), eq(kpiSnapshots.kind, 'published'), revision ? eq(kpiSnapshots.revision, revision) : undefined))
    .orderBy(desc(kpiSnapshots.revision))
    .limit(1)
  return row ?? null
}
