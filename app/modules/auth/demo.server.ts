import { and, eq, inArray } from 'drizzle-orm'
import { db } from '#db/client.server'
import { users } from '#db/schema'
import { DEMO_ACCOUNTS } from '#db/seed/demo-accounts'
import { env } from '~/env.server'
import { audit } from '~/modules/audit/audit.server'
import { createSession } from './session.server'

function assertDemoMode() {
  // Never in a production build started without DEMO_MODE: the page does not exist then.
  if (!env().DEMO_MODE) throw new Response('Not found', { status: 404 })
}

/** One-click sign-in as a seeded person, only while demo mode is on. */
export const demoSignIn = {
  async accounts() {
    assertDemoMode()
    const present = await db
      .select({ email: users.email })
      .from(users)
      .where(
        and(
          inArray(
            users.email,
            DEMO_ACCOUNTS.map((a) => a.email),
          ),
          eq(users.active, true),
        ),
      )
    const emails = new Set(present.map((p) => p.email))
    return DEMO_ACCOUNTS.filter((a) => emails.has(a.email))
  },
  async signIn(email: string, meta: { ip: string; userAgent: string | null }) {
    assertDemoMode()
    const [user] = await db
      .select()
      .from(users)
      .where(and(eq(users.email, email), eq(users.active, true)))
    if (!user) throw new Response('Not found', { status: 404 })
    await audit({ actorId: user.id, action: 'auth.sign_in', entityType: 'user', entityId: user.id, ip: meta.ip, details: { email, outcome: 'demo' } })
    return createSession(user.id, meta)
  },
}
