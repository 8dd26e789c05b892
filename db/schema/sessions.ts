import { relations, sql } from 'drizzle-orm'
import { bigserial, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { users } from './org'

export const sessionStatus = pgEnum('session_status', ['scheduled', 'cancelled'])
export const sessionTrainerRole = pgEnum('session_trainer_role', ['trainer', 'lecturer'])
export const invitationStatus = pgEnum('invitation_status', ['invited', 'accepted', 'declined', 'waitlisted'])
export const attendanceStatus = pgEnum('attendance_status', ['present', 'late', 'excused', 'absent'])
export const attendanceMethod = pgEnum('attendance_method', ['qr', 'code', 'trainer'])
export const absenceRequestStatus = pgEnum('absence_request_status', ['pending', 'approved', 'rejected'])

/** One run of a programme, e.g. "2027 Q1 managers, cohort A". Cancelling it cancels its future sessions. */
export const cohorts = pgTable('cohorts', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  programme: text('programme'),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
})

/**
 * A scheduled class. Instants are timestamptz; `timeZone` (IANA name) is how people and
 * calendars see it. `icsSequence` rises on every change sent to calendars (RFC 5545 SEQUENCE).
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cohortId: uuid('cohort_id').references(() => cohorts.id),
    title: text('title').notNull(),
    /** A course reference as text until the courses domain exists. */
    courseRef: text('course_ref'),
    description: text('description'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    place: text('place'),
    onlineUrl: text('online_url'),
    /** Null: no limit. */
    capacity: integer('capacity'),
    status: sessionStatus('status').notNull().default('scheduled'),
    icsSequence: integer('ics_sequence').notNull().default(0),
    /** Check-in window and grace period in minutes; null falls back to the environment's defaults. */
    checkInOpensBefore: integer('check_in_opens_before'),
    checkInClosesAfter: integer('check_in_closes_after'),
    lateAfter: integer('late_after'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [index('sessions_starts_at_idx').on(t.startsAt), index('sessions_cohort_idx').on(t.cohortId, t.startsAt)],
)

export const sessionTrainers = pgTable(
  'session_trainers',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: sessionTrainerRole('role').notNull(),
  },
  // The user index serves "my sessions as trainer/lecturer" and the scoped permission check.
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] }), index('session_trainers_user_idx').on(t.userId)],
)

export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    status: invitationStatus('status').notNull().default('invited'),
    /** Place on the wait-list (lower comes first); null unless waitlisted. */
    position: integer('position'),
    /** SHA-256 of the emailed no-password link; cleared when used, so it works once. */
    responseTokenHash: text('response_token_hash'),
    invitedBy: uuid('invited_by').references(() => users.id),
    invitedAt: timestamp('invited_at', { withTimezone: true }).notNull().defaultNow(),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('invitations_session_user_key').on(t.sessionId, t.userId),
    uniqueIndex('invitations_token_key')
      .on(t.responseTokenHash)
      .where(sql`${t.responseTokenHash} is not null`),
    // Covers the KPI attendance lookup (person, session → status) as an index-only scan (docs/decisions/038).
    index('invitations_user_session_status_idx').on(t.userId, t.sessionId, t.status),
    index('invitations_waitlist_idx')
      .on(t.sessionId, t.position)
      .where(sql`${t.status} = 'waitlisted'`),
  ],
)

export const attendance = pgTable(
  'attendance',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    status: attendanceStatus('status').notNull(),
    method: attendanceMethod('method').notNull(),
    /** Who set the current status: the person themselves for a self check-in. */
    markedBy: uuid('marked_by').references(() => users.id),
    markedAt: timestamp('marked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The second index covers the KPI lookup (person, session → status) as an index-only scan (docs/decisions/038).
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] }), index('attendance_user_session_status_idx').on(t.userId, t.sessionId, t.status)],
)

/**
 * Invitations expected in the room (invited or accepted) with no attendance record yet, kept by
 * triggers on invitations and attendance (migration 0030, docs/decisions/069), so the homes'
 * "still unmarked" panels read a few rows instead of anti-joining every invitation ever sent. It
 * may hold a pair that was marked meanwhile (a race between two writers): readers check
 * attendance and the invitation again.
 */
export const unmarkedInvitations = pgTable(
  'unmarked_invitations',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] })],
)

/** Every change to an attendance record: who, when, from, to. Append-only. */
export const attendanceChanges = pgTable(
  'attendance_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    fromStatus: attendanceStatus('from_status'),
    toStatus: attendanceStatus('to_status').notNull(),
    method: attendanceMethod('method').notNull(),
    changedBy: uuid('changed_by').references(() => users.id),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('attendance_changes_session_user_idx').on(t.sessionId, t.userId)],
)

export const absenceRequests = pgTable(
  'absence_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    reason: text('reason').notNull(),
    status: absenceRequestStatus('status').notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    // One open request per person and session; decided ones stay as history.
    uniqueIndex('absence_requests_pending_key')
      .on(t.sessionId, t.userId)
      .where(sql`${t.status} = 'pending'`),
    index('absence_requests_user_idx').on(t.userId),
  ],
)

/** Wrong short codes typed at check-in, for rate limiting per person and session. */
export const checkInAttempts = pgTable(
  'check_in_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('check_in_attempts_session_user_at_idx').on(t.sessionId, t.userId, t.at)],
)

export const cohortsRelations = relations(cohorts, ({ many }) => ({ sessions: many(sessions) }))
export const sessionsRelations = relations(sessions, ({ one, many }) => ({
  cohort: one(cohorts, { fields: [sessions.cohortId], references: [cohorts.id] }),
  trainers: many(sessionTrainers),
  invitations: many(invitations),
  attendance: many(attendance),
}))
export const sessionTrainersRelations = relations(sessionTrainers, ({ one }) => ({
  session: one(sessions, { fields: [sessionTrainers.sessionId], references: [sessions.id] }),
  user: one(users, { fields: [sessionTrainers.userId], references: [users.id] }),
}))
export const invitationsRelations = relations(invitations, ({ one }) => ({
  session: one(sessions, { fields: [invitations.sessionId], references: [sessions.id] }),
  user: one(users, { fields: [invitations.userId], references: [users.id] }),
}))
export const attendanceRelations = relations(attendance, ({ one }) => ({
  session: one(sessions, { fields: [attendance.sessionId], references: [sessions.id] }),
  user: one(users, { fields: [attendance.userId], references: [users.id] }),
}))

export type Cohort = typeof cohorts.$inferSelect
export type Session = typeof sessions.$inferSelect
export type SessionTrainer = typeof sessionTrainers.$inferSelect
export type Invitation = typeof invitations.$inferSelect
export type Attendance = typeof attendance.$inferSelect
export type AttendanceChange = typeof attendanceChanges.$inferSelect
export type AbsenceRequest = typeof absenceRequests.$inferSelect
export type SessionStatus = (typeof sessionStatus.enumValues)[number]
export type InvitationStatus = (typeof invitationStatus.enumValues)[number]
export type AttendanceStatus = (typeof attendanceStatus.enumValues)[number]
export type AttendanceMethod = (typeof attendanceMethod.enumValues)[number]
