import { parseWithZod } from '@conform-to/zod'
import { data } from '@remix-run/node'
import { type z } from 'zod'
import { isSlug, isStorableText, isUuid } from './validation'

/**
 * The one form protocol: read the body (bounded), `parseWithZod` with the route's schema (several
 * actions in one route are told apart by an `intent` literal), and on failure answer 400 with
 * `submission.reply()` — conform's field errors, whose messages are i18n keys the form shows in
 * the reader's language. Missing or forbidden things stay thrown Responses (404/403).
 */

/** The largest urlencoded or multipart form body a page form may send (uploads use their own routes). */
export const FORM_BODY_MAX = 1_000_000

export function badRequest(message = 'Bad request'): Response {
  return new Response(message, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

/**
 * The request's form data, refusing a body over `max` bytes (413) and a body that is not a form
 * (400) — never a 500 from a broken multipart boundary or an endless stream.
 */
export async function readForm(request: Request, max = FORM_BODY_MAX): Promise<FormData> {
  const declared = Number(request.headers.get('Content-Length') ?? '')
  if (Number.isFinite(declared) && declared > max) throw new Response('Payload too large', { status: 413 })
  const type = request.headers.get('Content-Type') ?? ''
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type) && request.body) throw badRequest()
  try {
    const body = await request.arrayBuffer()
    if (body.byteLength > max) throw new Response('Payload too large', { status: 413 })
    const form = await new Response(body, { headers: { 'Content-Type': type } }).formData()
    // PostgreSQL cannot store a NUL in text: whatever field it is in, the form is refused here.
    for (const [key, value] of form) if (key.includes('\u0000') || (typeof value === 'string' && value.includes('\u0000'))) throw badRequest()
    return form
  } catch (error) {
    if (error instanceof Response) throw error
    throw badRequest()
  }
}

/** Parses the request's form (or form data already read) with a zod schema, conform-style. */
export async function parseForm<Schema extends z.ZodTypeAny>(source: Request | FormData, schema: Schema) {
  return parseWithZod(source instanceof Request ? await readForm(source) : source, { schema })
}

/**
 * For forms made of buttons and hidden fields, which only a tampered or broken request gets
 * wrong: the parsed value, or a thrown 400 carrying conform's reply (the route's error boundary
 * says so in the reader's language). Forms people type into return `invalid(submission)` instead.
 */
export async function requireValid<Schema extends z.ZodTypeAny>(source: Request | FormData, schema: Schema): Promise<z.output<Schema>> {
  const submission = await parseForm(source, schema)
  if (submission.status !== 'success') throw Response.json({ result: submission.reply() }, { status: 400 })
  return submission.value as z.output<Schema>
}

/**
 * Parses fields only a tampered or broken request gets wrong (hidden intents, ids, positions):
 * a 400, not a field error the person could correct.
 */
export function parseOr400<Schema extends z.ZodTypeAny>(schema: Schema, data: unknown): z.output<Schema> {
  const result = schema.safeParse(data)
  if (!result.success) throw badRequest()
  return result.data as z.output<Schema>
}

/** The largest JSON body a resource route takes (progress reports, responses, notes, editor changes). */
export const JSON_BODY_MAX = 256_000

/**
 * A JSON body: `application/json` only (a cross-site page can post `text/plain` without a
 * preflight, never `application/json`), bounded; anything else is 415/413/400, never a 500.
 */
export async function readJson(request: Request, max = JSON_BODY_MAX): Promise<unknown> {
  if (!/^application\/json\b/i.test(request.headers.get('Content-Type') ?? '')) throw new Response('Unsupported media type', { status: 415 })
  const declared = Number(request.headers.get('Content-Length') ?? '')
  if (Number.isFinite(declared) && declared > max) throw new Response('Payload too large', { status: 413 })
  const text = await request.text().catch(() => {
    throw badRequest()
  })
  if (text.length > max) throw new Response('Payload too large', { status: 413 })
  if (text.includes('\\u0000') || text.includes('\u0000')) throw badRequest()
  try {
    return JSON.parse(text)
  } catch {
    throw badRequest()
  }
}

/** A zod error as conform-shaped field errors (`{ 'captions.en': ['videos.vtt.header'] }`), for modules that parse JSON themselves. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const errors: Record<string, string[]> = {}
  for (const issue of error.issues) (errors[issue.path.join('.')] ??= []).push(issue.message)
  return errors
}

type Submission = { reply: () => unknown }

/** A refused submission: 400 with conform's reply (field errors as i18n keys). */
export function invalid(submission: Submission, extra: Record<string, unknown> = {}) {
  return data({ result: submission.reply(), ...extra }, { status: 400 })
}

/** What each route parameter name may look like; anything else names nothing (404). */
const PARAM_RULES: Record<string, (value: string) => boolean> = {
  sessionId: isUuid,
  personId: isUuid,
  emailId: isUuid,
  imageId: isUuid,
  uploadId: isUuid,
  groupId: isUuid,
  assignmentId: isUuid,
  fileId: isUuid,
  employeeId: isUuid,
  caseId: (v) => v === 'new' || isUuid(v),
  scenarioId: isUuid,
  courseId: isSlug,
  moduleId: isSlug,
  videoId: isSlug,
  token: (v) => /^[A-Za-z0-9_~.-]{1,300}$/.test(v),
  file: (v) => /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$/.test(v) && !v.includes('..'),
}
const anyParam = (v: string) => v.length <= 200 && isStorableText(v) && !/[\u0000-\u001f\u007f]/.test(v)

/**
 * A route parameter, checked by its name (UUIDs, keys, tokens, file names): malformed values
 * never reach SQL or the file system, they are a 404 like any other id that names nothing.
 */
export function param(params: Record<string, string | undefined>, name: string): string {
  const value = params[name] ?? ''
  const valid = PARAM_RULES[name] ?? anyParam
  if (!valid(value)) throw new Response('Not found', { status: 404 })
  return value
}
