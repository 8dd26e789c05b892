import { relations, sql } from 'drizzle-orm'
import { boolean, check, date, index, integer, numeric, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { users } from './org'

/** How a manager follows up with one person (key point 1). */
export const followUpChannel = pgEnum('follow_up_channel', ['one_on_one', 'written_update', 'on_site', 'call'])
/** A planned check-in is `planned` until the manager logs it (`held`) or its date passes unheld (`missed`). */
export const checkInStatus = pgEnum('check_in_status', ['planned', 'held', 'missed'])
/** The statements employees rate a check-in on, each tied to a key point (3, 5, 4, 6). */
export const ratingStatement = pgEnum('follow_up_statement', ['two_way', 'feedback', 'obstacles', 'autonomy'])

/** The follow-up plan of a manager for one direct report. One per pair; `archived_at` ends it. */
export const followUpPlans = pgTable(
  'follow_up_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    managerId: uuid('manager_id')
      .notNull()
      .references(() => users.id),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => users.id),
    frequencyDays: integer('frequency_days').notNull(),
    channel: followUpChannel('channel').notNull(),
    notes: text('notes').notNull().default(''),
    /** Rises whenever the next planned check-in moves, so calendar clients replace their entry (.ics SEQUENCE). */
    calendarSequence: integer('calendar_sequence').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('follow_up_plans_pair_key').on(t.managerId, t.employeeId),
    index('follow_up_plans_employee_idx').on(t.employeeId),
    check('follow_up_plans_frequency_check', sql`${t.frequencyDays} between 1 and 366`),
  ],
)

/**
 * A planned check-in and, once held, its log. The open (`planned`) one of a plan is the next
 * check-in; the manager's draft of the log is autosaved into it before it is logged.
 */
export const checkIns = pgTable(
  'check_ins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => followUpPlans.id),
    managerId: uuid('manager_id')
      .notNull()
      .references(() => users.id),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => users.id),
    status: checkInStatus('status').notNull().default('planned'),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    heldOn: date('held_on', { mode: 'string' }),
    progress: text('progress').notNull().default(''),
    obstacles: text('obstacles').notNull().default(''),
    agreedActions: text('agreed_actions').notNull().default(''),
    feedbackGiven: text('feedback_given').notNull().default(''),
    employeeInput: text('employee_input').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    loggedAt: timestamp('logged_at', { withTimezone: true }),
  },
  (t) => [
    // At most one open check-in per plan: the next one.
    uniqueIndex('check_ins_open_key')
      .on(t.planId)
      .where(sql`${t.status} = 'planned'`),
    index('check_ins_manager_due_idx').on(t.managerId, t.dueOn),
    index('check_ins_employee_idx').on(t.employeeId),
    check('check_ins_held_check', sql`(${t.status} = 'held') = (${t.heldOn} is not null)`),
  ],
)

/**
 * The employee's word on a held check-in: it happened (or not), and whether they rated it.
 * It never points at the rating: ratings are tallies without a person (see below).
 */
export const checkInConfirmations = pgTable(
  'check_in_confirmations',
  {
    checkInId: uuid('check_in_id')
      .primaryKey()
      .references(() => checkIns.id),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => users.id),
    /** The check-in's manager (also reachable through the check-in); here so one rating per month can be a unique index. */
    managerId: uuid('manager_id')
      .notNull()
      .references(() => users.id),
    happened: boolean('happened').notNull(),
    /** The month (first day) the employee's rating went into, or null without a rating. */
    ratedPeriod: date('rated_period', { mode: 'string' }),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('check_in_confirmations_employee_idx').on(t.employeeId),
    // One rating per person, manager and month: the tally then counts distinct people.
    uniqueIndex('check_in_confirmations_rating_key')
      .on(t.employeeId, t.managerId, t.ratedPeriod)
      .where(sql`${t.ratedPeriod} is not null`),
  ],
)

/**
 * Anonymous upward ratings, stored only as counts per manager, month, statement and score:
 * no row per answer, so no person, time stamp, id or insertion order can lead back to one.
 * `published_count` is the count as last shown: it moves only when at least the minimum
 * number of new people have answered since (see docs/follow-up-privacy.md).
 */
export const ratingTallies = pgTable(
  'follow_up_rating_tallies',
  {
    managerId: uuid('manager_id')
      .notNull()
      .references(() => users.id),
    period: date('period', { mode: 'string' }).notNull(),
    statement: ratingStatement('statement').notNull(),
    score: smallint('score').notNull(),
    count: integer('count').notNull().default(0),
    publishedCount: integer('published_count').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.managerId, t.period, t.statement, t.score] }),
    check('follow_up_rating_tallies_score_check', sql`${t.score} between 1 and 5`),
  ],
)

/** How many people have rated a manager in a month, live and as last published. */
export const ratingPeriods = pgTable(
  'follow_up_rating_periods',
  {
    managerId: uuid('manager_id')
      .notNull()
      .references(() => users.id),
    period: date('period', { mode: 'string' }).notNull(),
    raters: integer('raters').notNull().default(0),
    publishedRaters: integer('published_raters').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.managerId, t.period] })],
)

/** HR admins allowed to read check-in contents, each granted by another HR admin. */
export const checkInReaders = pgTable('follow_up_content_readers', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  grantedBy: uuid('granted_by')
    .notNull()
    .references(() => users.id),
  grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Level-4 results: a team performance figure per manager and month, imported by HR. */
export const teamResults = pgTable(
  'follow_up_team_results',
  {
    managerId: uuid('manager_id')
      .notNull()
      .references(() => users.id),
    period: date('period', { mode: 'string' }).notNull(),
    value: numeric('value', { precision: 12, scale: 2 }).notNull(),
    importedBy: uuid('imported_by').references(() => users.id),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.managerId, t.period] })],
)

export const followUpPlansRelations = relations(followUpPlans, ({ many }) => ({
  checkIns: many(checkIns),
}))
export const checkInsRelations = relations(checkIns, ({ one }) => ({
  plan: one(followUpPlans, { fields: [checkIns.planId], references: [followUpPlans.id] }),
  confirmation: one(checkInConfirmations, { fields: [checkIns.id], references: [checkInConfirmations.checkInId] }),
}))

export type FollowUpPlan = typeof followUpPlans.$inferSelect
export type CheckIn = typeof checkIns.$inferSelect
export type CheckInConfirmation = typeof checkInConfirmations.$inferSelect
