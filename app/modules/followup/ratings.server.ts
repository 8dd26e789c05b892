import { and, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { ratingPeriods, ratingTallies } from '#db/schema'
import { env } from '~/env.server'
import { statements, type Ratings } from './followup'

/**
 * Anonymous upward ratings (docs/follow-up-privacy.md).
 *
 * An answer is never stored as a row: it only adds one to four counters (manager, month,
 * statement, score) and to the month's number of raters. What is shown is a published copy
 * of those counters, refreshed only when at least `minRaters` people have answered since the
 * last refresh, so the difference between any two things ever shown covers at least that many
 * people — in time as well as across months (months are fixed and never split or combined
 * with a below-minimum month).
 */
export function minRaters() {
  return env().FOLLOW_UP_MIN_RATERS
}

const CounterRow = z.object({ raters: column.number, published_raters: column.number })

/** Adds one person's ratings to a manager's month, in the caller's transaction (which also records the confirmation). */
export async function addRating(tx: Executor, managerId: string, period: string, ratings: Ratings, minimum = minRaters()) {
  const [counter] = parseRows(
    CounterRow,
    await tx.execute(sql`
      insert into ${ratingPeriods} (manager_id, period, raters) values (${managerId}, ${period}::date, 1)
      on conflict (manager_id, period) do update set raters = ${ratingPeriods.raters} + 1
      returning raters, published_raters`),
  )
  for (const statement of statements) {
    await tx.execute(sql`
      insert into ${ratingTallies} (manager_id, period, statement, score, count)
      values (${managerId}, ${period}::date, ${statement}, ${ratings[statement]}, 1)
      on conflict (manager_id, period, statement, score) do update set count = ${ratingTallies.count} + 1`)
  }
  // The period row is locked by the upsert above until commit, so publications never interleave.
  if (counter.raters - counter.published_raters >= minimum) {
    await tx
      .update(ratingTallies)
      .set({ publishedCount: sql`${ratingTallies.count}` })
      .where(and(eq(ratingTallies.managerId, managerId), eq(ratingTallies.period, period)))
    await tx
      .update(ratingPeriods)
      .set({ publishedRaters: sql`${ratingPeriods.raters}` })
      .where(and(eq(ratingPeriods.managerId, managerId), eq(ratingPeriods.period, period)))
  }
}

export type RatingAggregate = { raters: number } & Record<(typeof statements)[number], number>

/**
 * The published rating of managers per month, only where at least `minimum` people are behind
 * it. The only reader of the tallies: every screen, export and KPI goes through here or through
 * `followUpMeasures`, which uses the same SQL.
 */
export function publishedRatingsSql(minimum: number) {
  return sql`
    select rp.manager_id, rp.period, rp.published_raters as raters,
      ${sql.join(
        statements.map(
          (s) =>
            sql`(sum(t.score * t.published_count) filter (where t.statement = ${s}))::float8 / nullif(sum(t.published_count) filter (where t.statement = ${s}), 0) as ${sql.identifier(s)}`,
        ),
        sql`, `,
      )}
    from ${ratingPeriods} rp
    join ${ratingTallies} t on t.manager_id = rp.manager_id and t.period = rp.period
    where rp.published_raters >= ${minimum}
    group by rp.manager_id, rp.period, rp.published_raters`
}
