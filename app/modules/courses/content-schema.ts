import { z } from 'zod'

/**
 * Schemas for the course content files (docs/content-format.md). Objects are strict: an
 * unknown key is almost always a typo (`estimatedMinute`, `zh_CN`) that would otherwise
 * silently drop content, so it is reported instead.
 */

export const contentLocales = ['en', 'zh-CN'] as const
export type ContentLocale = (typeof contentLocales)[number]

export const audiences = ['managers', 'employees'] as const
export { moduleKinds, type ModuleKind } from './kinds'
export const questionTypes = ['single', 'multiple', 'true_false', 'scenario'] as const
export type QuestionType = (typeof questionTypes)[number]

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** Stable id: the database import matches on it. */
export const ContentId = z
  .string({ required_error: 'is required', invalid_type_error: 'must be a string' })
  .regex(kebab, 'must be kebab-case (a-z, 0-9 and single hyphens)')

/**
 * Option ids and answers. YAML 1.2 reads an unquoted `true`/`false` as a boolean, and the
 * true_false options are written exactly that way, so booleans become their names here.
 */
const OptionId = z.preprocess((value) => (typeof value === 'boolean' ? String(value) : value), ContentId)

function text(locale: ContentLocale) {
  return z
    .string({ required_error: `missing ${locale} text`, invalid_type_error: `${locale} text must be a string` })
    .refine((s) => s.trim().length > 0, `empty ${locale} text`)
}

export const LocalizedText = z
  .object(
    { en: text('en'), 'zh-CN': text('zh-CN') },
    { required_error: 'missing text (en and zh-CN)', invalid_type_error: 'expected an object with en and zh-CN' },
  )
  .strict()
export type LocalizedText = z.infer<typeof LocalizedText>

const minutes = z
  .number({ required_error: 'is required', invalid_type_error: 'must be a number of minutes' })
  .int('must be a whole number')
  .positive('must be at least 1')

/** Reports the second and later occurrences of an id, at `path(index)`. */
export function reportDuplicates(ids: unknown[], ctx: z.RefinementCtx, what: string, path: (index: number) => (string | number)[]) {
  const seen = new Set<unknown>()
  ids.forEach((id, index) => {
    if (id === undefined) return
    if (seen.has(id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: path(index), message: `duplicate ${what} ${JSON.stringify(id)}` })
    seen.add(id)
  })
}

export const CourseSchema = z
  .object({
    id: ContentId,
    audience: z.enum(audiences, { errorMap: () => ({ message: `must be one of ${audiences.join(', ')}` }) }),
    estimatedMinutes: minutes,
    title: LocalizedText,
    description: LocalizedText,
  })
  .strict()
export type Course = z.infer<typeof CourseSchema>

/** The fields every module file has; a kind's schema (kinds/<kind>.server.ts) adds its own. */
export const moduleBase = {
  id: ContentId,
  title: LocalizedText,
  required: z.boolean({ invalid_type_error: 'must be true or false' }).default(true),
  estimatedMinutes: minutes,
  keyPoints: z
    .array(
      z
        .number({ invalid_type_error: 'a key point is a number from 1 to 10' })
        .int('a key point is a whole number from 1 to 10')
        .min(1, 'key points run from 1 to 10')
        .max(10, 'key points run from 1 to 10'),
      { invalid_type_error: 'must be a list such as [1, 7]' },
    )
    .min(1, 'when present, lists at least one key point')
    .superRefine((points, ctx) => reportDuplicates(points, ctx, 'key point', (i) => [i]))
    .optional(),
}

export const OptionSchema = z.object({ id: OptionId, text: LocalizedText }).strict()
export type Option = z.infer<typeof OptionSchema>

export const QuestionSchema = z
  .object({
    id: ContentId,
    type: z.enum(questionTypes, { errorMap: () => ({ message: `must be one of ${questionTypes.join(', ')}` }) }),
    scenario: LocalizedText.optional(),
    prompt: LocalizedText,
    options: z.array(OptionSchema, { required_error: 'are required', invalid_type_error: 'must be a list' }),
    answer: z
      .array(OptionId, { required_error: 'is required', invalid_type_error: 'must be a list of option ids, e.g. [a]' })
      .min(1, 'must name at least one option'),
    explanation: LocalizedText,
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.type === 'scenario' && !q.scenario) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['scenario'], message: 'a scenario question needs the scenario text' })
    }
    if (q.type !== 'scenario' && q.scenario) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['scenario'], message: `only scenario questions have a scenario (this one is ${q.type})` })
    }

    const optionIds = q.options.map((o) => o.id)
    reportDuplicates(optionIds, ctx, 'option id', (i) => ['options', i, 'id'])
    if (q.type === 'true_false') {
      const ids = [...optionIds].sort()
      if (ids.length !== 2 || ids[0] !== 'false' || ids[1] !== 'true') {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['options'], message: 'a true_false question has exactly two options, with ids true and false' })
      }
    } else if (q.options.length < 2) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['options'], message: `a ${q.type} question needs at least 2 options` })
    }

    reportDuplicates(q.answer, ctx, 'answer', (i) => ['answer', i])
    q.answer.forEach((id, i) => {
      if (!optionIds.includes(id)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['answer', i], message: `answer "${id}" is not one of the options (${optionIds.join(', ')})` })
      }
    })
    if (q.type !== 'multiple' && q.answer.length > 1) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['answer'], message: `a ${q.type} question has exactly one answer, found ${q.answer.length}` })
    }
  })
export type Question = z.infer<typeof QuestionSchema>

export const PrepSheetFieldSchema = z
  .object({
    id: ContentId,
    label: LocalizedText,
    help: LocalizedText,
    multiline: z.boolean({ invalid_type_error: 'must be true or false' }).default(false),
  })
  .strict()
export type PrepSheetField = z.infer<typeof PrepSheetFieldSchema>
