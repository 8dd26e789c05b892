import { eq } from 'drizzle-orm'
import type { Executor } from '#db/client.server'
import { users } from '#db/schema'
import { env } from '~/env.server'
import { sendTemplatedEmail } from '~/modules/mail/email.server'
import { notify } from './inbox.server'

/**
 * An employee shared a check-in preparation sheet: their manager hears about it, in the app and
 * by email, once per sheet and sharing. Called in the share's transaction with the sheet's id.
 */
export async function notifyPrepSheetShared(tx: Executor, share: { sheetId: string; employeeId: string; sharedAt: Date }) {
  const [employee] = await tx.select({ name: users.name, managerId: users.managerId }).from(users).where(eq(users.id, share.employeeId))
  if (!employee?.managerId) return false
  const [manager] = await tx
    .select({ id: users.id, name: users.name, email: users.email, locale: users.locale, active: users.active })
    .from(users)
    .where(eq(users.id, employee.managerId))
  if (!manager?.active) return false
  const created = await notify(tx, {
    userId: manager.id,
    kind: 'prep_sheet_shared',
    params: { person: employee.name },
    link: '/team',
    dedupeKey: `prep_sheet_shared:${share.sheetId}:${share.sharedAt.toISOString()}`,
  })
  if (!created) return false
  const origin = (env().APP_URL ?? 'http://localhost:3000').replace(/\/$/, '')
  await sendTemplatedEmail(
    {
      to: { id: manager.id, email: manager.email, name: manager.name, locale: manager.locale },
      kind: 'prep_sheet_shared',
      vars: { name: manager.name, person: employee.name, link: `${origin}/team` },
    },
    tx,
  )
  return true
}
