import { z } from 'zod'
import { page, searchText, searchUuid } from '~/shared/validation'
import { roles } from '~/modules/auth/permissions'
import { moduleKinds } from './kinds'
import {
  maxAttemptsField,
  passMarkField,
  questionsField,
  quizProblems,
  sheetFieldsField,
  sheetProblems,
  type QuestionFormValue,
  type QuizProblem,
  type SheetFieldFormValue,
} from './quiz-editor'

/** Zod schemas and helpers the course screens share with the server (no server imports). */

import type { Locale, Localized } from '~/i18n/define'

export type { Localized }
export type UiLocale = Locale
export type ModuleStatus = 'not_started' | 'in_progress' | 'completed'

/** The text in the reader's language, falling back to the other one. */
export function pick(text: Localized | null | undefined, locale: UiLocale): string {
  if (!text) return ''
  return text[locale] || text.en || text['zh-CN'] || ''
}

export { hasRef, isPlaceholder, linkedKinds, placeholderKinds } from './kinds'

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** A due date typed as YYYY-MM-DD means the end of that day in China (UTC+8, no daylight saving). */
export function endOfDayInChina(date: string) {
  return new Date(`${date}T23:59:59+08:00`)
}

/** The YYYY-MM-DD of a moment in China. */
export function chinaDate(value: Date | string) {
  return new Date(new Date(value).getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))

export const AssignForm = z
  .object({
    intent: z.literal('assign'),
    roles: z.array(z.enum(roles)).optional(),
    departmentId: z
      .string()
      .uuid('errors.invalid')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    /** Emails or employee numbers, separated by new lines, commas or spaces. */
    people: optionalText.pipe(z.string().max(20_000, 'errors.tooLong').optional()),
    dueDate: z
      .string()
      .regex(DATE, 'courses.assign.badDate')
      .optional()
      .or(z.literal('').transform(() => undefined)),
  })
  .refine((v) => (v.roles?.length ?? 0) > 0 || v.departmentId || v.people, { message: 'courses.assign.noAudience', path: ['roles'] })
export type AssignFormValue = z.infer<typeof AssignForm>

export const UnassignForm = z.object({ intent: z.literal('unassign'), assignmentId: z.string().uuid() })

/** Splits the people box into emails / employee numbers. */
export function splitIdentifiers(text: string | undefined) {
  return [
    ...new Set(
      (text ?? '')
        .split(/[\s,;，；]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ]
}

export const progressStatuses = ['not_started', 'in_progress', 'completed'] as const
export type ProgressStatus = (typeof progressStatuses)[number]

export const ProgressFilters = z.object({
  course: searchText(100),
  department: searchUuid,
  status: z.enum(progressStatuses).optional().catch(undefined),
  overdue: z
    .enum(['1', 'true', 'on'])
    .optional()
    .transform((v) => Boolean(v))
    .catch(false),
  q: searchText(100),
  page,
})
export type ProgressFilters = z.infer<typeof ProgressFilters>

/** Quiz answers come as `q.<questionId>` fields with option ids; anything else is ignored. */
export function answersFromForm(formData: FormData) {
  const answers: Record<string, string[]> = {}
  for (const [key, value] of formData.entries()) {
    if (!key.startsWith('q.') || typeof value !== 'string') continue
    const id = key.slice(2)
    ;(answers[id] ??= []).push(value)
  }
  return answers
}

export const QuizAnswers = z.record(z.string().max(100), z.array(z.string().max(100)).max(50))

export const QuizForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('start') }),
  z.object({ intent: z.literal('submit'), attemptId: z.string().uuid('errors.invalid') }),
])

export const PositionForm = z.object({ intent: z.literal('position'), position: z.coerce.number().int().min(0).max(100) })
export const CompleteLessonForm = z.object({ intent: z.literal('complete') })

export const PREP_FIELD_MAX = 5000
export const PrepSheetForm = z.object({
  intent: z.enum(['save', 'share']),
})

const requiredText = (max: number) => z.string({ required_error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.tooLong')
const minutesField = z.coerce.number({ invalid_type_error: 'errors.invalid' }).int('errors.invalid').min(1, 'errors.invalid').max(10_000, 'errors.invalid')
const contentIdField = z
  .string({ required_error: 'errors.required' })
  .trim()
  .min(1, 'errors.required')
  .max(80, 'errors.tooLong')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'courses.author.badId')

export const CourseForm = z.object({
  contentId: contentIdField,
  audience: z.enum(['managers', 'employees'], { errorMap: () => ({ message: 'errors.invalid' }) }),
  titleEn: requiredText(200),
  titleZh: requiredText(200),
  descriptionEn: requiredText(2000),
  descriptionZh: requiredText(2000),
  estimatedMinutes: minutesField,
})
export type CourseFormValue = z.infer<typeof CourseForm>

export const authorableKinds = moduleKinds
export const NewModuleForm = z.object({
  intent: z.literal('add-module'),
  contentId: contentIdField,
  kind: z.enum(authorableKinds, { errorMap: () => ({ message: 'errors.invalid' }) }),
  titleEn: requiredText(200),
  titleZh: requiredText(200),
})
export type NewModuleFormValue = z.infer<typeof NewModuleForm>

export const ModuleForm = z
  .object({
    intent: z.literal('save'),
    /** What the editor shows; the server checks against the module's real kind. */
    kind: z.enum(authorableKinds).optional(),
    titleEn: requiredText(200),
    titleZh: requiredText(200),
    required: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()),
    estimatedMinutes: minutesField,
    keyPoints: z.string().max(100, 'errors.tooLong').optional(),
    bodyEn: z.string().max(100_000, 'errors.tooLong').optional(),
    bodyZh: z.string().max(100_000, 'errors.tooLong').optional(),
    passMark: passMarkField.optional(),
    maxAttempts: maxAttemptsField.optional(),
    scoring: z.enum(['best', 'last'], { errorMap: () => ({ message: 'errors.invalid' }) }).optional(),
    questions: questionsField,
    fields: sheetFieldsField,
    ref: z.string().trim().max(80, 'errors.tooLong').optional(),
  })
  .superRefine((value, ctx) => {
    for (const problem of moduleFormProblems(value, value.kind)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: problem.path, message: problem.message })
  })
export type ModuleFormValue = z.infer<typeof ModuleForm>

/** Rules of the module form that depend on the module's kind: the quiz editor's and the prep sheet's. */
export function moduleFormProblems(
  value: { passMark?: number; maxAttempts?: number; questions?: QuestionFormValue[]; fields?: SheetFieldFormValue[] },
  kind: string | undefined,
): QuizProblem[] {
  if (kind === 'prep_sheet') return sheetProblems(value.fields)
  if (kind !== 'quiz') return []
  const problems: QuizProblem[] = []
  if (value.passMark === undefined) problems.push({ path: ['passMark'], message: 'errors.required' })
  if (value.maxAttempts === undefined) problems.push({ path: ['maxAttempts'], message: 'errors.required' })
  return [...problems, ...quizProblems(value.questions)]
}
