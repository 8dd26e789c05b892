import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'

/** A LIKE/ILIKE pattern matching `text` anywhere, with `%`, `_` and `\` in it taken literally. */
export function containsPattern(text: string) {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * `path` is `root` or lies below it. Not `LIKE root || '/%'`: department names may contain
 * `_` or `%`, which LIKE would read as wildcards.
 */
export function inSubtree(path: SQLWrapper | SQL, root: SQLWrapper | SQL) {
  return sql`(${path} = ${root} or starts_with(${path}, ${root} || '/'))`
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Ids arrive from URLs; a malformed one is "not found", not a database error. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}
