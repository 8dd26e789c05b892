import { and, count, eq, gt, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { auditEvents } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { can, type CurrentUser, type Permission } from './permissions'

/** Throws a 403 Response (and records the denial) unless the user holds the permission. */
export async function assertCan(user: CurrentUser, permission: Permission, details?: Record<string, unknown>) {
  if (can(user, permission)) return
  await deny(user, permission, details)
}

/** Denials recorded per person within the window; beyond it a loop of refused requests writes nothing more. */
export const DENIALS_AUDITED_PER_WINDOW = 20
const DENIAL_WINDOW_MINUTES = 10

/** Records a denied access (a bounded number per person and window) and throws 403. For scoped checks a module makes itself. */
export async function deny(user: CurrentUser, permission: string, details?: Record<string, unknown>): Promise<never> {
  const [recent] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.actorId, user.id),
        eq(auditEvents.action, 'access.denied'),
        gt(auditEvents.at, sql`now() - make_interval(mins => ${DENIAL_WINDOW_MINUTES})`),
      ),
    )
  if (Number(recent?.n ?? 0) < DENIALS_AUDITED_PER_WINDOW) {
    await audit({ actorId: user.id, action: 'access.denied', details: { permission, ...details } })
  }
  throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' })
}
