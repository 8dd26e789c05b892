import { z } from 'zod'

/**
 * Raw SQL rows (`db.execute(sql…)`) read through a zod row schema instead of casts: the two
 * drivers differ (postgres.js returns bigint and numeric as text and, through drizzle, timestamps
 * as text; PGlite returns numbers and Dates), and these columns accept both and give one type.
 */
export const column = {
  text: z.string(),
  textOrNull: z.string().nullable(),
  /** count(*), bigint, numeric: a number whichever driver read it. */
  number: z.coerce.number(),
  numberOrNull: z.coerce.number().nullable(),
  date: z.coerce.date(),
  dateOrNull: z.coerce.date().nullable(),
  boolean: z.boolean(),
  /** A jsonb `{ en, zh-CN }` text. */
  localized: z.object({ en: z.string(), 'zh-CN': z.string() }),
}

const driverResult = z.object({ rows: z.array(z.unknown()) })

/** The rows of a raw `db.execute(sql…)` result (postgres.js returns an array, PGlite `{ rows }`), each parsed with `row`. */
export function parseRows<Row extends z.ZodTypeAny>(row: Row, result: unknown): z.output<Row>[] {
  return z.array(row).parse(Array.isArray(result) ? result : driverResult.parse(result).rows)
}
