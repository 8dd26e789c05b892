import { sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { inSubtree } from '#db/sql-helpers'
import { deny } from '~/modules/auth/authorize.server'
import { can, type CurrentUser } from '~/modules/auth/permissions'

/**
 * Whose KPIs the reader may see (docs/decisions/022-kpi-publishing-and-api.md): HR everyone;
 * a manager themself and every manager below them in the reporting line; a department head
 * (a manager whose own manager sits outside their department's subtree, or who has none) also
 * everyone whose department lies in their department's subtree.
 */
export type KpiScope = { kind: 'all' } | { kind: 'limited'; actorId: string; headPath: string | null } | { kind: 'department'; path: string }

export async function kpiScope(actor: CurrentUser): Promise<KpiScope> {
  if (can(actor, 'read:kpi:all')) return { kind: 'all' }
  if (!can(actor, 'read:kpi:team')) return deny(actor, 'read:kpi:team')
  const [row] = parseRows(
    z.object({ path: column.textOrNull, managerPath: column.textOrNull, hasManager: column.boolean }),
    await db.execute(sql`
      select d.path, md.path as "managerPath", (u.manager_id is not null) as "hasManager"
      from users u
      left join departments d on d.id = u.department_id
      left join users m on m.id = u.manager_id
      left join departments md on md.id = m.department_id
      where u.id = ${actor.id}`),
  )
  const path = row?.path ?? null
  const head = path !== null && (!row.hasManager || row.managerPath === null || !(row.managerPath === path || row.managerPath.startsWith(`${path}/`)))
  return { kind: 'limited', actorId: actor.id, headPath: head ? path : null }
}

/** The reporting line below a person, direct and indirect (`union` stops at a cycle in bad data). */
export function reportingLine(managerId: string) {
  return sql`(with recursive team(id) as (
      select u.id from users u where u.manager_id = ${managerId}
      union
      select r.id from users r join team on r.manager_id = team.id
    ) select id from team)`
}

/** A predicate: the reader may see the manager `managerId` whose department path is `path`. */
export function visibleSql(scope: KpiScope, managerId: SQL, path: SQL): SQL {
  if (scope.kind === 'all') return sql`true`
  if (scope.kind === 'department') return inSubtree(path, sql`${scope.path}::text`)
  const parts = [sql`${managerId} = ${scope.actorId}::uuid`, sql`${managerId} in ${reportingLine(scope.actorId)}`]
  if (scope.headPath) parts.push(inSubtree(path, sql`${scope.headPath}::text`))
  return sql`(${sql.join(parts, sql` or `)})`
}
