import { and, desc, eq, gt, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { cohorts, sessions } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import { type CurrentUser } from '~/modules/auth/permissions'
import type { CohortInput } from './sessions'
import type { Options } from './session-mail.server'
import { cancelInTransaction } from './sessions.server'

export async function listCohorts(actor: CurrentUser) {
  await assertCan(actor, 'read:sessions:own')
  return db
    .select({
      id: cohorts.id,
      name: cohorts.name,
      programme: cohorts.programme,
      cancelledAt: cohorts.cancelledAt,
      sessions: sql<number>`(select count(*)::int from ${sessions} s where s.cohort_id = ${cohorts.id})`,
    })
    .from(cohorts)
    .orderBy(desc(cohorts.createdAt))
}

export async function createCohort(actor: CurrentUser, input: CohortInput) {
  await assertCan(actor, 'manage:cohorts:all')
  return db.transaction(async (tx) => {
    const [cohort] = await tx
      .insert(cohorts)
      .values({ name: input.name, programme: input.programme ?? null, createdBy: actor.id })
      .returning()
    await audit({ actorId: actor.id, action: 'cohort.created', entityType: 'cohort', entityId: cohort.id, after: input }, tx)
    return cohort
  })
}

export async function updateCohort(actor: CurrentUser, cohortId: string, input: CohortInput) {
  await assertCan(actor, 'manage:cohorts:all')
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(cohorts).where(eq(cohorts.id, cohortId))
    if (!before) throw new Response('Not found', { status: 404 })
    await tx
      .update(cohorts)
      .set({ name: input.name, programme: input.programme ?? null, updatedAt: new Date() })
      .where(eq(cohorts.id, cohortId))
    await audit(
      {
        actorId: actor.id,
        action: 'cohort.updated',
        entityType: 'cohort',
        entityId: cohortId,
        before: { name: before.name, programme: before.programme },
        after: input,
      },
      tx,
    )
  })
}

/** Cancels a cohort and every one of its sessions that has not started yet (each invitee gets a calendar cancellation). */
export async function cancelCohort(actor: CurrentUser, cohortId: string, options: Options = {}) {
  await assertCan(actor, 'manage:sessions:all')
  return db.transaction(async (tx) => {
    const [cohort] = await tx.select().from(cohorts).where(eq(cohorts.id, cohortId)).for('update')
    if (!cohort) throw new Response('Not found', { status: 404 })
    if (cohort.cancelledAt) return { cancelledSessions: 0 }
    await tx.update(cohorts).set({ cancelledAt: new Date(), updatedAt: new Date() }).where(eq(cohorts.id, cohortId))
    const upcoming = await tx
      .select()
      .from(sessions)
      .where(and(eq(sessions.cohortId, cohortId), eq(sessions.status, 'scheduled'), gt(sessions.startsAt, new Date())))
      .for('update')
    for (const session of upcoming) await cancelInTransaction(tx, actor, session, options)
    await audit({ actorId: actor.id, action: 'cohort.cancelled', entityType: 'cohort', entityId: cohortId, details: { sessions: upcoming.length } }, tx)
    return { cancelledSessions: upcoming.length }
  })
}

/* ------------------------------------------------------------------ sessions */
