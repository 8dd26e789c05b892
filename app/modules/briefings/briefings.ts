import { z } from 'zod'

/** The fields of a briefing pack, in the order the form and the pack show them. */
export const markdownFields = ['companyBackground', 'audienceNotes', 'followUpProblems', 'cases', 'dosAndDonts', 'equipment', 'logisticsNotes'] as const
export type MarkdownField = (typeof markdownFields)[number]

/** What a published pack must contain: a lecturer cannot prepare without these. */
export const requiredToPublish = ['companyBackground', 'followUpProblems', 'dosAndDonts', 'contact'] as const

const longText = z
  .string()
  .max(20_000, 'errors.tooLong')
  .optional()
  .transform((v) => (v ?? '').replace(/\r\n/g, '\n').trim())
const shortText = (max: number) =>
  z
    .string()
    .max(max, 'errors.tooLong')
    .optional()
    .transform((v) => (v ?? '').replace(/\r\n/g, '\n').trim())

/** HR's form. `intent` save keeps a draft a draft; publish (or saving a published pack) publishes a new version. */
export const BriefingForm = z
  .object({
    intent: z.enum(['save', 'publish']),
    language: z.enum(['zh-CN', 'en'], { required_error: 'errors.required', invalid_type_error: 'errors.invalid' }),
    companyBackground: longText,
    audienceDepartments: shortText(2000),
    audienceLevels: shortText(1000),
    headCount: z.number({ invalid_type_error: 'errors.invalid' }).int('errors.invalid').min(0, 'errors.invalid').max(100_000, 'errors.invalid').optional(),
    audienceNotes: longText,
    followUpProblems: longText,
    cases: longText,
    dosAndDonts: longText,
    equipment: longText,
    contact: shortText(500),
    logisticsNotes: longText,
  })
  .superRefine((v, ctx) => {
    if (v.intent !== 'publish') return
    for (const field of requiredToPublish) {
      if (!v[field]) ctx.addIssue({ code: 'custom', path: [field], message: 'briefings.requiredToPublish' })
    }
  })
export type BriefingInput = z.infer<typeof BriefingForm>
export type BriefingContent = Omit<BriefingInput, 'intent'>
export const contentFields = [
  'language',
  'companyBackground',
  'audienceDepartments',
  'audienceLevels',
  'headCount',
  'audienceNotes',
  'followUpProblems',
  'cases',
  'dosAndDonts',
  'equipment',
  'contact',
  'logisticsNotes',
] as const satisfies readonly (keyof BriefingContent)[]

export const AcknowledgeForm = z.object({ intent: z.literal('acknowledge'), version: z.coerce.number().int().min(1) })
