import { and, asc, count, eq, ilike, inArray, isNull, ne, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { departments, userRoles, users } from '#db/schema'
import { containsPattern, inSubtree, isUuid } from '#db/sql-helpers'
import { audit } from '~/modules/audit/audit.server'
import { INVITATION_TTL_DAYS } from '~/modules/auth/auth.server'
import { assertCan, deny } from '~/modules/auth/authorize.server'
import { hasRole, type CurrentUser, type Role } from '~/modules/auth/permissions'
import { endAllSessions } from '~/modules/auth/session.server'
import { issueOneTimeToken } from '~/modules/auth/tokens.server'
import { sendTemplatedEmail } from '~/modules/mail/email.server'
import { treeOrder } from './departments.server'
import type { PeopleFilters, PersonInput } from './org'
import { emit } from '~/shared/events.server'

export const PAGE_SIZE = 25

// Subqueries name the outer table explicitly: drizzle leaves columns unqualified in a select
// without joins, and a bare "id" inside a subquery would bind to the subquery's own table.
const rolesOfUser = sql<Role[]>`coalesce((select array_agg(r.role::text order by r.role) from ${userRoles} r where r.user_id = ${users}.id), '{}')`

// `alias`, not `aliasedTable`: with the latter drizzle types a self-join's rows as never.
const managers = alias(users, 'managers')

const notFound = () => new Response('Not found', { status: 404 })

/**
 * Serialises changes to who reports to whom and who is an HR admin. Each check (last admin,
 * reporting cycle, unique email) reads other rows, so two concurrent edits could each pass
 * and together break the rule; HR edits are rare enough to take turns.
 */
async function lockOrgChanges(tx: Executor) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('genjin:org-changes'))`)
}

/** Search and filter people (HR admins). A department filter includes its whole subtree. */
export async function listPeople(actor: CurrentUser, filters: PeopleFilters) {
  await assertCan(actor, 'manage:people:all')
  const subtree = filters.department
    ? sql`${users}.department_id in (select d.id from ${departments} d, ${departments} root where root.id = ${filters.department} and ${inSubtree(sql.raw('d.path'), sql.raw('root.path'))})`
    : undefined
  const pattern = filters.q ? containsPattern(filters.q) : undefined
  const where = and(
    pattern ? or(ilike(users.name, pattern), ilike(users.email, pattern), ilike(users.employeeNumber, pattern)) : undefined,
    subtree,
    filters.role ? sql`exists (select 1 from ${userRoles} r where r.user_id = ${users}.id and r.role = ${filters.role})` : undefined,
    filters.status === 'all' ? undefined : eq(users.active, filters.status === 'active'),
  )
  const [{ total }] = await db.select({ total: count() }).from(users).where(where)
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      employeeNumber: users.employeeNumber,
      active: users.active,
      departmentPath: departments.path,
      managerName: managers.name,
      roles: rolesOfUser,
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
    })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .leftJoin(managers, eq(managers.id, users.managerId))
    .where(where)
    .orderBy(asc(departments.path), asc(users.name))
    .limit(PAGE_SIZE)
    .offset((filters.page - 1) * PAGE_SIZE)
  return { people: rows.map((row) => ({ ...row, roles: parseRoles(row.roles) })), total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) }
}

/** postgres.js and PGlite return text[] as an array; normalise a `{a,b}` literal just in case. */
function parseRoles(value: unknown): Role[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.replace(/[{}]/g, '').split(',').filter(Boolean) : []
  return list as Role[]
}

export async function getPerson(actor: CurrentUser, id: string) {
  await assertCan(actor, 'manage:people:all')
  if (!isUuid(id)) throw notFound()
  const [row] = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      employeeNumber: users.employeeNumber,
      locale: users.locale,
      active: users.active,
      departmentId: users.departmentId,
      managerId: users.managerId,
      managerName: managers.name,
      departmentPath: departments.path,
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
      accessEndsAt: users.accessEndsAt,
      roles: rolesOfUser,
    })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .leftJoin(managers, eq(managers.id, users.managerId))
    .where(eq(users.id, id))
  if (!row) throw notFound()
  const reports = await db.select({ id: users.id, name: users.name, active: users.active }).from(users).where(eq(users.managerId, id)).orderBy(asc(users.name))
  return { ...row, roles: parseRoles(row.roles), reports }
}

/** Options for the manager and department pickers. */
export async function listPickerOptions(actor: CurrentUser) {
  await assertCan(actor, 'manage:people:all')
  const [people, depts] = await Promise.all([
    db.select({ id: users.id, name: users.name, employeeNumber: users.employeeNumber }).from(users).where(eq(users.active, true)).orderBy(asc(users.name)),
    db.select({ id: departments.id, path: departments.path }).from(departments).orderBy(treeOrder),
  ])
  return { people, departments: depts }
}

export type FieldErrors = Partial<Record<keyof PersonInput | 'form', string>>

/** Would making `managerId` the manager of `personId` close a loop? Walks up the chain in SQL. */
async function createsCycle(executor: Executor, personId: string, managerId: string) {
  if (personId === managerId) return true
  const result = await executor.execute(sql`
    with recursive chain(id, depth) as (
      select ${managerId}::uuid, 0
      union all
      select u.manager_id, c.depth + 1 from ${users} u join chain c on u.id = c.id
      where u.manager_id is not null and c.depth < 1000
    )
    select exists (select 1 from chain where id = ${personId}::uuid) as "cycle"`)
  return parseRows(z.object({ cycle: column.boolean }), result)[0].cycle
}

async function uniquenessErrors(executor: Executor, input: PersonInput, exceptId?: string): Promise<FieldErrors> {
  const errors: FieldErrors = {}
  const clash = await executor
    .select({ id: users.id, email: users.email, employeeNumber: users.employeeNumber })
    .from(users)
    .where(
      and(
        or(eq(users.email, input.email), input.employeeNumber ? eq(users.employeeNumber, input.employeeNumber) : undefined),
        exceptId ? ne(users.id, exceptId) : undefined,
      ),
    )
  if (clash.some((c) => c.email === input.email)) errors.email = 'people.emailTaken'
  if (input.employeeNumber && clash.some((c) => c.employeeNumber === input.employeeNumber)) errors.employeeNumber = 'people.numberTaken'
  return errors
}

/**
 * The chosen department and manager must exist; a newly chosen manager must be active (someone
 * whose manager has left can still be edited without choosing a new one at the same time).
 */
async function referenceErrors(executor: Executor, input: PersonInput, currentManagerId?: string | null): Promise<FieldErrors> {
  const errors: FieldErrors = {}
  if (input.departmentId) {
    const [dept] = await executor.select({ id: departments.id }).from(departments).where(eq(departments.id, input.departmentId))
    if (!dept) errors.departmentId = 'errors.invalid'
  }
  if (input.managerId && input.managerId !== currentManagerId) {
    const [manager] = await executor.select({ active: users.active }).from(users).where(eq(users.id, input.managerId))
    if (!manager) errors.managerId = 'errors.invalid'
    else if (!manager.active) errors.managerId = 'admin.managerInactive'
  }
  return errors
}

async function activeAdminCount(executor: Executor, exceptId: string) {
  const [row] = await executor
    .select({ n: count() })
    .from(users)
    .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, 'hr_admin')))
    .where(and(eq(users.active, true), ne(users.id, exceptId)))
  return Number(row.n)
}

/** Replaces a person's roles, auditing each grant and revocation. */
export async function setRoles(executor: Executor, actor: CurrentUser | null, userId: string, next: Role[], ip?: string) {
  const current = (await executor.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId))).map((r) => r.role)
  const granted = next.filter((r) => !current.includes(r))
  const revoked = current.filter((r) => !next.includes(r))
  if (revoked.length) await executor.delete(userRoles).where(and(eq(userRoles.userId, userId), inArray(userRoles.role, revoked)))
  if (granted.length) await executor.insert(userRoles).values(granted.map((role) => ({ userId, role })))
  if (granted.length || revoked.length) {
    // Only external lecturers' access ends by itself; gaining or losing another role changes that (sessions listens).
    await emit(executor, 'org.roles-changed', { userIds: [userId] })
    await audit(
      { actorId: actor?.id ?? null, action: 'role.changed', entityType: 'user', entityId: userId, before: { roles: current }, after: { roles: next }, ip },
      executor,
    )
  }
  return { granted, revoked }
}

/**
 * HR edits a person. Empty optional fields clear the value (no language = follow the browser).
 * Role changes and changed fields are audited; a reporting cycle, a clash or removing the last
 * active HR admin is a field error and nothing is saved.
 */
export async function updatePerson(actor: CurrentUser, id: string, input: PersonInput, ip?: string) {
  await assertCan(actor, 'manage:people:all')
  if (!isUuid(id)) throw notFound()
  return db.transaction(async (tx) => {
    await lockOrgChanges(tx)
    const [before] = await tx.select().from(users).where(eq(users.id, id))
    if (!before) throw notFound()
    const errors = { ...(await uniquenessErrors(tx, input, id)), ...(await referenceErrors(tx, input, before.managerId)) }
    if (input.managerId === id) errors.managerId = 'people.selfManager'
    else if (input.managerId && !errors.managerId && (await createsCycle(tx, id, input.managerId))) errors.managerId = 'people.managerCycle'
    if (!input.roles.includes('hr_admin') && before.active && (await activeAdminCount(tx, id)) === 0) {
      const wasAdmin =
        (
          await tx
            .select()
            .from(userRoles)
            .where(and(eq(userRoles.userId, id), eq(userRoles.role, 'hr_admin')))
        ).length > 0
      if (wasAdmin) errors.roles = 'people.lastAdmin'
    }
    if (Object.keys(errors).length) return { ok: false as const, errors }
    const next = {
      name: input.name,
      email: input.email,
      employeeNumber: input.employeeNumber || null,
      departmentId: input.departmentId ?? null,
      managerId: input.managerId ?? null,
      locale: input.locale ?? null,
    }
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== before[k])
    if (changed.length) {
      await tx
        .update(users)
        .set({ ...next, updatedAt: new Date() })
        .where(eq(users.id, id))
      await audit(
        {
          actorId: actor.id,
          action: 'person.updated',
          entityType: 'user',
          entityId: id,
          before: Object.fromEntries(changed.map((k) => [k, before[k]])),
          after: Object.fromEntries(changed.map((k) => [k, next[k]])),
          ip,
        },
        tx,
      )
    }
    await setRoles(tx, actor, id, input.roles, ip)
    await emit(tx, 'org.people-changed', { userIds: [id] })
    return { ok: true as const }
  })
}

/** Deactivates a person: never deleted (training records stay), every session ends at once. */
export async function setPersonActive(actor: CurrentUser, id: string, active: boolean, ip?: string) {
  await assertCan(actor, 'manage:people:all')
  if (!isUuid(id)) throw notFound()
  if (!active && id === actor.id) return { ok: false as const, error: 'people.cannotDeactivateSelf' }
  return db.transaction(async (tx) => {
    if (!active) await lockOrgChanges(tx)
    const [person] = await tx.select().from(users).where(eq(users.id, id))
    if (!person) throw notFound()
    if (!active) {
      const isAdmin =
        (
          await tx
            .select()
            .from(userRoles)
            .where(and(eq(userRoles.userId, id), eq(userRoles.role, 'hr_admin')))
        ).length > 0
      if (isAdmin && (await activeAdminCount(tx, id)) === 0) return { ok: false as const, error: 'people.lastAdmin' }
    }
    if (person.active === active) return { ok: true as const, name: person.name }
    await tx
      .update(users)
      .set({ active, deactivatedAt: active ? null : new Date(), updatedAt: new Date() })
      .where(eq(users.id, id))
    if (!active) await endAllSessions(id, {}, tx)
    // Deactivation withdraws unfinished enrolments (progress kept); reactivation restores them (courses listens).
    await emit(tx, 'org.people-changed', { userIds: [id] })
    await audit(
      {
        actorId: actor.id,
        action: active ? 'person.reactivated' : 'person.deactivated',
        entityType: 'user',
        entityId: id,
        before: { active: person.active },
        after: { active },
        ip,
      },
      tx,
    )
    return { ok: true as const, name: person.name }
  })
}

/** Creates an account without a password and emails a one-time link to set one. */
export async function invitePerson(actor: CurrentUser, input: PersonInput, appUrl: string, ip?: string) {
  await assertCan(actor, 'manage:people:all')
  return db.transaction(async (tx) => {
    await lockOrgChanges(tx)
    const errors = { ...(await uniquenessErrors(tx, input)), ...(await referenceErrors(tx, input)) }
    if (Object.keys(errors).length) return { ok: false as const, errors }
    const [person] = await tx
      .insert(users)
      .values({
        name: input.name,
        email: input.email,
        employeeNumber: input.employeeNumber || null,
        departmentId: input.departmentId ?? null,
        managerId: input.managerId ?? null,
        locale: input.locale ?? null,
      })
      .returning()
    await setRoles(tx, actor, person.id, input.roles, ip)
    await emit(tx, 'org.people-changed', { userIds: [person.id] })
    await audit({ actorId: actor.id, action: 'person.invited', entityType: 'user', entityId: person.id, after: { email: person.email }, ip }, tx)
    await issueInvitation(tx, actor, person, appUrl)
    return { ok: true as const, id: person.id }
  })
}

/** A fresh invitation link for someone who has not set a password yet; the previous link stops working. */
export async function resendInvitation(actor: CurrentUser, id: string, appUrl: string, ip?: string) {
  await assertCan(actor, 'manage:people:all')
  if (!isUuid(id)) throw notFound()
  return db.transaction(async (tx) => {
    const [person] = await tx
      .select()
      .from(users)
      .where(and(eq(users.id, id), eq(users.active, true), isNull(users.passwordHash)))
    if (!person) throw notFound()
    await issueInvitation(tx, actor, person, appUrl)
    await audit({ actorId: actor.id, action: 'person.invitation_resent', entityType: 'user', entityId: id, after: { email: person.email }, ip }, tx)
    return { ok: true as const, email: person.email }
  })
}

async function issueInvitation(tx: Executor, actor: CurrentUser, person: { id: string; name: string; email: string; locale: string | null }, appUrl: string) {
  const token = await issueOneTimeToken(tx, person.id, 'invitation', INVITATION_TTL_DAYS * 86400_000)
  await sendTemplatedEmail(
    { to: person, kind: 'invitation', vars: { name: person.name, inviter: actor.name, link: `${appUrl}/invitation/${token}`, days: INVITATION_TTL_DAYS } },
    tx,
  )
}

/** A manager's direct reports (and HR's view of anyone's team). */
export async function listTeam(actor: CurrentUser, managerId = actor.id) {
  await assertCan(actor, 'read:people:team')
  if (managerId !== actor.id && !hasRole(actor, 'hr_admin')) await deny(actor, 'read:people:team', { managerId })
  return db
    .select({ id: users.id, name: users.name, email: users.email, departmentPath: departments.path, active: users.active })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(and(eq(users.managerId, managerId), eq(users.active, true)))
    .orderBy(asc(users.name))
}
