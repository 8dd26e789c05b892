import { and, asc, eq, sql } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { checkInReaders, userRoles, users } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { assertCan, deny } from '~/modules/auth/authorize.server'
import { can, type CurrentUser } from '~/modules/auth/permissions'
import { listSharedPrepSheets } from '~/modules/courses/progress.server'

/**
 * Who may read check-in contents (docs/follow-up-privacy.md): the check-in's manager, its
 * employee, and HR admins personally granted the right by another HR admin. Everyone else
 * gets aggregates only.
 */
export async function isContentReader(actor: CurrentUser, executor: Executor = db) {
  if (!can(actor, 'read:follow-up-content:granted')) return false
  const [row] = await executor.select({ userId: checkInReaders.userId }).from(checkInReaders).where(eq(checkInReaders.userId, actor.id))
  return Boolean(row)
}

export async function assertContentReader(actor: CurrentUser, details?: Record<string, unknown>) {
  if (await isContentReader(actor)) return
  await deny(actor, 'read:follow-up-content:granted', details)
}

/** HR admins, each with whether they hold the grant. */
export async function listContentReaders(actor: CurrentUser) {
  await assertCan(actor, 'grant:follow-up-content:all')
  return db
    .select({ id: users.id, name: users.name, email: users.email, grantedAt: checkInReaders.grantedAt })
    .from(users)
    .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, 'hr_admin')))
    .leftJoin(checkInReaders, eq(checkInReaders.userId, users.id))
    .where(eq(users.active, true))
    .orderBy(asc(users.name))
}

/** Grants or revokes the right to read check-in contents. Never to oneself: a second HR admin decides. */
export async function setContentReader(actor: CurrentUser, userId: string, granted: boolean, ip?: string) {
  await assertCan(actor, 'grant:follow-up-content:all')
  if (userId === actor.id) return { ok: false as const, error: 'followup.grants.notSelf' }
  return db.transaction(async (tx) => {
    const [target] = await tx
      .select({ id: users.id })
      .from(users)
      .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, 'hr_admin')))
      .where(and(eq(users.id, userId), eq(users.active, true)))
    if (!target) return { ok: false as const, error: 'followup.grants.notHr' }
    if (granted) await tx.insert(checkInReaders).values({ userId, grantedBy: actor.id }).onConflictDoNothing()
    else await tx.delete(checkInReaders).where(eq(checkInReaders.userId, userId))
    await audit({ actorId: actor.id, action: granted ? 'follow_up.reader_granted' : 'follow_up.reader_revoked', entityType: 'user', entityId: userId, ip }, tx)
    return { ok: true as const }
  })
}

/**
 * The employee's preparation sheet as shared with this manager, or null. The one place the
 * follow-up domain reads prep sheets: it asks the courses domain, which decides what sharing shows.
 */
export async function sharedPrepSheetFor(manager: CurrentUser, employeeId: string) {
  const sheets = await listSharedPrepSheets(manager)
  return sheets.find((s) => s.userId === employeeId) ?? null
}

/** The ids of the people whose manager is `managerId` (active). */
export async function directReportIds(executor: Executor, managerId: string) {
  const rows = await executor
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.managerId, managerId), sql`${users.active}`))
  return rows.map((r) => r.id)
}
