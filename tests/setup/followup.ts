import { db } from '#db/client.server'
import { checkInConfirmations, checkIns, followUpPlans } from '#db/schema'
import type { Ratings } from '~/modules/followup/followup'
import { addRating } from '~/modules/followup/ratings.server'

/*
 * Follow-up fixtures written straight to the tables, with the dates a test needs (plans created
 * months ago, check-ins held late, confirmations): the measures and the KPI components read them.
 */

/** The same score on all four statements. */
export const all = (n: number): Ratings => ({ two_way: n, feedback: n, obstacles: n, autonomy: n })

/** One person's anonymous rating of a manager's month, published from the third (minimum 3). */
export const rate = (managerId: string, period: string, ratings: Ratings) => db.transaction((tx) => addRating(tx, managerId, period, ratings, 3))

/** A fortnightly 1:1 plan created at `createdAt`. */
export async function plan(managerId: string, employeeId: string, createdAt: string) {
  const [p] = await db
    .insert(followUpPlans)
    .values({ managerId, employeeId, frequencyDays: 14, channel: 'one_on_one', createdAt: new Date(createdAt) })
    .returning()
  return p
}

/** A check-in due on `dueOn`: held (and confirmed or disputed by the employee), missed, or still planned. */
export async function checkIn(
  p: { id: string; managerId: string; employeeId: string },
  dueOn: string,
  outcome: { heldOn?: string; missed?: true; happened?: boolean },
) {
  const status = outcome.heldOn ? 'held' : outcome.missed ? 'missed' : 'planned'
  const [c] = await db
    .insert(checkIns)
    .values({ planId: p.id, managerId: p.managerId, employeeId: p.employeeId, dueOn, heldOn: outcome.heldOn ?? null, status, progress: 'x' })
    .returning()
  if (outcome.happened !== undefined) {
    await db.insert(checkInConfirmations).values({ checkInId: c.id, employeeId: p.employeeId, managerId: p.managerId, happened: outcome.happened })
  }
  return c
}
