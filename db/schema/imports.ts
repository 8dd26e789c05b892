import { jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { users } from './org'

export const orgImportStatus = pgEnum('org_import_status', ['previewed', 'applied', 'discarded'])

/** An org-chart upload: parsed rows kept between preview and apply, then the summary of what changed. */
export const orgImports = pgTable('org_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  actorId: uuid('actor_id')
    .notNull()
    .references(() => users.id),
  filename: text('filename').notNull(),
  rows: jsonb('rows').notNull(),
  status: orgImportStatus('status').notNull().default('previewed'),
  summary: jsonb('summary'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  appliedAt: timestamp('applied_at', { withTimezone: true }),
})

export type OrgImport = typeof orgImports.$inferSelect
