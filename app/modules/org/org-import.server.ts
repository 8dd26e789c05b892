import { and, eq, inArray, sql } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { auditEvents, departments, orgImports, userRoles, users } from '#db/schema'
import { audit, type AuditEntry } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser, Role } from '~/modules/auth/permissions'
import { endAllSessions } from '~/modules/auth/session.server'
import { ensureDepartmentPath } from './departments.server'
import {
  evaluateOrgChart,
  parseOrgChartFile,
  toInput,
  type ExistingPerson,
  type ImportRowResult,
  type ImportSummary,
  type MessageRef,
  type StoredImport,
} from './org-import'
import { setRoles } from './people.server'
import { emit } from '~/shared/events.server'

/** After apply, the summary also says how many people were deactivated. */
export type AppliedSummary = ImportSummary & { deactivated: number }

const CHUNK = 1000
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

function rolesFrom(value: unknown): Role[] {
  if (Array.isArray(value)) return value as Role[]
  if (typeof value === 'string') return value.replace(/[{}]/g, '').split(',').filter(Boolean) as Role[]
  return []
}

/** Everyone (active or not) in one query: the import decides in memory, whatever the size of the file. */
async function loadPeople(executor: Executor): Promise<ExistingPerson[]> {
  const rows = await executor
    .select({
      id: users.id,
      employeeNumber: users.employeeNumber,
      email: users.email,
      name: users.name,
      active: users.active,
      departmentPath: departments.path,
      managerId: users.managerId,
      roles: sql<unknown>`coalesce((select array_agg(${userRoles.role}::text) from ${userRoles} where ${userRoles.userId} = ${users.id}), '{}')`,
    })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
  return rows.map((r) => ({ ...r, roles: rolesFrom(r.roles) }))
}

/** Audit entries for many people in a few inserts rather than one each. */
async function auditMany(executor: Executor, entries: AuditEntry[]) {
  for (const chunk of chunks(entries)) {
    await executor.insert(auditEvents).values(
      chunk.map((e) => ({
        actorId: e.actorId ?? null,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        before: e.before ?? null,
        after: e.after ?? null,
        ip: e.ip ?? null,
        details: e.details ?? null,
      })),
    )
  }
}

export type OrgImportPreview = {
  id: string
  filename: string
  status: 'previewed' | 'applied' | 'discarded'
  createdAt: Date
  appliedAt: Date | null
  hasRolesColumn: boolean
  rows: ImportRowResult[]
  summary: ImportSummary | AppliedSummary
}

/**
 * Reads an uploaded org chart and checks every row against the people in Genjin, without
 * changing anyone. File-level problems (too large, unreadable, missing column) come back
 * as errors and nothing is stored; otherwise the rows and their verdicts are kept as a
 * previewed import, which `applyOrgImport` may later apply if no row has an error.
 */
export async function previewOrgImport(
  actor: CurrentUser,
  file: { filename: string; bytes: Uint8Array },
): Promise<{ ok: true; preview: OrgImportPreview } | { ok: false; errors: MessageRef[] }> {
  await assertCan(actor, 'import:org:all')
  const parsed = await parseOrgChartFile(file)
  if (!parsed.ok) return parsed
  const { rows, summary } = evaluateOrgChart(parsed.chart, await loadPeople(db), actor.id)
  const stored: StoredImport = { hasRolesColumn: parsed.chart.hasRolesColumn, rows }
  const filename = (file.filename.split(/[\\/]/).pop() || 'upload').slice(0, 200)
  const [record] = await db.insert(orgImports).values({ actorId: actor.id, filename, rows: stored, summary }).returning()
  return { ok: true, preview: toPreview(record) }
}

/** The rows kept between preview and apply: a jsonb column only this module writes, as a StoredImport. */
function storedImport(record: typeof orgImports.$inferSelect): StoredImport {
  // eslint-disable-next-line no-restricted-syntax -- a drizzle jsonb column (org_imports.rows), not raw SQL rows; written above from StoredImport
  return record.rows as StoredImport
}

function toPreview(record: typeof orgImports.$inferSelect): OrgImportPreview {
  const stored = storedImport(record)
  return {
    id: record.id,
    filename: record.filename,
    status: record.status,
    createdAt: record.createdAt,
    appliedAt: record.appliedAt,
    hasRolesColumn: stored.hasRolesColumn,
    rows: stored.rows,
    summary: record.summary as ImportSummary | AppliedSummary,
  }
}

/** A stored import (any HR admin's), to show its preview again or the outcome of applying it. */
export async function getOrgImport(actor: CurrentUser, importId: string): Promise<OrgImportPreview> {
  await assertCan(actor, 'import:org:all')
  if (!UUID.test(importId)) throw new Response('Not found', { status: 404 })
  const [record] = await db.select().from(orgImports).where(eq(orgImports.id, importId))
  if (!record) throw new Response('Not found', { status: 404 })
  return toPreview(record)
}

