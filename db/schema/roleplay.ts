import {
  type AnyPgColumn,
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { users } from './org'
import { cohorts, sessions } from './sessions'
import { studyGroups } from './groups'
import { roleplayScenarios } from './roleplay-scenarios'
import { videos } from './videos'

/**
 * A role-play scenario given to one study group for a classroom session: the skit is recorded
 * (uploaded before `dueAt`) or performed live in that session, then reviewed.
 */
export const roleplayAssignments = pgTable(
  'roleplay_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cohortId: uuid('cohort_id')
      .notNull()
      .references(() => cohorts.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id')
      .notNull()
      .references(() => studyGroups.id, { onDelete: 'cascade' }),
    scenarioId: uuid('scenario_id')
      .notNull()
      .references(() => roleplayScenarios.id),
    /** The classroom session the skit belongs to (reminders for self-study count back from its start). */
    sessionId: uuid('session_id').references(() => sessions.id, { onDelete: 'set null' }),
    /** A recording must arrive before this; later ones are late. */
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    /** Set when the trainer marks the skit performed live in class (no recording needed). */
    performedLiveAt: timestamp('performed_live_at', { withTimezone: true }),
    assignedBy: uuid('assigned_by').references(() => users.id),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('roleplay_assignments_group_key').on(t.groupId), index('roleplay_assignments_cohort_idx').on(t.cohortId)],
)

/** Who plays which role of the scenario (RoleplayRole.id); a member sees only their own role's brief. */
export const roleplayCastings = pgTable(
  'roleplay_castings',
  {
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => roleplayAssignments.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    roleId: text('role_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.userId] }), index('roleplay_castings_user_idx').on(t.userId)],
)

export const roleplayRecordingStatus = pgEnum('roleplay_recording_status', ['processing', 'ready', 'refused'])

/** Every submitted recording is a new version; all are kept until the review is released. */
export const roleplayRecordings = pgTable(
  'roleplay_recordings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => roleplayAssignments.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    /** stored_files.id (the storage module's table); null for a Mux direct upload. */
    fileId: uuid('file_id'),
    muxUploadId: text('mux_upload_id'),
    muxAssetId: text('mux_asset_id'),
    muxPlaybackId: text('mux_playback_id'),
    /** 'signed' (tokens from the server) or 'public', as Mux reports it with the playback id. */
    muxPlaybackPolicy: text('mux_playback_policy'),
    mime: text('mime'),
    /** From the container, measured on the server (never the browser's word). */
    durationSeconds: integer('duration_seconds'),
    status: roleplayRecordingStatus('status').notNull().default('processing'),
    submittedBy: uuid('submitted_by')
      .notNull()
      .references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    /** The teaching video this recording became (with every player's consent), if any. */
    promotedVideoId: text('promoted_video_id').references(() => videos.id, { onDelete: 'set null' }),
  },
  (t) => [uniqueIndex('roleplay_recordings_version_key').on(t.assignmentId, t.version)],
)

/**
 * A member's consent that this recording may be shown beyond the group, as a teaching example in
 * the video library. Taking it back deletes the row (audited); a promoted recording keeps its video.
 */
export const roleplayRecordingConsents = pgTable(
  'roleplay_recording_consents',
  {
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => roleplayRecordings.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    consentedAt: timestamp('consented_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.recordingId, t.userId] })],
)

export const roleplayReviewMode = pgEnum('roleplay_review_mode', ['recording', 'live'])

/**
 * The trainer's review of a group's skit: rubric levels on the ten key points and a summary, for a
 * recording or for a skit scored live in class. Members see it (and the comments) once released.
 */
export const roleplayReviews = pgTable('roleplay_reviews', {
  assignmentId: uuid('assignment_id')
    .primaryKey()
    .references(() => roleplayAssignments.id, { onDelete: 'cascade' }),
  mode: roleplayReviewMode('mode').notNull(),
  /** The recording reviewed (mode `recording`). */
  recordingId: uuid('recording_id').references(() => roleplayRecordings.id),
  /** key point (1–10, as text) → level index (0 lowest) */
  levels: jsonb('levels').$type<Record<string, number>>().notNull().default({}),
  /** 0–100 from the levels; null until every key point has a level. */
  score: smallint('score'),
  summary: text('summary').notNull().default(''),
  reviewerId: uuid('reviewer_id').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  releasedAt: timestamp('released_at', { withTimezone: true }),
})

export const roleplayCommentTone = pgEnum('roleplay_comment_tone', ['praise', 'correction', 'reply'])

/** A time-coded comment on a recording (or a reply to one). */
export const roleplayComments = pgTable(
  'roleplay_comments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => roleplayRecordings.id, { onDelete: 'cascade' }),
    /** Replies point at the comment they answer and carry no time of their own. */
    parentId: bigint('parent_id', { mode: 'number' }).references((): AnyPgColumn => roleplayComments.id, { onDelete: 'cascade' }),
    atMs: integer('at_ms'),
    tone: roleplayCommentTone('tone').notNull(),
    keyPoints: jsonb('key_points').$type<number[]>().notNull().default([]),
    body: text('body').notNull(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
  },
  (t) => [index('roleplay_comments_recording_idx').on(t.recordingId, t.atMs)],
)

export const roleplayStudyItemKind = pgEnum('roleplay_study_item_kind', ['course_module', 'file', 'video'])

/** The self-study pack the trainer gives a group: course lessons, files and library videos, in order. */
export const roleplayStudyItems = pgTable(
  'roleplay_study_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => roleplayAssignments.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    kind: roleplayStudyItemKind('kind').notNull(),
    /** course_modules.id, stored_files.id or videos.id, by kind. */
    ref: text('ref').notNull(),
  },
  (t) => [index('roleplay_study_items_assignment_idx').on(t.assignmentId, t.position)],
)

/** Who opened and who finished each self-study item. */
export const roleplayStudyProgress = pgTable(
  'roleplay_study_progress',
  {
    itemId: uuid('item_id')
      .notNull()
      .references(() => roleplayStudyItems.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.userId] }), index('roleplay_study_progress_user_idx').on(t.userId)],
)

export type RoleplayAssignment = typeof roleplayAssignments.$inferSelect
export type RoleplayRecording = typeof roleplayRecordings.$inferSelect
export type RoleplayReview = typeof roleplayReviews.$inferSelect
export type RoleplayComment = typeof roleplayComments.$inferSelect
export type RoleplayStudyItem = typeof roleplayStudyItems.$inferSelect
