import { z } from 'zod'

/**
 * Raw SQL rows (`db.execute(sql…)`) read through a zod row schema instead of casts: the two
 * drivers differ (postgres.js returns bigint and numeric as text and, through drizzle, timestamps
 * as text; PGlite returns numbers and Dates), and these columns accept both and give one type.
 */
const numeric = z.union([z.number(), z.bigint(), z.string()]).pipe(z.coerce.number())
const timestamp = z.union([z.date(), z.string()]).pipe(z.coerce.date())

export const column = {
  text: z.string(),
  textOrNull: z.string().nullable(),
  /** count(*), bigint, numeric: a number whichever driver read it. Null is refused (z.coerce would make it 0). */
  number: numeric,
  numberOrNull: numeric.nullable(),
  /** A timestamp as a Date whichever driver read it. Null is refused (z.coerce would make it 1970). */
  date: timestamp,
  dateOrNull: timestamp.nullable(),
  boolean: z.boolean(),
  /** A jsonb `{ en, zh-CN }` text. */
  localized: z.object({ en: z.string(), 'zh-CN': z.string() }),
  /** A jsonb value read with `schema`, whether the driver parsed it or left its text (a jsonb inside a union or an aggregate). */
  json: <T extends z.ZodTypeAny>(schema: T) => z.preprocess((value) => (typeof value === 'string' ? JSON.parse(value) : value), schema),
}

const driverResult = z.object({ rows: z.array(z.unknown()) })

/** The rows of a raw `db.execute(sql…)` result (postgres.js returns an array, PGlite `{ rows }`), each parsed with `row`. */
export function parseRows<Row extends z.ZodTypeAny>(row: Row, result: unknown): z.output<Row>[] {
  return z.array(row).parse(Array.isArray(result) ? result : driverResult.parse(result).rows)
}
