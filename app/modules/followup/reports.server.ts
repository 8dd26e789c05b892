import { eq, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { departments, users } from '#db/schema'
import { inSubtree, isUuid } from '#db/sql-helpers'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { addMonths, dayIn, monthOf } from './followup'
import { followUpMeasures } from './measures.server'
import { minRaters } from './ratings.server'

/** How many months the screens show, ending with the current one. */
export const MONTHS_SHOWN = 12

function window(now: Date) {
  const to = monthOf(dayIn(now))
  return { from: addMonths(to, -(MONTHS_SHOWN - 1)), to }
}

/** The manager's own measures (aggregates only: the rating appears once enough people have rated). */
export async function myTeamMeasures(actor: CurrentUser, now = new Date()) {
  await assertCan(actor, 'manage:follow-up:team')
  const [mine] = await followUpMeasures(db, { ...window(now), managerIds: [actor.id], now })
  return { measures: mine ?? null, minRaters: minRaters() }
}

/**
 * Every manager's measures for HR, optionally only the managers in a department subtree. The
 * filter picks whole managers and never splits one manager's month, so no two filters can be
 * differenced into an answer.
 */
export async function allMeasures(actor: CurrentUser, filters: { departmentId?: string }, now = new Date()) {
  await assertCan(actor, 'read:follow-up-measures:all')
  let managerIds: string[] | undefined
  if (filters.departmentId && isUuid(filters.departmentId)) {
    const [root] = await db.select({ path: departments.path }).from(departments).where(eq(departments.id, filters.departmentId))
    const rows = root
      ? await db
          .select({ id: users.id })
          .from(users)
          .innerJoin(departments, eq(departments.id, users.departmentId))
          .where(inSubtree(departments.path, sql`${root.path}`))
      : []
    managerIds = rows.map((r) => r.id)
  }
  return { ...window(now), managers: await followUpMeasures(db, { ...window(now), managerIds, now }), minRaters: minRaters() }
}
