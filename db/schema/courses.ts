import { relations, sql } from 'drizzle-orm'
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { departments, roleEnum, users } from './org'

export const courseAudience = pgEnum('course_audience', ['managers', 'employees'])
export const courseStatus = pgEnum('course_status', ['draft', 'published'])
export const moduleKind = pgEnum('module_kind', ['lesson', 'quiz', 'prep_sheet', 'video', 'session', 'case_study', 'roleplay'])
export const progressStatus = pgEnum('module_progress_status', ['in_progress', 'completed'])

export type Localized = { en: string; 'zh-CN': string }

/** A course, imported from content/courses (keyed by its stable `content_id`) or authored in the app. */
export const courses = pgTable(
  'courses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The stable id from course.yaml; also the course's address in URLs. */
    contentId: text('content_id').notNull(),
    audience: courseAudience('audience').notNull(),
    title: jsonb('title').$type<Localized>().notNull(),
    description: jsonb('description').$type<Localized>().notNull(),
    estimatedMinutes: integer('estimated_minutes').notNull(),
    status: courseStatus('status').notNull().default('draft'),
    /** Hash of the imported course.yaml fields: an unchanged file changes nothing. */
    contentHash: text('content_hash'),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('courses_content_id_key').on(t.contentId)],
)

export type QuizQuestionSnapshot = {
  id: string
  type: 'single' | 'multiple' | 'true_false' | 'scenario'
  scenario?: Localized
  prompt: Localized
  options: { id: string; text: Localized }[]
  answer: string[]
  explanation: Localized
}
export type QuizSettings = { passMark: number; maxAttempts: number; scoring: 'best' | 'last'; questions: QuizQuestionSnapshot[] }
export type PrepSheetSettings = { fields: { id: string; label: Localized; help: Localized; multiline: boolean }[] }
/** `ref`: the video id (video), the sessions' course reference (session), or a placeholder's reference; `pair`: a video's pair. */
export type PlaceholderSettings = { ref?: string; pair?: string }
export type ModuleSettings = Partial<QuizSettings> & Partial<PrepSheetSettings> & PlaceholderSettings

/**
 * A module of a course. Removed modules are retired (kept, so progress and attempts keep their
 * history); `version` rises on every content change so attempts can say what they were taken with.
 */
export const courseModules = pgTable(
  'course_modules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courseId: uuid('course_id')
      .notNull()
      .references(() => courses.id),
    /** The stable module id from module.yaml, unique within the course; the module's address in URLs. */
    contentId: text('content_id').notNull(),
    position: integer('position').notNull(),
    kind: moduleKind('kind').notNull(),
    title: jsonb('title').$type<Localized>().notNull(),
    body: jsonb('body').$type<Localized>(),
    settings: jsonb('settings').$type<ModuleSettings>().notNull().default({}),
    required: boolean('required').notNull().default(true),
    estimatedMinutes: integer('estimated_minutes').notNull(),
    keyPoints: integer('key_points')
      .array()
      .notNull()
      .default(sql`'{}'::integer[]`),
    version: integer('version').notNull().default(1),
    contentHash: text('content_hash'),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('course_modules_course_content_key').on(t.courseId, t.contentId), index('course_modules_course_position_idx').on(t.courseId, t.position)],
)

/**
 * Who must take a course. A person matches when listed in `user_ids`, or when they hold one of
 * `roles` (if given) and sit in the `department_id` subtree (if given). Unassigning keeps the row.
 */
export const courseAssignments = pgTable(
  'course_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courseId: uuid('course_id')
      .notNull()
      .references(() => courses.id),
    roles: roleEnum('roles').array(),
    departmentId: uuid('department_id').references(() => departments.id),
    userIds: uuid('user_ids').array(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    unassignedAt: timestamp('unassigned_at', { withTimezone: true }),
    unassignedBy: uuid('unassigned_by').references(() => users.id),
  },
  (t) => [
    index('course_assignments_course_idx').on(t.courseId),
    index('course_assignments_active_idx')
      .on(t.courseId)
      .where(sql`${t.unassignedAt} is null`),
  ],
)

