import { eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { users } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'

/** A person's own language choice; anyone signed in may set their own. */
export async function setOwnLocale(user: CurrentUser, locale: 'zh-CN' | 'en') {
  await db.update(users).set({ locale, updatedAt: new Date() }).where(eq(users.id, user.id))
}
