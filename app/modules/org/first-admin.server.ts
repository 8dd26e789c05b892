import { and, eq } from 'drizzle-orm'
import type { Executor } from '#db/client.server'
import { userRoles, users } from '#db/schema'
import { Email, NewPassword } from '~/modules/auth/auth'
import { hashPassword } from '~/modules/auth/password.server'
import { audit } from '~/modules/audit/audit.server'
import { z } from 'zod'

const FirstAdmin = z.object({
  email: Email,
  name: z
    .string()
    .trim()
    .min(1, 'a name is required')
    .max(200, 'the name is too long')
    .refine((v) => !v.includes('\u0000'), 'the name contains a NUL byte'),
  password: NewPassword,
})

/**
 * Creates the first HR admin on a database that has none (a production deployment starts empty:
 * no demo data, no demo sign-in). Refuses once any active HR admin exists, so the command cannot
 * be used to add a back-door account later; HR admins invite everyone else from the app.
 */
export async function createFirstHrAdmin(executor: Executor, input: { email: string; name: string; password: string }) {
  const parsed = FirstAdmin.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { ok: false as const, error: `${issue.path.join('.')}: ${issue.message}` }
  }
  const { email, name, password } = parsed.data
  const passwordHash = await hashPassword(password)
  return executor.transaction(async (tx) => {
    const admins = await tx
      .select({ id: users.id })
      .from(userRoles)
      .innerJoin(users, eq(users.id, userRoles.userId))
      .where(and(eq(userRoles.role, 'hr_admin'), eq(users.active, true)))
      .limit(1)
    if (admins.length) return { ok: false as const, error: 'an HR admin already exists; HR admins invite everyone else from the app' }
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email))
    if (taken) return { ok: false as const, error: `email: ${email} belongs to an existing person` }
    const [row] = await tx.insert(users).values({ name, email, passwordHash }).returning({ id: users.id })
    await tx.insert(userRoles).values({ userId: row.id, role: 'hr_admin' })
    await audit({ actorId: row.id, action: 'auth.first_admin_created', entityType: 'user', entityId: row.id, details: { email } }, tx)
    return { ok: true as const, userId: row.id }
  })
}
