import { z } from 'zod'

/**
 * Zod primitives for everything that crosses the boundary (form fields, route params, query
 * strings), so malformed input is a 400 with a message and never reaches SQL. Messages are
 * i18n keys (app/i18n/messages/common.ts). No server imports: the UI validates with the same.
 */

/** Text PostgreSQL cannot store (NUL) or that arrived as broken UTF-8 (lone surrogates; U+FFFD is what a decoder puts for invalid bytes). */
const UNSTORABLE = /[\u0000\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

export function isStorableText(value: string) {
  return !UNSTORABLE.test(value)
}

/** Trimmed text up to `max` characters without NUL or broken encoding; required unless `.optional()`-ed by the caller. */
export function text(max: number) {
  return z
    .string({ required_error: 'errors.required', invalid_type_error: 'errors.invalid' })
    .max(max * 4, 'errors.tooLong') // refuse a huge value before trimming it
    .refine(isStorableText, 'errors.badCharacters')
    .transform((v) => v.trim())
    .pipe(z.string().max(max, 'errors.tooLong'))
}

/** Required, non-empty text. */
export function requiredText(max: number) {
  return text(max).pipe(z.string().min(1, 'errors.required'))
}

/** Optional text: an empty field is `undefined`. */
export function optionalText(max: number) {
  return z
    .union([z.literal('').transform(() => undefined), text(max)])
    .optional()
    .transform((v) => (v ? v : undefined))
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i

/** A UUID as PostgreSQL stores it (RFC 9562 versions 1–8), not just 36 hex digits and dashes. */
export const uuid = z.string({ required_error: 'errors.required', invalid_type_error: 'errors.invalid' }).regex(UUID, 'errors.invalid')

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

/** An optional UUID field: empty is `undefined`. */
export const optionalUuid = z.union([z.literal('').transform(() => undefined), uuid]).optional()

/** A text filter from a query string: bounded, storable, or dropped (a GET filter is never refused). */
export function searchText(max: number) {
  return optionalText(max).catch(undefined)
}

/** A UUID filter from a query string, or dropped. */
export const searchUuid = uuid.optional().catch(undefined)

/** A page number in a query string: 1 up to a bound that fits any offset; garbage is page 1. */
export const PAGE_MAX = 100_000
export const page = z.coerce.number().int().min(1).max(PAGE_MAX).default(1).catch(1)

/** A bounded whole number from a form field (coerced); never beyond what an integer column holds. */
export function integer(min: number, max: number) {
  return z.coerce.number({ invalid_type_error: 'errors.invalid' }).int('errors.invalid').min(min, 'errors.invalid').max(max, 'errors.invalid')
}

export function isTimeZone(value: string) {
  if (!value || value.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(value)) return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return true
  } catch {
    return false
  }
}

/**
 * An IANA time zone. A bad zone is a fatal issue: object-level refinements that convert times
 * in this zone (e.g. "end after start") never run with it.
 */
export const timeZone = z.string({ required_error: 'errors.required' }).superRefine((value, ctx) => {
  if (!isTimeZone(value.trim())) ctx.addIssue({ code: 'custom', message: 'errors.timeZone', fatal: true })
})

/** A route parameter that names something by key (course, module, video): a slug, nothing else. */
export const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/i)

export function isSlug(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z0-9][a-z0-9_-]{0,99}$/i.test(value)
}

const REDIRECT_BASE = 'http://genjin.invalid'

/**
 * A same-origin relative path, parsed with the URL API as a browser would (which drops tabs and
 * newlines, so `/\t/evil.example` is `//evil.example`). Control characters and backslashes are
 * refused outright; the result is the normalised, percent-encoded path, safe in a Location header.
 */
export function safeRedirect(to: unknown, fallback = '/') {
  if (typeof to !== 'string' || to.length > 2000 || !to.startsWith('/')) return fallback
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback
  let url: URL
  try {
    url = new URL(to, REDIRECT_BASE)
  } catch {
    return fallback
  }
  if (url.origin !== REDIRECT_BASE) return fallback
  return url.pathname + url.search + url.hash
}

/** A redirect target from a form: anything that is not a same-origin path becomes `/`. */
export const redirectPath = z.unknown().transform((v) => safeRedirect(v))
