import { relations } from 'drizzle-orm'
import { bigserial, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { users } from './org'
import { cohorts } from './sessions'

/**
 * A study group inside a cohort. Work (submissions, grades) belongs to the group, never to its
 * members, so moving people between groups keeps every group's work.
 */
export const studyGroups = pgTable(
  'study_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cohortId: uuid('cohort_id')
      .notNull()
      .references(() => cohorts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Order on the trainer's board (1, 2, …). */
    position: integer('position').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('study_groups_cohort_idx').on(t.cohortId, t.position)],
)

/** Who is in which group; a person is in at most one group per cohort. */
export const studyGroupMembers = pgTable(
  'study_group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => studyGroups.id, { onDelete: 'cascade' }),
    cohortId: uuid('cohort_id')
      .notNull()
      .references(() => cohorts.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId] }),
    uniqueIndex('study_group_members_cohort_user_key').on(t.cohortId, t.userId),
    index('study_group_members_user_idx').on(t.userId),
  ],
)

/** The group's short discussion thread. */
export const groupMessages = pgTable(
  'group_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => studyGroups.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('group_messages_group_idx').on(t.groupId, t.createdAt)],
)

export const studyGroupsRelations = relations(studyGroups, ({ one, many }) => ({
  cohort: one(cohorts, { fields: [studyGroups.cohortId], references: [cohorts.id] }),
  members: many(studyGroupMembers),
}))
export const studyGroupMembersRelations = relations(studyGroupMembers, ({ one }) => ({
  group: one(studyGroups, { fields: [studyGroupMembers.groupId], references: [studyGroups.id] }),
  user: one(users, { fields: [studyGroupMembers.userId], references: [users.id] }),
}))

export type StudyGroup = typeof studyGroups.$inferSelect
export type StudyGroupMember = typeof studyGroupMembers.$inferSelect
export type GroupMessage = typeof groupMessages.$inferSelect
