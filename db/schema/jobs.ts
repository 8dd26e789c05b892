import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { users } from './org'

/**
 * The in-process job queue used on embedded PGlite (on PostgreSQL pg-boss keeps its own tables).
 * States follow pg-boss: created → active → completed, or retry (with a later `start_after`)
 * until `retry_limit` is spent, then failed.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    state: text('state', { enum: ['created', 'retry', 'active', 'completed', 'failed'] })
      .notNull()
      .default('created'),
    singletonKey: text('singleton_key'),
    retryCount: integer('retry_count').notNull().default(0),
    retryLimit: integer('retry_limit').notNull().default(3),
    /** Seconds before the first retry; doubles with each further one. */
    retryDelay: integer('retry_delay').notNull().default(30),
    startAfter: timestamp('start_after', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('jobs_due_idx')
      .on(t.startAfter)
      .where(sql`${t.state} in ('created', 'retry')`),
    // Like pg-boss: one waiting or running job per name and singleton key.
    uniqueIndex('jobs_singleton_key')
      .on(t.name, t.singletonKey)
      .where(sql`${t.singletonKey} is not null and ${t.state} in ('created', 'retry', 'active')`),
  ],
)

/**
 * In-app notifications, rendered in the reader's language from `kind` and `params`.
 * `dedupe_key` makes a notification (and the email sent with it) at most once per person:
 * a retried or duplicated job finds the row already there and sends nothing.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    link: text('link'),
    dedupeKey: text('dedupe_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_user_created_idx').on(t.userId, t.createdAt),
    index('notifications_unread_idx')
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
    uniqueIndex('notifications_dedupe_key')
      .on(t.userId, t.dedupeKey)
      .where(sql`${t.dedupeKey} is not null`),
  ],
)

export type Job = typeof jobs.$inferSelect
export type Notification = typeof notifications.$inferSelect
