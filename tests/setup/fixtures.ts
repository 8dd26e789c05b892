import { randomUUID } from 'node:crypto'
import { db } from '#db/client.server'
import { userRoles, users } from '#db/schema'
import { hashPassword } from '~/modules/auth/password.server'
import type { CurrentUser, Role } from '~/modules/auth/permissions'
import { createSession } from '~/modules/auth/session.server'

let counter = 0
let passwordHash: Promise<string> | undefined
export const TEST_PASSWORD = 'correct-horse-battery'

/** Inserts a person with the given roles and returns them as the app sees a signed-in user. */
export async function createPerson(
  options: { roles?: Role[]; name?: string; email?: string; employeeNumber?: string; departmentId?: string; managerId?: string; active?: boolean } = {},
): Promise<CurrentUser> {
  counter++
  passwordHash ??= hashPassword(TEST_PASSWORD)
  const [row] = await db
    .insert(users)
    .values({
      name: options.name ?? `Person ${counter}`,
      email: options.email ?? `person-${counter}-${randomUUID().slice(0, 8)}@example.test`,
      employeeNumber: options.employeeNumber ?? null,
      departmentId: options.departmentId ?? null,
      managerId: options.managerId ?? null,
      active: options.active ?? true,
      passwordHash: await passwordHash,
    })
    .returning()
  const roles = options.roles ?? ['employee']
  if (roles.length) await db.insert(userRoles).values(roles.map((role) => ({ userId: row.id, role })))
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    locale: row.locale,
    roles,
    departmentId: row.departmentId,
    managerId: row.managerId,
    sessionId: randomUUID(),
  }
}

/** The `name=value` pair of a Set-Cookie header, ready for a Cookie header. */
export function cookiePair(setCookie: string) {
  return setCookie.split(';')[0]
}

/** A request made by a signed-in person (a real server-side session). */
export async function requestAs(person: { id: string } | null, url: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers)
  if (person) headers.set('Cookie', cookiePair(await createSession(person.id, { ip: '127.0.0.1', userAgent: 'vitest' })))
  return new Request(new URL(url, 'http://localhost'), { ...init, headers })
}

/** A form POST as a signed-in person. */
export async function postAs(person: { id: string } | null, url: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item)
  return requestAs(person, url, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
}

/** Runs a loader or action: what it returns, or the Response it throws (redirects, 403s, 404s). */
export async function settle(run: () => Promise<unknown>) {
  try {
    return await run()
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    throw thrown
  }
}
