import { and, asc, eq, isNotNull, isNull, notInArray, sql } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { roleplayAssignments, roleplayCastings, roleplayScenarios, type RoleplayRole, type RoleplayScenario } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { isUuid } from '~/shared/validation'
import { loadRoleplayScenarios } from './scenario-content.server'
import type { ScenarioFormValue } from './scenarios'

const notFound = () => new Response('Not found', { status: 404 })

/**
 * Brings `roleplay_scenarios` in line with content/roleplays: new files are added, changed files
 * update their scenario unless HR has edited it in the browser since (then HR's text stays), and
 * removed files retire theirs (unless HR edited it: then it is HR's). Refuses to run when a file has
 * a problem. Runs on every start (scripts/migrate.ts), before the demo seed.
 */
export async function syncRoleplayScenarios(executor: Executor = db, rootDir = 'content/roleplays') {
  const { scenarios: files, problems } = await loadRoleplayScenarios(rootDir)
  if (problems.length > 0) {
    throw new Error(`role-play scenario files have problems:\n${problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n')}`)
  }
  for (const file of files) {
    const values = {
      title: file.title,
      situation: file.situation,
      roles: file.roles,
      keyPoints: file.keyPoints,
      observerNotes: file.observerNotes,
      retiredAt: null,
    }
    await executor
      .insert(roleplayScenarios)
      .values({ contentId: file.id, source: 'file', ...values })
      .onConflictDoUpdate({
        target: roleplayScenarios.contentId,
        set: values,
        setWhere: and(eq(roleplayScenarios.source, 'file'), isNull(roleplayScenarios.editedAt)),
      })
  }
  const ids = files.map((f) => f.id)
  await executor
    .update(roleplayScenarios)
    .set({ retiredAt: new Date() })
    .where(
      and(
        eq(roleplayScenarios.source, 'file'),
        isNull(roleplayScenarios.editedAt),
        isNull(roleplayScenarios.retiredAt),
        ids.length ? notInArray(roleplayScenarios.contentId, ids) : undefined,
      ),
    )
  return { scenarios: files.length }
}

/** The scenario library for HR and trainers, optionally only scenarios that train one key point. */
export async function listScenarios(actor: CurrentUser, filter: { keyPoint?: number } = {}) {
  await assertCan(actor, 'read:roleplay-scenarios:all')
  return db
    .select({
      id: roleplayScenarios.id,
      contentId: roleplayScenarios.contentId,
      source: roleplayScenarios.source,
      title: roleplayScenarios.title,
      keyPoints: roleplayScenarios.keyPoints,
      roles: sql<number>`jsonb_array_length(${roleplayScenarios.roles})`.mapWith(Number),
      editedAt: roleplayScenarios.editedAt,
    })
    .from(roleplayScenarios)
    .where(
      and(
        isNull(roleplayScenarios.retiredAt),
        filter.keyPoint ? sql`${roleplayScenarios.keyPoints} @> ${JSON.stringify([filter.keyPoint])}::jsonb` : undefined,
      ),
    )
    .orderBy(asc(roleplayScenarios.createdAt), asc(roleplayScenarios.contentId))
}

/**
 * One scenario with every role's private brief and the observer notes: HR and trainers only.
 * `castRoleIds` are the roles some group member plays (the editor keeps them).
 */
export async function getScenario(actor: CurrentUser, scenarioId: string): Promise<RoleplayScenario & { castRoleIds: string[] }> {
  await assertCan(actor, 'read:roleplay-scenarios:all')
  if (!isUuid(scenarioId)) throw notFound()
  const [row] = await db.select().from(roleplayScenarios).where(eq(roleplayScenarios.id, scenarioId))
  if (!row) throw notFound()
  return { ...row, castRoleIds: await castRoleIds(db, scenarioId) }
}

async function castRoleIds(executor: Executor, scenarioId: string) {
  const rows = await executor
    .selectDistinct({ roleId: roleplayCastings.roleId })
    .from(roleplayCastings)
    .innerJoin(roleplayAssignments, eq(roleplayAssignments.id, roleplayCastings.assignmentId))
    .where(eq(roleplayAssignments.scenarioId, scenarioId))
  return rows.map((r) => r.roleId)
}

/** Role ids: an existing role keeps its id (castings refer to it); a new one gets the next free `role-<n>`. */
function withRoleIds(input: ScenarioFormValue['roles'], existing: RoleplayRole[]): RoleplayRole[] {
  const known = new Set(existing.map((r) => r.id))
  const used = new Set<string>()
  const kept = input.map((r) => (r.id && known.has(r.id) && !used.has(r.id) ? (used.add(r.id), r.id) : null))
  let next = 1
  return input.map((r, i) => {
    let id = kept[i]
    if (!id) {
      while (known.has(`role-${next}`) || used.has(`role-${next}`)) next++
      id = `role-${next}`
      used.add(id)
    }
    return { id, name: { en: r.nameEn, 'zh-CN': r.nameZh }, brief: { en: r.briefEn, 'zh-CN': r.briefZh } }
  })
}

