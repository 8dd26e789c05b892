import { sql } from 'drizzle-orm'
import { bigint, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { users } from './org'

/**
 * Every file a person uploads (slides now, role-play recordings next), whatever the backend:
 * the bytes live in the storage module (local disk or S3) under `storage_key`; this row says
 * what they are. Rows are only ever added: a new upload is a new file, never an overwrite.
 */
export const storedFiles = pgTable(
  'stored_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storageKey: text('storage_key').notNull(),
    /** What the file is for ('slides', 'roleplay-video', 'slides-preview'); decides who may read it. */
    purpose: text('purpose').notNull(),
    /** The name the person's device gave it (shown and used for downloads, never for paths). */
    name: text('name').notNull(),
    /** The type recognised from the content, not from the name. */
    mime: text('mime').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('stored_files_created_by_idx').on(t.createdBy), index('stored_files_purpose_idx').on(t.purpose)],
)
export type StoredFile = typeof storedFiles.$inferSelect

/** The PDF rendering of a file that browsers cannot show as it is (PPTX → PDF by LibreOffice). */
export const filePreviews = pgTable(
  'file_previews',
  {
    fileId: uuid('file_id')
      .primaryKey()
      .references(() => storedFiles.id, { onDelete: 'cascade' }),
    status: text('status').notNull().default('pending'),
    pdfFileId: uuid('pdf_file_id').references(() => storedFiles.id, { onDelete: 'set null' }),
    error: text('error'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('file_previews_status_check', sql`${t.status} in ('pending', 'ready', 'failed', 'unavailable')`)],
)
export type FilePreview = typeof filePreviews.$inferSelect
export type PreviewStatus = 'pending' | 'ready' | 'failed' | 'unavailable'
