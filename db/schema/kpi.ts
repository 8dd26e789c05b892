import { sql } from 'drizzle-orm'
import { bigserial, boolean, date, index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { departments, users } from './org'

export const kpiPeriodStatus = pgEnum('kpi_period_status', ['draft', 'published'])

/** The policy of one period (docs/decisions/020-kpi-policy-and-arithmetic.md); validated by `KpiPolicy` in app/modules/kpi/kpi.ts. */
export type KpiPolicyJson = {
  components: Record<string, { enabled: boolean; weight: number }>
  lateFraction: number
  courseLateFraction: number
  excused: 'exclude' | 'count'
  bands: { A: number; B: number; C: number }
}

/**
 * A KPI period (e.g. 2027-Q1): dates are calendar days in China time, `ends_on` inclusive.
 * Sessions in scope: those of `cohort_ids` (all sessions when empty); courses: `course_ids` (all when empty).
 */
export const kpiPeriods = pgTable(
  'kpi_periods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    policy: jsonb('policy').$type<KpiPolicyJson>().notNull(),
    cohortIds: uuid('cohort_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    courseIds: uuid('course_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    status: kpiPeriodStatus('status').notNull().default('draft'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('kpi_periods_key_key').on(t.key)],
)

export const kpiSnapshotKind = pgEnum('kpi_snapshot_kind', ['published', 'preview'])

/**
 * A published revision of a period: frozen, never updated. Revision 1 is the first publication;
 * later ones are corrections with a reason. `kind` 'preview': the period's maintained preview
 * (docs/decisions/067) — revision 0, rewritten by every refresh, stored in the same row, department
 * and evidence tables so the preview reads take the same paths. Every reader of published figures
 * filters `kind = 'published'`.
 */
export const kpiSnapshots = pgTable(
  'kpi_snapshots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    periodId: uuid('period_id')
      .notNull()
      .references(() => kpiPeriods.id),
    kind: kpiSnapshotKind('kind').notNull().default('published'),
    revision: integer('revision').notNull(),
    reason: text('reason'),
    policy: jsonb('policy').$type<KpiPolicyJson>().notNull(),
    publishedBy: uuid('published_by').references(() => users.id),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('kpi_snapshots_period_revision_key').on(t.periodId, t.revision)],
)

export type KpiComponentResult = { key: string; weight: number; effectiveWeight: number | null; score: number | null; items: number }
export type KpiEvidence = {
  component: string
  ref: string | null
  label: string | { en: string; 'zh-CN': string }
  at: string | null
  status: string
  score: number | null
  blocking: boolean
}

/** One manager's figures in a snapshot: a copy of what was computed, so later data changes never alter it. */
export const kpiSnapshotRows = pgTable(
  'kpi_snapshot_rows',
  {
    snapshotId: uuid('snapshot_id')
      .notNull()
      .references(() => kpiSnapshots.id),
    managerId: uuid('manager_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    email: text('email').notNull(),
    employeeNumber: text('employee_number'),
    departmentId: uuid('department_id'),
    departmentPath: text('department_path'),
    score: numeric('score', { precision: 4, scale: 1 }),
    band: text('band'),
    components: jsonb('components').$type<KpiComponentResult[]>().notNull(),
    /** Items blocking publication (unmarked sessions): 0 in a published snapshot, counted in a preview. */
    blocking: integer('blocking').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.snapshotId, t.managerId] }),
    index('kpi_snapshot_rows_manager_idx').on(t.managerId),
    // Both carry every column a roll-up page shows (manager, name, department, score, band, and a
    // preview's blocking items), so a page is read from the index alone (index-only scan, no heap
    // page per manager; docs/decisions/038, 065, 067). A division: its departments' entries, best scores first in each.
    index('kpi_snapshot_rows_department_idx').on(t.snapshotId, t.departmentPath, t.score.desc().nullsLast(), t.name, t.managerId, t.band, t.blocking),
    // The whole organisation's first page (best scores first) without sorting every manager.
    index('kpi_snapshot_rows_score_idx').on(t.snapshotId, t.score.desc().nullsLast(), t.name, t.managerId, t.band, t.departmentPath, t.blocking),
  ],
)

/**
 * The evidence behind one manager's snapshot row (every session, course, grade … with its score),
 * kept apart from the row so the reports that read every row of a snapshot stay narrow
 * (docs/decisions/038). Only the scorecard reads it.
 */
export const kpiSnapshotEvidence = pgTable(
  'kpi_snapshot_evidence',
  {
    snapshotId: uuid('snapshot_id')
      .notNull()
      .references(() => kpiSnapshots.id),
    managerId: uuid('manager_id')
      .notNull()
      .references(() => users.id),
    evidence: jsonb('evidence').$type<KpiEvidence[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.snapshotId, t.managerId] })],
)

