import { eq, sql } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { departments, users } from '#db/schema'
import { inSubtree } from '#db/sql-helpers'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'

/** Splits "销售部 / 华东区" into trimmed, non-empty parts; null when a part is empty. */
export function parseDepartmentPath(path: string): string[] | null {
  const parts = path.split('/').map((p) => p.trim())
  if (parts.length === 0 || parts.some((p) => p.length === 0 || p.length > 100)) return null
  return parts
}

/** Returns the id of the department at this path, creating it and any missing ancestors. */
export async function ensureDepartmentPath(executor: Executor, parts: string[], cache = new Map<string, string>()) {
  let parentId: string | null = null
  let path = ''
  for (const name of parts) {
    path = path ? `${path}/${name}` : name
    const cached = cache.get(path)
    if (cached) {
      parentId = cached
      continue
    }
    const [existing] = await executor.select({ id: departments.id }).from(departments).where(eq(departments.path, path))
    const id: string = existing ? existing.id : (await executor.insert(departments).values({ name, path, parentId }).returning({ id: departments.id }))[0].id
    cache.set(path, id)
    parentId = id
  }
  return parentId!
}

/**
 * Parent first, then its whole subtree, then the next sibling. Ordering by the path text
 * would put "Sales Ops" between "Sales" and "Sales/East" (space sorts before the slash).
 */
export const treeOrder = sql`string_to_array(${departments}.path, '/')`

/** The department tree with head counts (active people, own and whole subtree). */
export async function listDepartmentTree(actor: CurrentUser) {
  await assertCan(actor, 'manage:departments:all')
  return db
    .select({
      id: departments.id,
      name: departments.name,
      path: departments.path,
      parentId: departments.parentId,
      depth: sql<number>`array_length(string_to_array(${departments.path}, '/'), 1) - 1`,
      // Qualified by table name on purpose: in a single-table select drizzle renders a column as a
      // bare "id", which inside these subqueries would mean the subquery's own table.
      members: sql<number>`(select count(*)::int from ${users} u where u.department_id = ${departments}.id and u.active)`,
      subtreeMembers: sql<number>`(select count(*)::int from ${users} u join ${departments} d on d.id = u.department_id where u.active and ${inSubtree(sql.raw('d.path'), sql`${departments}.path`)})`,
    })
    .from(departments)
    .orderBy(treeOrder)
}

/** Departments for a picker or filter, in tree order (a parent before its children). */
export async function listDepartmentOptions(actor: CurrentUser) {
  await assertCan(actor, 'manage:people:all')
  return db.select({ id: departments.id, path: departments.path }).from(departments).orderBy(treeOrder)
}

export async function createDepartment(actor: CurrentUser, input: { name: string; parentId?: string }, ip?: string) {
  await assertCan(actor, 'manage:departments:all')
  return db.transaction(async (tx) => {
    let parentPath = ''
    if (input.parentId) {
      const [parent] = await tx.select().from(departments).where(eq(departments.id, input.parentId))
      if (!parent) return { ok: false as const, errors: { parentId: 'errors.invalid' } }
      parentPath = parent.path
    }
    const path = parentPath ? `${parentPath}/${input.name}` : input.name
    const [clash] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.path, path))
    if (clash) return { ok: false as const, errors: { name: 'departments.nameTaken' } }
    const [dept] = await tx
      .insert(departments)
      .values({ name: input.name, path, parentId: input.parentId ?? null })
      .returning()
    await audit({ actorId: actor.id, action: 'department.created', entityType: 'department', entityId: dept.id, after: { path }, ip }, tx)
    return { ok: true as const, id: dept.id, name: dept.name }
  })
}
