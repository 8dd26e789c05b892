import { jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import type { Localized } from './courses'
import { users } from './org'

export const roleplayScenarioSource = pgEnum('roleplay_scenario_source', ['file', 'browser'])

/** A part in a role-play scenario. The brief is private: only the member who plays the role sees it before the skit is done. */
export type RoleplayRole = { id: string; name: Localized; brief: Localized }

/**
 * A role-play scenario: from content/roleplays (source `file`, keyed by its stable id) or written
 * in the browser. The situation is shared by the whole group; each role's brief is private.
 */
export const roleplayScenarios = pgTable(
  'roleplay_scenarios',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contentId: text('content_id').notNull(),
    source: roleplayScenarioSource('source').notNull(),
    title: jsonb('title').$type<Localized>().notNull(),
    situation: jsonb('situation').$type<Localized>().notNull(),
    roles: jsonb('roles').$type<RoleplayRole[]>().notNull(),
    /** The follow-up key points (1–10) the group must show. */
    keyPoints: jsonb('key_points').$type<number[]>().notNull(),
    /** What trainers and observers look for; never shown to the players. */
    observerNotes: jsonb('observer_notes').$type<Localized>().notNull(),
    /** Set when HR edits an imported scenario in the browser: the file no longer overwrites it. */
    editedAt: timestamp('edited_at', { withTimezone: true }),
    editedBy: uuid('edited_by').references(() => users.id),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('roleplay_scenarios_content_id_key').on(t.contentId)],
)

export type RoleplayScenario = typeof roleplayScenarios.$inferSelect