export type SaveScenarioResult = { ok: true; scenarioId: string } | { ok: false; errors: Record<string, string[]> }

/**
 * Writes a scenario in the browser: a new one, or an edit of an existing one that its file will no
 * longer overwrite. A role some group member already plays cannot be removed. HR only; audited.
 */
export async function saveScenario(actor: CurrentUser, scenarioId: string | null, input: ScenarioFormValue): Promise<SaveScenarioResult> {
  await assertCan(actor, 'manage:roleplay-scenarios:all')
  if (scenarioId !== null && !isUuid(scenarioId)) throw notFound()
  const base = {
    title: { en: input.titleEn, 'zh-CN': input.titleZh },
    situation: { en: input.situationEn, 'zh-CN': input.situationZh },
    keyPoints: [...new Set(input.keyPoints)].sort((a, b) => a - b),
    observerNotes: { en: input.notesEn, 'zh-CN': input.notesZh },
    editedAt: new Date(),
    editedBy: actor.id,
  }
  return db.transaction(async (tx): Promise<SaveScenarioResult> => {
    if (scenarioId) {
      const [before] = await tx
        .select()
        .from(roleplayScenarios)
        .where(and(eq(roleplayScenarios.id, scenarioId), isNull(roleplayScenarios.retiredAt)))
        .for('update')
      if (!before) throw notFound()
      const roles = withRoleIds(input.roles, before.roles)
      const cast = await castRoleIds(tx, scenarioId)
      if (cast.some((id) => !roles.some((r) => r.id === id))) return { ok: false, errors: { roles: ['roleplays.editor.roleCast'] } }
      await tx
        .update(roleplayScenarios)
        .set({ ...base, roles })
        .where(eq(roleplayScenarios.id, scenarioId))
      await audit(
        {
          actorId: actor.id,
          action: 'roleplay-scenario.updated',
          entityType: 'roleplay_scenario',
          entityId: scenarioId,
          before: { title: before.title, keyPoints: before.keyPoints, roles: before.roles.map((r) => r.id) },
          after: { title: base.title, keyPoints: base.keyPoints, roles: roles.map((r) => r.id) },
        },
        tx,
      )
      return { ok: true, scenarioId }
    }
    const roles = withRoleIds(input.roles, [])
    const [row] = await tx
      .insert(roleplayScenarios)
      .values({ contentId: `browser-${crypto.randomUUID().slice(0, 8)}`, source: 'browser', ...base, roles })
      .returning({ id: roleplayScenarios.id })
    await audit(
      {
        actorId: actor.id,
        action: 'roleplay-scenario.created',
        entityType: 'roleplay_scenario',
        entityId: row.id,
        after: { title: base.title, keyPoints: base.keyPoints, roles: roles.map((r) => r.id) },
      },
      tx,
    )
    return { ok: true, scenarioId: row.id }
  })
}

/**
 * Retires a scenario: it leaves the library and cannot be given to new groups; groups that have it
 * keep it. An imported scenario counts as edited, so its file does not bring it back. HR only; audited.
 */
export async function retireScenario(actor: CurrentUser, scenarioId: string) {
  await assertCan(actor, 'manage:roleplay-scenarios:all')
  if (!isUuid(scenarioId)) throw notFound()
  await db.transaction(async (tx) => {
    const now = new Date()
    const [row] = await tx
      .update(roleplayScenarios)
      .set({ retiredAt: now, editedAt: now, editedBy: actor.id })
      .where(and(eq(roleplayScenarios.id, scenarioId), isNull(roleplayScenarios.retiredAt)))
      .returning({ id: roleplayScenarios.id, title: roleplayScenarios.title })
    if (!row) throw notFound()
    await audit({ actorId: actor.id, action: 'roleplay-scenario.retired', entityType: 'roleplay_scenario', entityId: row.id, before: { title: row.title } }, tx)
  })
}

/** Brings a retired scenario back into the library. It stays marked as edited, so its file does not overwrite it. HR only; audited. */
export async function restoreScenario(actor: CurrentUser, scenarioId: string) {
  await assertCan(actor, 'manage:roleplay-scenarios:all')
  if (!isUuid(scenarioId)) throw notFound()
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(roleplayScenarios)
      .set({ retiredAt: null, editedAt: new Date(), editedBy: actor.id })
      .where(and(eq(roleplayScenarios.id, scenarioId), isNotNull(roleplayScenarios.retiredAt)))
      .returning({ id: roleplayScenarios.id, title: roleplayScenarios.title })
    if (!row) throw notFound()
    await audit({ actorId: actor.id, action: 'roleplay-scenario.restored', entityType: 'roleplay_scenario', entityId: row.id, after: { title: row.title } }, tx)
  })
}
