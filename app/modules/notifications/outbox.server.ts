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
