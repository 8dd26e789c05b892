import { and, desc, eq, ilike, lt, or, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { auditEvents, users } from '#db/schema'
import { containsPattern } from '#db/sql-helpers'
import { assertCan } from './authorize.server'
import type { CurrentUser } from './permissions'

/* Reading the audit log is an HR admin's security task: it lives with the permissions, so the
   audit writer (which every domain calls) depends on nothing. */

const PAGE_SIZE = 50

/** The audit log, newest first, for HR admins. Keyset-paginated by id. */
export async function listAuditEvents(actor: CurrentUser, filters: { action?: string; q?: string; before?: number }) {
  await assertCan(actor, 'read:audit:all')
  const conditions = [
    filters.action ? eq(auditEvents.action, filters.action) : undefined,
    filters.before ? lt(auditEvents.id, filters.before) : undefined,
    filters.q
      ? or(ilike(users.name, containsPattern(filters.q)), ilike(users.email, containsPattern(filters.q)), eq(auditEvents.entityId, filters.q))
      : undefined,
  ].filter(Boolean)
  const rows = await db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      action: auditEvents.action,
      entityType: auditEvents.entityType,
      entityId: auditEvents.entityId,
      before: auditEvents.before,
      after: auditEvents.after,
      details: auditEvents.details,
      ip: auditEvents.ip,
      actorName: users.name,
      actorEmail: users.email,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditEvents.id))
    .limit(PAGE_SIZE + 1)
  const actions = await db
    .selectDistinct({ action: auditEvents.action })
    .from(auditEvents)
    .orderBy(sql`1`)
  return {
    events: rows.slice(0, PAGE_SIZE),
    nextBefore: rows.length > PAGE_SIZE ? rows[PAGE_SIZE - 1].id : null,
    actions: actions.map((a) => a.action),
  }
}
