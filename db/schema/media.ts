import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { users } from './org'

/**
 * Images uploaded for lesson Markdown (`/media/images/<id>`). The file lives under UPLOADS_DIR,
 * named by its SHA-256, so the same image uploaded twice is stored once.
 */
export const images = pgTable(
  'images',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sha256: text('sha256').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    width: integer('width'),
    height: integer('height'),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('images_sha256_idx').on(t.sha256),
    index('images_uploaded_by_idx').on(t.uploadedBy),
    check('images_mime_check', sql`${t.mime} in ('image/png', 'image/jpeg', 'image/webp', 'image/gif')`),
  ],
)
export type Image = typeof images.$inferSelect
