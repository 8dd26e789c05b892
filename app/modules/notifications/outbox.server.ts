import { desc, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { emails } from '#db/schema'
import { isUuid } from '#db/sql-helpers'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'

export async function listOutbox(actor: CurrentUser, options: { limit?: number } = {}) {
  await assertCan(actor, 'read:outbox:all')
  return db
    .select({
      id: emails.id,
      toAddress: emails.toAddress,
      subject: emails.subject,
      kind: emails.kind,
      status: emails.status,
      createdAt: emails.createdAt,
    })
    .from(emails)
    .orderBy(desc(emails.createdAt))
    .limit(options.limit ?? 100)
}

export async function getOutboxEmail(actor: CurrentUser, id: string) {
  await assertCan(actor, 'read:outbox:all')
  if (!isUuid(id)) throw new Response('Not found', { status: 404 })
  const [row] = await db.select().from(emails).where(eq(emails.id, id))
  if (!row) throw new Response('Not found', { status: 404 })
  return row
}

/** One attachment of an outbox email, by its position; its name made safe for a download header. */
export async function getOutboxAttachment(actor: CurrentUser, id: string, index: string) {
  const email = await getOutboxEmail(actor, id)
  const position = /^\d{1,3}$/.test(index) ? Number(index) : -1
  const attachment = email.attachments?.[position]
  if (!attachment) throw new Response('Not found', { status: 404 })
  // Stored as text (calendar files); a type that could run in the browser is sent as plain bytes.
  const contentType = /^text\/calendar\b/.test(attachment.contentType) ? 'text/calendar; charset=utf-8' : 'application/octet-stream'
  const filename = attachment.filename.replace(/[\r\n"\\/]/g, '_') || 'attachment'
  return { filename, asciiName: filename.replace(/[^\x20-\x7e]/g, '_'), contentType, content: attachment.content }
}
