import { z } from 'zod'
import { can, type CurrentUser } from '~/modules/auth/permissions'

/** The three questions of the reaction survey, in the order they are asked and reported. */
export const surveyQuestions = ['content', 'trainer', 'usefulness'] as const
export type SurveyQuestion = (typeof surveyQuestions)[number]
export const ratingValues = [1, 2, 3, 4, 5] as const

const rating = z
  .number({ required_error: 'surveys.ratingRequired', invalid_type_error: 'surveys.ratingRequired' })
  .int('surveys.ratingRequired')
  .min(1, 'surveys.ratingRequired')
  .max(5, 'surveys.ratingRequired')

/** The survey form (conform coerces "1".."5" and the checkbox). */
export const SurveyForm = z.object({
  content: rating,
  trainer: rating,
  usefulness: rating,
  comment: z
    .string()
    .trim()
    .max(2000, 'errors.tooLong')
    .optional()
    .transform((v) => (v ? v : undefined)),
  anonymous: z.boolean().optional().default(false),
})
export type SurveyInput = z.infer<typeof SurveyForm>

/** Where a person stands with one session's survey. */
export type SurveyState = 'not_open' | 'open' | 'answered' | 'closed'

/** Whether the person may read this session's survey results (HR: all; trainers and lecturers: sessions they teach). */
export function canReadSurveyResults(user: Pick<CurrentUser, 'roles'>, teachesSession: boolean) {
  return can(user, 'read:surveys:all') || (teachesSession && can(user, 'read:surveys:own'))
}