/**
 * Per-department totals of a snapshot, written once in the publishing transaction (a snapshot is
 * frozen, so they never change): one row per (snapshot, manager's department path). The roll-up's
 * totals, bands and department lines add up these few hundred rows instead of reading every
 * manager's row (docs/decisions/055). `department_path` null: managers without a department.
 */
export const kpiSnapshotDepartments = pgTable(
  'kpi_snapshot_departments',
  {
    snapshotId: uuid('snapshot_id')
      .notNull()
      .references(() => kpiSnapshots.id),
    departmentPath: text('department_path'),
    managers: integer('managers').notNull(),
    /** Managers with a score, and the exact sum of their scores (the average is sum ÷ scored). */
    scored: integer('scored').notNull(),
    scoreSum: numeric('score_sum').notNull(),
    bandA: integer('band_a').notNull(),
    bandB: integer('band_b').notNull(),
    bandC: integer('band_c').notNull(),
    bandD: integer('band_d').notNull(),
    /** Blocking items of these managers (a preview's unmarked sessions; 0 when published). */
    blocking: integer('blocking').notNull().default(0),
  },
  (t) => [index('kpi_snapshot_departments_idx').on(t.snapshotId, t.departmentPath)],
)

export type KpiBlockerJson = { sessionId: string; title: string; startsAt: string; unmarked: number }

/**
 * A period's maintained preview (docs/decisions/067): which snapshot (kind 'preview') holds it,
 * the `now` it was computed for, the first instant after that at which its figures change by time
 * alone (`stale_at`, null: never), and the period's status (what blocks publication) — so HR's
 * home and the period page read it with one index lookup. Fresh while no row is in
 * kpi_input_changes and computed_at ≤ now < stale_at.
 */
export const kpiPreviews = pgTable('kpi_previews', {
  periodId: uuid('period_id')
    .primaryKey()
    .references(() => kpiPeriods.id),
  snapshotId: uuid('snapshot_id')
    .notNull()
    .references(() => kpiSnapshots.id),
  computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
  staleAt: timestamp('stale_at', { withTimezone: true }),
  /** How long the refresh that wrote it took (ms): with computed_at, when the next one may start (docs/decisions/070). */
  tookMs: integer('took_ms').notNull().default(0),
  blockers: jsonb('blockers').$type<KpiBlockerJson[]>().notNull(),
  managers: integer('managers').notNull(),
  unscored: integer('unscored').notNull(),
})

/**
 * When a reader last asked for a period's preview (kept to within a few minutes: previewFor writes
 * it only when older than that). A published period's preview not read for a day is dropped by the
 * refresh (docs/decisions/070). A table of its own, not a column of kpi_previews, so a read never
 * waits for, nor conflicts with, a refresh rewriting the previews.
 */
export const kpiPreviewReads = pgTable('kpi_preview_reads', {
  periodId: uuid('period_id')
    .primaryKey()
    .references(() => kpiPeriods.id, { onDelete: 'cascade' }),
  readAt: timestamp('read_at', { withTimezone: true }).notNull(),
})

/**
 * One row per statement that changed a table the live KPI computation reads, inserted by
 * statement-level triggers (migration kpi_input_changes), so no writer can forget it. A refresh
 * deletes the rows its snapshot sees; a row left means the previews are dirty (docs/decisions/067).
 */
export const kpiInputChanges = pgTable('kpi_input_changes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tableName: text('table_name').notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
})

/**
 * Effective-dated organisation facts for KPIs: who was a manager, in which department, from when
 * until when. Kept by database triggers on `users` and `user_roles` (migration kpi_history), so
 * every write path records it. `valid_to` null: still true.
 */
export const orgHistory = pgTable(
  'org_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    departmentId: uuid('department_id').references(() => departments.id),
    isManager: boolean('is_manager').notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validTo: timestamp('valid_to', { withTimezone: true }),
  },
  (t) => [
    index('org_history_user_idx').on(t.userId, t.validFrom),
    index('org_history_managers_idx')
      .on(t.validFrom)
      .where(sql`${t.isManager}`),
  ],
)

/** Read-only API tokens for HR systems; only the SHA-256 of the token is stored. */
export const kpiApiTokens = pgTable(
  'kpi_api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** The first characters, to recognise a token in the list. */
    prefix: text('prefix').notNull(),
    scopes: text('scopes').array().notNull(),
    /** Optional: only managers in this department's subtree. */
    departmentId: uuid('department_id').references(() => departments.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('kpi_api_tokens_hash_key').on(t.tokenHash)],
)

export type KpiPeriod = typeof kpiPeriods.$inferSelect
export type KpiSnapshot = typeof kpiSnapshots.$inferSelect
export type KpiSnapshotRow = typeof kpiSnapshotRows.$inferSelect
export type KpiApiToken = typeof kpiApiTokens.$inferSelect
export type KpiPreview = typeof kpiPreviews.$inferSelect
