// Shared by the org people tests (people.server.test.ts, people-invite.server.test.ts).
import { and, eq } from 'drizzle-orm'
import { expect } from 'vitest'
import { db } from '#db/client.server'
import { auditEvents, userRoles, users } from '#db/schema'
import type { Role } from '~/modules/auth/permissions'
import type { PersonInput } from '~/modules/org/org'
import type { listPeople } from '~/modules/org/people.server'
import { createPerson } from './fixtures'

/** The people list's filters: active people, first page, unless told otherwise. */
export const filters = (f: Partial<Parameters<typeof listPeople>[1]> = {}) => ({ status: 'active' as const, page: 1, ...f })

export async function hrAdmin(extra: Role[] = []) {
  return createPerson({ roles: ['hr_admin', ...extra] })
}

/** The person as the edit form would submit them unchanged. */
export async function formOf(id: string): Promise<PersonInput> {
  const [u] = await db.select().from(users).where(eq(users.id, id))
  const roles = (await db.select().from(userRoles).where(eq(userRoles.userId, id))).map((r) => r.role)
  return {
    name: u.name,
    email: u.email,
    employeeNumber: u.employeeNumber ?? undefined,
    departmentId: u.departmentId ?? undefined,
    managerId: u.managerId ?? undefined,
    locale: u.locale ?? undefined,
    roles,
  }
}

export async function auditFor(entityId: string, action?: string) {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityId, entityId), action ? eq(auditEvents.action, action) : undefined))
    .orderBy(auditEvents.id)
}

async function rejection(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected the call to be refused')
    },
    (error: unknown) => error,
  )
}

/** The call is refused with a thrown Response of this status. */
export async function expectStatus(promise: Promise<unknown>, status: number) {
  const error = await rejection(promise)
  expect(error).toBeInstanceOf(Response)
  expect((error as Response).status).toBe(status)
}
