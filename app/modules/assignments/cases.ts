import { z } from 'zod'
import { ContentId, LocalizedText } from '~/modules/courses/content-schema'

/** The functions the case library covers (a case file's `function`). */
export const caseFunctions = ['sales', 'rnd', 'operations', 'remote', 'new-manager', 'manager-of-managers', 'other'] as const
export type CaseFunction = (typeof caseFunctions)[number]

const KeyPoints = z
  .array(z.number({ invalid_type_error: 'must be a number 1–10' }).int('must be a whole number').min(1, 'must be 1–10').max(10, 'must be 1–10'), {
    required_error: 'is required (the key points 1–10 the case violates)',
  })
  .min(1, 'name at least one key point')
  .refine((points) => new Set(points).size === points.length, 'a key point is listed twice')

/** content/cases/<id>.yaml (docs/content-format.md, "Cases"). */
export const CaseFileSchema = z
  .object({
    id: ContentId,
    function: z.enum(caseFunctions, { errorMap: () => ({ message: `must be one of ${caseFunctions.join(', ')}` }) }),
    keyPoints: KeyPoints,
    title: LocalizedText,
    narrative: LocalizedText,
    questions: z.array(LocalizedText, { required_error: 'is required' }).min(1, 'ask at least one discussion question'),
    trainerNotes: LocalizedText,
  })
  .strict()
export type CaseFile = z.infer<typeof CaseFileSchema>

const Text = (max: number) =>
  z
    .string({ required_error: 'errors.required' })
    .trim()
    .min(1, 'errors.required')
    .max(max, 'errors.tooLong')
    .refine((s) => !s.includes('\u0000'), 'errors.invalid')

/** HR's case editor. Questions are one per line, per language. */
export const CaseForm = z.object({
  intent: z.literal('save'),
  function: z.enum(caseFunctions),
  keyPoints: z.preprocess(
    (v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]),
    z.array(z.coerce.number().int().min(1).max(10)).min(1, 'cases.editor.keyPointsRequired'),
  ),
  titleEn: Text(200),
  titleZh: Text(200),
  narrativeEn: Text(20_000),
  narrativeZh: Text(20_000),
  questionsEn: Text(5_000),
  questionsZh: Text(5_000),
  notesEn: Text(10_000),
  notesZh: Text(10_000),
})
export type CaseFormValue = z.infer<typeof CaseForm>

export function lines(text: string) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
}
