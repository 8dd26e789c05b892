import { audit } from '~/modules/audit/audit.server'
import { can, type CurrentUser, type Permission } from './permissions'

/** Throws a 403 Response (and records the denial) unless the user holds the permission. */
export async function assertCan(user: CurrentUser, permission: Permission, details?: Record<string, unknown>) {
  if (can(user, permission)) return
  await deny(user, permission, details)
}

/** Records a denied access and throws 403. For scoped checks a module makes itself. */
export async function deny(user: CurrentUser, permission: string, details?: Record<string, unknown>): Promise<never> {
  await audit({ actorId: user.id, action: 'access.denied', details: { permission, ...details } })
  throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' })
}
