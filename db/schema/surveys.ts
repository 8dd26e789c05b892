import { relations, sql } from 'drizzle-orm'
import { boolean, check, index, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { users } from './org'
import { sessions } from './sessions'

/**
 * Who was sent the reaction survey of a session and who has answered it: one row per
 * (session, person). The row makes sending idempotent (never twice) and stops a second
 * answer. It never points at the answer itself, so an anonymous answer cannot be traced back.
 */
export const surveyParticipants = pgTable(
  'survey_participants',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** When the survey email went out; null if the person answered before it was sent. */
    sentAt: timestamp('sent_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] }), index('survey_participants_user_idx').on(t.userId)],
)

/**
 * The answers (Kirkpatrick level 1). An anonymous answer has neither a user nor a time: the
 * time would match `survey_participants.submitted_at` and give the person away.
 */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    /** Null when anonymous. */
    userId: uuid('user_id').references(() => users.id),
    anonymous: boolean('anonymous').notNull(),
    contentRating: smallint('content_rating').notNull(),
    trainerRating: smallint('trainer_rating').notNull(),
    usefulnessRating: smallint('usefulness_rating').notNull(),
    comment: text('comment'),
    /** Null when anonymous. */
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
  },
  (t) => [
    index('survey_responses_session_idx').on(t.sessionId),
    // A named answer is one per person and session, like the participant row that guards it.
    uniqueIndex('survey_responses_session_user_key')
      .on(t.sessionId, t.userId)
      .where(sql`${t.userId} is not null`),
    check(
      'survey_responses_ratings_check',
      sql`${t.contentRating} between 1 and 5 and ${t.trainerRating} between 1 and 5 and ${t.usefulnessRating} between 1 and 5`,
    ),
    check(
      'survey_responses_anonymous_check',
      sql`(${t.anonymous} and ${t.userId} is null and ${t.submittedAt} is null) or (not ${t.anonymous} and ${t.userId} is not null)`,
    ),
  ],
)

export const surveyParticipantsRelations = relations(surveyParticipants, ({ one }) => ({
  session: one(sessions, { fields: [surveyParticipants.sessionId], references: [sessions.id] }),
  user: one(users, { fields: [surveyParticipants.userId], references: [users.id] }),
}))
export const surveyResponsesRelations = relations(surveyResponses, ({ one }) => ({
  session: one(sessions, { fields: [surveyResponses.sessionId], references: [sessions.id] }),
}))

export type SurveyParticipant = typeof surveyParticipants.$inferSelect
export type SurveyResponse = typeof surveyResponses.$inferSelect
