import { relations } from 'drizzle-orm'
import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { localeEnum, users } from './org'
import { sessions } from './sessions'

export const briefingStatus = pgEnum('briefing_status', ['draft', 'published'])

/**
 * The briefing pack HR writes for the external lecturer of one session: who the company and the
 * audience are, which follow-up problems it has, which cases to use, dos and don'ts, logistics.
 * Written in one language (`language`). `version` counts publications: 0 while a draft was never
 * published; every change to a published pack raises it, and lecturers must acknowledge again.
 */
export const briefings = pgTable(
  'briefings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    language: localeEnum('language').notNull(),
    status: briefingStatus('status').notNull().default('draft'),
    version: integer('version').notNull().default(0),
    companyBackground: text('company_background').notNull().default(''),
    audienceDepartments: text('audience_departments').notNull().default(''),
    audienceLevels: text('audience_levels').notNull().default(''),
    headCount: integer('head_count'),
    audienceNotes: text('audience_notes').notNull().default(''),
    followUpProblems: text('follow_up_problems').notNull().default(''),
    cases: text('cases').notNull().default(''),
    dosAndDonts: text('dos_and_donts').notNull().default(''),
    equipment: text('equipment').notNull().default(''),
    contact: text('contact').notNull().default(''),
    logisticsNotes: text('logistics_notes').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('briefings_session_key').on(t.sessionId)],
)

/** "I have read this briefing", per person and version; the history stays. */
export const briefingAcknowledgements = pgTable(
  'briefing_acknowledgements',
  {
    briefingId: uuid('briefing_id')
      .notNull()
      .references(() => briefings.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    version: integer('version').notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.briefingId, t.userId, t.version] }), index('briefing_acknowledgements_user_idx').on(t.userId)],
)

export const briefingsRelations = relations(briefings, ({ one, many }) => ({
  session: one(sessions, { fields: [briefings.sessionId], references: [sessions.id] }),
  acknowledgements: many(briefingAcknowledgements),
}))
export const briefingAcknowledgementsRelations = relations(briefingAcknowledgements, ({ one }) => ({
  briefing: one(briefings, { fields: [briefingAcknowledgements.briefingId], references: [briefings.id] }),
  user: one(users, { fields: [briefingAcknowledgements.userId], references: [users.id] }),
}))

export type Briefing = typeof briefings.$inferSelect
export type BriefingAcknowledgement = typeof briefingAcknowledgements.$inferSelect
export type BriefingStatus = (typeof briefingStatus.enumValues)[number]