/** Only checks the permission: the upload page itself shows nothing else. */
export async function assertCanImport(actor: CurrentUser) {
  await assertCan(actor, 'import:org:all')
}

/** Drops a previewed import; applied ones stay as the record of what changed. */
export async function discardOrgImport(actor: CurrentUser, importId: string) {
  await assertCan(actor, 'import:org:all')
  if (!UUID.test(importId)) throw new Response('Not found', { status: 404 })
  const updated = await db
    .update(orgImports)
    .set({ status: 'discarded' })
    .where(and(eq(orgImports.id, importId), eq(orgImports.status, 'previewed')))
    .returning({ id: orgImports.id })
  return { ok: updated.length > 0 }
}

/**
 * Applies a previewed import in one transaction. The rows are checked again against the
 * people as they are now (someone may have changed since the preview); any error and
 * nothing changes. People are matched by employee number, created without a password (they
 * get one through an invitation or reset later; no email is sent), never deleted.
 * Deactivates the active people missing from the file only when asked — never the acting
 * admin or external lecturers — and ends their sessions. Unchanged people are not touched
 * and leave no audit entry, so applying the same file twice changes nothing.
 */
export async function applyOrgImport(
  actor: CurrentUser,
  importId: string,
  options: { deactivateMissing: boolean },
  ip?: string,
): Promise<{ ok: true; summary: AppliedSummary } | { ok: false; error: string }> {
  await assertCan(actor, 'import:org:all')
  if (!UUID.test(importId)) throw new Response('Not found', { status: 404 })
  return db.transaction(async (tx) => {
    // Locked so that two clicks on Apply cannot both apply it.
    const [record] = await tx.select().from(orgImports).where(eq(orgImports.id, importId)).for('update')
    if (!record) throw new Response('Not found', { status: 404 })
    if (record.status !== 'previewed') return { ok: false as const, error: 'import.alreadyApplied' }
    const stored = storedImport(record)
    if (stored.rows.some((r) => r.errors.length > 0)) return { ok: false as const, error: 'import.hasErrors' }

    const existing = await loadPeople(tx)
    const evaluation = evaluateOrgChart({ hasRolesColumn: stored.hasRolesColumn, rows: stored.rows.map(toInput) }, existing, actor.id)
    if (evaluation.summary.errors > 0) {
      const fresh: StoredImport = { hasRolesColumn: stored.hasRolesColumn, rows: evaluation.rows }
      await tx.update(orgImports).set({ rows: fresh, summary: evaluation.summary }).where(eq(orgImports.id, importId))
      return { ok: false as const, error: 'import.changedSincePreview' }
    }
    const rows = evaluation.rows
    const byId = new Map(existing.map((p) => [p.id, p]))
    const now = new Date()
    const entries: AuditEntry[] = []
    const context = { importId }

    const departmentIds = new Map((await tx.select({ id: departments.id, path: departments.path }).from(departments)).map((d) => [d.path, d.id]))
    const departmentId = async (path: string | null) => (path ? ensureDepartmentPath(tx, path.split('/'), departmentIds) : null)

    const idByNumber = new Map<string, string>()
    for (const p of existing) if (p.employeeNumber) idByNumber.set(p.employeeNumber, p.id)
    for (const r of rows) if (r.personId) idByNumber.set(r.employeeNumber, r.personId)

    const creates = rows.filter((r) => r.change === 'create')
    const createdIds = new Map<ImportRowResult, string>()
    for (const chunk of chunks(creates)) {
      const values = []
      for (const r of chunk) values.push({ employeeNumber: r.employeeNumber, name: r.name, email: r.email, departmentId: await departmentId(r.departmentPath) })
      const inserted = await tx.insert(users).values(values).returning({ id: users.id, employeeNumber: users.employeeNumber })
      const idOf = new Map(inserted.map((u) => [u.employeeNumber!, u.id]))
      for (const r of chunk) {
        const id = idOf.get(r.employeeNumber)!
        createdIds.set(r, id)
        idByNumber.set(r.employeeNumber, id)
      }
    }
    // New people's roles go in as a batch, audited as setRoles would.
    const grants = creates.flatMap((r) => (r.roleList ?? ['employee']).map((role) => ({ userId: createdIds.get(r)!, role })))
    for (const chunk of chunks(grants)) await tx.insert(userRoles).values(chunk)
    const newLecturers = creates.filter((r) => r.roleList?.includes('lecturer')).map((r) => createdIds.get(r)!)
    if (newLecturers.length) await emit(tx, 'org.roles-changed', { userIds: newLecturers })
    for (const r of creates) {
      const id = createdIds.get(r)!
      const roleList = r.roleList ?? ['employee']
      entries.push(
        {
          actorId: actor.id,
          action: 'person.imported',
          entityType: 'user',
          entityId: id,
          after: { employeeNumber: r.employeeNumber, name: r.name, email: r.email, department: r.departmentPath, manager: r.managerNumber || null },
          ip,
          details: context,
        },
        {
          actorId: actor.id,
          action: 'role.changed',
          entityType: 'user',
          entityId: id,
          before: { roles: [] },
          after: { roles: roleList },
          ip,
          details: context,
        },
      )
    }

    const updates = rows.filter((r) => r.change === 'update')
    for (const r of updates) {
      const person = byId.get(r.personId!)!
      const set: Partial<typeof users.$inferInsert> = {}
      const before: Record<string, unknown> = {}
      const after: Record<string, unknown> = {}
      if (r.changes.includes('employeeNumber')) [set.employeeNumber, before.employeeNumber, after.employeeNumber] = [r.employeeNumber, null, r.employeeNumber]
      if (r.changes.includes('name')) [set.name, before.name, after.name] = [r.name, person.name, r.name]
      if (r.changes.includes('email')) [set.email, before.email, after.email] = [r.email, person.email, r.email]
      if (r.changes.includes('department')) {
        set.departmentId = await departmentId(r.departmentPath)
        ;[before.department, after.department] = [person.departmentPath, r.departmentPath]
      }
      if (r.changes.includes('manager')) {
        const current = person.managerId ? byId.get(person.managerId) : undefined
        ;[before.manager, after.manager] = [current ? (current.employeeNumber ?? current.name) : null, r.managerNumber || null]
      }
      if (r.changes.includes('reactivate')) Object.assign(set, { active: true, deactivatedAt: null })
      if (Object.keys(set).length)
        await tx
          .update(users)
          .set({ ...set, updatedAt: now })
          .where(eq(users.id, person.id))
      if (Object.keys(after).length)
        entries.push({ actorId: actor.id, action: 'person.updated', entityType: 'user', entityId: person.id, before, after, ip, details: context })
      if (r.changes.includes('reactivate')) {
        entries.push({
          actorId: actor.id,
          action: 'person.reactivated',
          entityType: 'user',
          entityId: person.id,
          before: { active: false },
          after: { active: true },
          ip,
          details: context,
        })
      }
      if (r.changes.includes('roles')) await setRoles(tx, actor, person.id, r.roleList!, ip)
    }

    // Managers last, once everyone they may point to exists: one statement per thousand people.
    const reportsTo: [string, string | null][] = []
    for (const r of rows) {
      const id = r.change === 'create' ? createdIds.get(r)! : r.change === 'update' && r.changes.includes('manager') ? r.personId! : null
      if (!id || (r.change === 'create' && !r.managerNumber)) continue
      reportsTo.push([id, r.managerNumber ? idByNumber.get(r.managerNumber)! : null])
    }
    for (const chunk of chunks(reportsTo)) {
      const values = sql.join(
        chunk.map(([id, managerId]) => sql`(${id}::uuid, ${managerId}::uuid)`),
        sql`, `,
      )
      await tx.execute(
        sql`update ${users} set manager_id = v.manager_id, updated_at = now() from (values ${values}) as v(id, manager_id) where ${users.id} = v.id`,
      )
    }

    let deactivated = 0
    if (options.deactivateMissing && evaluation.missingIds.length) {
      for (const chunk of chunks(evaluation.missingIds)) {
        await tx
          .update(users)
          .set({ active: false, deactivatedAt: now, updatedAt: now })
          .where(and(inArray(users.id, chunk), eq(users.active, true)))
      }
      for (const id of evaluation.missingIds) {
        await endAllSessions(id, {}, tx)
        entries.push({
          actorId: actor.id,
          action: 'person.deactivated',
          entityType: 'user',
          entityId: id,
          before: { active: true },
          after: { active: false },
          ip,
          details: context,
        })
      }
      deactivated = evaluation.missingIds.length
    }

    await auditMany(tx, entries)
    // People who joined an audience through this import are enrolled in its courses now (courses listens).
    await emit(tx, 'org.people-changed', {})
    const summary: AppliedSummary = { ...evaluation.summary, deactivated }
    await audit(
      {
        actorId: actor.id,
        action: 'org.import_applied',
        entityType: 'org_import',
        entityId: importId,
        after: summary,
        ip,
        details: { filename: record.filename, deactivateMissing: options.deactivateMissing },
      },
      tx,
    )
    const fresh: StoredImport = { hasRolesColumn: stored.hasRolesColumn, rows }
    await tx.update(orgImports).set({ status: 'applied', appliedAt: now, summary, rows: fresh }).where(eq(orgImports.id, importId))
    return { ok: true as const, summary }
  })
}
