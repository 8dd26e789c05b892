import { db, type Executor } from '#db/client.server'
import { auditEvents } from '#db/schema'

export type AuditEntry = {
  actorId?: string | null
  action: string
  entityType?: string
  entityId?: string
  before?: unknown
  after?: unknown
  ip?: string | null
  details?: unknown
}

/** Appends an audit event; pass the transaction so the event commits with the change it records. */
export async function audit(entry: AuditEntry, executor: Executor = db) {
  await executor.insert(auditEvents).values({
    actorId: entry.actorId ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    ip: entry.ip ?? null,
    details: entry.details ?? null,
  })
}