/** A person taking a course: one row per course and person, kept (with `unenrolled_at`) when unassigned. */
export const enrolments = pgTable(
  'enrolments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courseId: uuid('course_id')
      .notNull()
      .references(() => courses.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    assignmentId: uuid('assignment_id').references(() => courseAssignments.id),
    dueAt: timestamp('due_at', { withTimezone: true }),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    unenrolledAt: timestamp('unenrolled_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('enrolments_course_user_key').on(t.courseId, t.userId),
    index('enrolments_user_idx').on(t.userId),
    index('enrolments_assignment_idx').on(t.assignmentId),
    index('enrolments_course_completed_idx').on(t.courseId, t.completedAt),
  ],
)

/** Where a person is in one module. No row means not started. */
export const moduleProgress = pgTable(
  'module_progress',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => enrolments.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    moduleId: uuid('module_id')
      .notNull()
      .references(() => courseModules.id),
    status: progressStatus('status').notNull().default('in_progress'),
    /** How far the lesson was read, in percent of its height, to resume there. */
    lastPosition: integer('last_position').notNull().default(0),
    lastViewedAt: timestamp('last_viewed_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** The module version that was completed. */
    completedVersion: integer('completed_version'),
  },
  (t) => [uniqueIndex('module_progress_user_module_key').on(t.userId, t.moduleId), index('module_progress_enrolment_idx').on(t.enrolmentId)],
)

export type QuizAnswers = Record<string, string[]>

/** One attempt at a quiz, with the questions as they were when it started: scoring never reads the live module. */
export const quizAttempts = pgTable(
  'quiz_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    moduleId: uuid('module_id')
      .notNull()
      .references(() => courseModules.id),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => enrolments.id),
    attemptNumber: integer('attempt_number').notNull(),
    moduleVersion: integer('module_version').notNull(),
    snapshot: jsonb('snapshot').$type<QuizSettings>().notNull(),
    answers: jsonb('answers').$type<QuizAnswers>(),
    /** Percent, 0–100, rounded down. */
    score: integer('score'),
    correctCount: integer('correct_count'),
    passed: boolean('passed'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('quiz_attempts_user_module_number_key').on(t.userId, t.moduleId, t.attemptNumber)],
)

/** One more attempt at a quiz, granted by HR to a person who used them all (the audit log has who and why). */
export const quizAttemptGrants = pgTable(
  'quiz_attempt_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    moduleId: uuid('module_id')
      .notNull()
      .references(() => courseModules.id),
    grantedBy: uuid('granted_by')
      .notNull()
      .references(() => users.id),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('quiz_attempt_grants_user_module_idx').on(t.userId, t.moduleId)],
)

/**
 * An employee's check-in preparation sheet. `answers` is the employee's working draft, never shown
 * to anyone else; sharing publishes a snapshot (`sharedAnswers`) to the manager of that moment
 * (`sharedWithManagerId`), which only that manager sees.
 */
export const prepSheets = pgTable(
  'prep_sheets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    moduleId: uuid('module_id')
      .notNull()
      .references(() => courseModules.id),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => enrolments.id),
    answers: jsonb('answers').$type<Record<string, string>>().notNull().default({}),
    sharedWithManagerAt: timestamp('shared_with_manager_at', { withTimezone: true }),
    sharedAnswers: jsonb('shared_answers').$type<Record<string, string>>(),
    sharedWithManagerId: uuid('shared_with_manager_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('prep_sheets_user_module_key').on(t.userId, t.moduleId), index('prep_sheets_shared_idx').on(t.userId, t.sharedWithManagerAt)],
)

export const coursesRelations = relations(courses, ({ many }) => ({
  modules: many(courseModules),
  assignments: many(courseAssignments),
  enrolments: many(enrolments),
}))

export const courseModulesRelations = relations(courseModules, ({ one }) => ({
  course: one(courses, { fields: [courseModules.courseId], references: [courses.id] }),
}))

export const courseAssignmentsRelations = relations(courseAssignments, ({ one, many }) => ({
  course: one(courses, { fields: [courseAssignments.courseId], references: [courses.id] }),
  department: one(departments, { fields: [courseAssignments.departmentId], references: [departments.id] }),
  enrolments: many(enrolments),
}))

export const enrolmentsRelations = relations(enrolments, ({ one, many }) => ({
  course: one(courses, { fields: [enrolments.courseId], references: [courses.id] }),
  user: one(users, { fields: [enrolments.userId], references: [users.id] }),
  assignment: one(courseAssignments, { fields: [enrolments.assignmentId], references: [courseAssignments.id] }),
  progress: many(moduleProgress),
}))

export const moduleProgressRelations = relations(moduleProgress, ({ one }) => ({
  enrolment: one(enrolments, { fields: [moduleProgress.enrolmentId], references: [enrolments.id] }),
  module: one(courseModules, { fields: [moduleProgress.moduleId], references: [courseModules.id] }),
}))

export type CourseRow = typeof courses.$inferSelect
export type CourseModule = typeof courseModules.$inferSelect
export type CourseAssignment = typeof courseAssignments.$inferSelect
export type Enrolment = typeof enrolments.$inferSelect
export type ModuleProgress = typeof moduleProgress.$inferSelect
export type QuizAttempt = typeof quizAttempts.$inferSelect
export type PrepSheet = typeof prepSheets.$inferSelect
