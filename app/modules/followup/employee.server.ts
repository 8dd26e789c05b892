import { and, desc, eq, isNotNull, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { checkInConfirmations, checkIns, followUpPlans, users } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { assertCan, deny } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { dayIn, monthOf, statements, type ConfirmInput, type Ratings, type Statement } from './followup'
import { addRating } from './ratings.server'

/** What the employee sees: their plans (one per manager), next check-ins, held check-ins and what they still can confirm. */
export async function getMyFollowUp(actor: CurrentUser, now = new Date()) {
  await assertCan(actor, 'take:follow-up:own')
  const period = monthOf(dayIn(now))
  const plans = await db
    .select({
      id: followUpPlans.id,
      managerId: followUpPlans.managerId,
      managerName: users.name,
      frequencyDays: followUpPlans.frequencyDays,
      channel: followUpPlans.channel,
      notes: followUpPlans.notes,
      nextDueOn: checkIns.dueOn,
    })
    .from(followUpPlans)
    .innerJoin(users, eq(users.id, followUpPlans.managerId))
    .leftJoin(checkIns, and(eq(checkIns.planId, followUpPlans.id), eq(checkIns.status, 'planned')))
    .where(and(eq(followUpPlans.employeeId, actor.id), sql`${followUpPlans.archivedAt} is null`))
  const held = await db
    .select({
      id: checkIns.id,
      managerId: checkIns.managerId,
      managerName: users.name,
      heldOn: checkIns.heldOn,
      progress: checkIns.progress,
      obstacles: checkIns.obstacles,
      agreedActions: checkIns.agreedActions,
      feedbackGiven: checkIns.feedbackGiven,
      employeeInput: checkIns.employeeInput,
      happened: checkInConfirmations.happened,
      confirmedAt: checkInConfirmations.confirmedAt,
    })
    .from(checkIns)
    .innerJoin(users, eq(users.id, checkIns.managerId))
    .leftJoin(checkInConfirmations, eq(checkInConfirmations.checkInId, checkIns.id))
    .where(and(eq(checkIns.employeeId, actor.id), eq(checkIns.status, 'held')))
    .orderBy(desc(checkIns.heldOn))
  const ratedThisMonth = new Set(
    (
      await db
        .select({ managerId: checkInConfirmations.managerId })
        .from(checkInConfirmations)
        .where(and(eq(checkInConfirmations.employeeId, actor.id), eq(checkInConfirmations.ratedPeriod, period)))
    ).map((r) => r.managerId),
  )
  return {
    plans,
    checkIns: held.map((c) => ({ ...c, canRate: !ratedThisMonth.has(c.managerId) })),
  }
}

export type ConfirmResult = { ok: true; rated: boolean } | { ok: false; fieldErrors?: Partial<Record<Statement, string[]>>; error?: string }

/**
 * The employee confirms that a check-in happened (or says it did not) and, the first time in the
 * month for that manager, rates it. The rating goes into the manager's anonymous tallies in the
 * same transaction; the confirmation only records the month it went into, never the scores.
 */
export async function confirmCheckIn(actor: CurrentUser, input: ConfirmInput, now = new Date(), ip?: string): Promise<ConfirmResult> {
  await assertCan(actor, 'take:follow-up:own')
  const period = monthOf(dayIn(now))
  // Checked outside the transaction: a denial is audited through `db` (PGlite would wait on the transaction).
  const [found] = await db.select({ employeeId: checkIns.employeeId }).from(checkIns).where(eq(checkIns.id, input.checkInId))
  if (!found) throw new Response('Not found', { status: 404 })
  if (found.employeeId !== actor.id) await deny(actor, 'take:follow-up:own', { checkInId: input.checkInId })
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(checkIns).where(eq(checkIns.id, input.checkInId)).for('update')
    if (row.status !== 'held') return { ok: false, error: 'followup.errors.notHeld' }
    const [already] = await tx.select().from(checkInConfirmations).where(eq(checkInConfirmations.checkInId, row.id))
    if (already) return { ok: false, error: 'followup.errors.alreadyConfirmed' }
    const happened = input.happened === 'yes'
    const [ratedBefore] = await tx
      .select({ id: checkInConfirmations.checkInId })
      .from(checkInConfirmations)
      .where(
        and(
          eq(checkInConfirmations.employeeId, actor.id),
          eq(checkInConfirmations.managerId, row.managerId),
          eq(checkInConfirmations.ratedPeriod, period),
          isNotNull(checkInConfirmations.ratedPeriod),
        ),
      )
    const rate = happened && !ratedBefore
    if (rate) {
      const missing = statements.filter((s) => input[s] === undefined)
      if (missing.length) return { ok: false, fieldErrors: Object.fromEntries(missing.map((s) => [s, ['followup.errors.rating']])) }
    }
    await tx
      .insert(checkInConfirmations)
      .values({ checkInId: row.id, employeeId: actor.id, managerId: row.managerId, happened, ratedPeriod: rate ? period : null })
    if (rate) await addRating(tx, row.managerId, period, Object.fromEntries(statements.map((s) => [s, input[s]!])) as Ratings)
    // The audit says that the person answered, as the confirmation does; never what.
    await audit({ actorId: actor.id, action: 'follow_up.check_in_confirmed', entityType: 'check_in', entityId: row.id, after: { happened }, ip }, tx)
    return { ok: true, rated: rate }
  })
}
