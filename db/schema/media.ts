import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { storedFiles } from './files'
import { users } from './org'

/**
 * Images uploaded for lesson Markdown (`/media/images/<id>`). The bytes are a stored file in the
 * one storage (`file_id`, docs/decisions/047); the same image uploaded twice is stored once (SHA-256).
 * Rows from before the move have no file until start-up moves `UPLOADS_DIR/images/<sha256>` in.
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
    fileId: uuid('file_id').references(() => storedFiles.id),
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
