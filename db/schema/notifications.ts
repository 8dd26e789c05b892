import { index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { localeEnum, users } from './org'

export const emailStatus = pgEnum('email_status', ['queued', 'sent', 'failed', 'outbox'])

/** Every email the app sends. Without SMTP_URL it stays here with status `outbox` for HR to read. */
export const emails = pgTable(
  'emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    toAddress: text('to_address').notNull(),
    toUserId: uuid('to_user_id').references(() => users.id),
    locale: localeEnum('locale').notNull(),
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html'),
    attachments: jsonb('attachments').$type<{ filename: string; contentType: string; content: string }[]>(),
    status: emailStatus('status').notNull().default('queued'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('emails_created_idx').on(t.createdAt)],
)

export type Email = typeof emails.$inferSelect
