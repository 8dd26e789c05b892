import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import type { Localized } from './courses'
import { users } from './org'
import { cohorts } from './sessions'
import { studyGroups } from './groups'

export const caseSource = pgEnum('case_source', ['file', 'browser'])

/**
 * A case of poor follow-up for group analysis: from content/cases (source `file`, keyed by its
 * stable id) or written in the browser. `trainerNotes` never leave the trainer-side queries.
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contentId: text('content_id').notNull(),
    source: caseSource('source').notNull(),
    /** sales, rnd, operations, remote, new-manager, manager-of-managers, other */
    function: text('function').notNull(),
    title: jsonb('title').$type<Localized>().notNull(),
    narrative: jsonb('narrative').$type<Localized>().notNull(),
    /** The key points (1–10) the case violates. */
    keyPoints: jsonb('key_points').$type<number[]>().notNull(),
    questions: jsonb('questions').$type<Localized[]>().notNull(),
    trainerNotes: jsonb('trainer_notes').$type<Localized>().notNull(),
    /** Set when HR edits an imported case in the browser: the file no longer overwrites it. */
    editedAt: timestamp('edited_at', { withTimezone: true }),
    editedBy: uuid('edited_by').references(() => users.id),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('cases_content_id_key').on(t.contentId)],
)

export type RubricLevel = { label: Localized; points: number }
export type RubricCriterion = { id: string; title: Localized; levels: RubricLevel[] }

/** A grading rubric HR defines: criteria with levels and points, and the bounds for contribution adjustment. */
export const rubrics = pgTable('rubrics', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: jsonb('name').$type<Localized>().notNull(),
  criteria: jsonb('criteria').$type<RubricCriterion[]>().notNull(),
  isDefault: boolean('is_default').notNull().default(false),
  /** An individual mark is the group mark × a factor within [min, max] percent, from contribution ratings. */
  contributionMinPercent: integer('contribution_min_percent').notNull().default(90),
  contributionMaxPercent: integer('contribution_max_percent').notNull().default(110),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** A case given to one group, with the due time (before session 2) and session-2 settings. */
export const groupAssignments = pgTable(
  'group_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cohortId: uuid('cohort_id')
      .notNull()
      .references(() => cohorts.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id')
      .notNull()
      .references(() => studyGroups.id, { onDelete: 'cascade' }),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    rubricId: uuid('rubric_id')
      .notNull()
      .references(() => rubrics.id),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    peerRatings: boolean('peer_ratings').notNull().default(false),
    contributionRatings: boolean('contribution_ratings').notNull().default(false),
    presentMinutes: integer('present_minutes').notNull().default(10),
    /** Place in the presentation order (1 first); null until set. */
    presentOrder: integer('present_order'),
    presentedAt: timestamp('presented_at', { withTimezone: true }),
    assignedBy: uuid('assigned_by').references(() => users.id),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('group_assignments_group_key').on(t.groupId), index('group_assignments_cohort_idx').on(t.cohortId)],
)

/** Every upload is a new version; the latest on time is the submission, later ones are late. */
export const submissionVersions = pgTable(
  'submission_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => groupAssignments.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    /** stored_files.id (the storage module's table). */
    fileId: uuid('file_id').notNull(),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    late: boolean('late').notNull(),
    uploadedBy: uuid('uploaded_by')
      .notNull()
      .references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('submission_versions_assignment_version_key').on(t.assignmentId, t.version)],
)

export type SlideComment = { page: number; text: string }

/** The trainer's grade of a group's submission. `version` guards against two trainers overwriting each other. */
export const grades = pgTable(
  'grades',
  {
    assignmentId: uuid('assignment_id')
      .primaryKey()
      .references(() => groupAssignments.id, { onDelete: 'cascade' }),
    /** criterion id → chosen level index */
    levels: jsonb('levels').$type<Record<string, number>>().notNull(),
    /** 0–100, from the levels' points over the rubric's maximum. */
    score: smallint('score').notNull(),
    comment: text('comment').notNull().default(''),
    slideComments: jsonb('slide_comments')
      .$type<SlideComment[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    version: integer('version').notNull().default(1),
    gradedBy: uuid('graded_by').references(() => users.id),
    gradedAt: timestamp('graded_at', { withTimezone: true }).notNull().defaultNow(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [check('grades_score_range', sql`${t.score} between 0 and 100`)],
)

/** A member of another group rates a presentation (1–5); shown to the rated group without names. */
export const peerRatings = pgTable(
  'peer_ratings',
  {
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => groupAssignments.id, { onDelete: 'cascade' }),
    raterId: uuid('rater_id')
      .notNull()
      .references(() => users.id),
    score: smallint('score').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.raterId] }), check('peer_ratings_score_range', sql`${t.score} between 1 and 5`)],
)

/** Inside a group, each member rates each other member's contribution (1–5). */
export const contributionRatings = pgTable(
  'contribution_ratings',
  {
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => groupAssignments.id, { onDelete: 'cascade' }),
    raterId: uuid('rater_id')
      .notNull()
      .references(() => users.id),
    rateeId: uuid('ratee_id')
      .notNull()
      .references(() => users.id),
    score: smallint('score').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.assignmentId, t.raterId, t.rateeId] }),
    index('contribution_ratings_ratee_idx').on(t.rateeId),
    check('contribution_ratings_score_range', sql`${t.score} between 1 and 5`),
  ],
)

export type Case = typeof cases.$inferSelect
export type Rubric = typeof rubrics.$inferSelect
export type GroupAssignment = typeof groupAssignments.$inferSelect
export type SubmissionVersion = typeof submissionVersions.$inferSelect
export type Grade = typeof grades.$inferSelect
