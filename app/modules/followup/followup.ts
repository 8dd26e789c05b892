import { z } from 'zod'

/** Follow-up plans, check-ins, confirmations and anonymous upward ratings: what the screens share with the server. */

export const channels = ['one_on_one', 'written_update', 'on_site', 'call'] as const
export type Channel = (typeof channels)[number]

/** The statements an employee rates a check-in on, with the key point each stands for. */
export const statements = ['two_way', 'feedback', 'obstacles', 'autonomy'] as const
export type Statement = (typeof statements)[number]
export const statementKeyPoint: Record<Statement, number> = { two_way: 3, feedback: 5, obstacles: 4, autonomy: 6 }

/** A check-in held up to this many days after its planned date still counts as on time. */
export const ON_TIME_GRACE_DAYS = 2
/** Default minimum of distinct people who must have rated a manager in a month before anything is shown. */
export const DEFAULT_MIN_RATERS = 3
/** The company's calendar: months and "today" are counted in this zone. */
export const FOLLOW_UP_TIME_ZONE = 'Asia/Shanghai'
export const CHECK_IN_TEXT_MAX = 5000

const isoDate = z
  .string({ required_error: 'followup.errors.date' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'followup.errors.date')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'followup.errors.date')

const text = z
  .string()
  .max(CHECK_IN_TEXT_MAX, 'errors.tooLong')

  .refine((v) => !/\u0000/.test(v), 'errors.invalid')
  .optional()
  .transform((v) => (v ?? '').trim())

export const PlanForm = z.object({
  intent: z.literal('plan'),
  employeeId: z.string().uuid(),
  frequencyDays: z
    .number({ required_error: 'followup.errors.frequency', invalid_type_error: 'followup.errors.frequency' })
    .int()
    .min(1, 'followup.errors.frequency')
    .max(366, 'followup.errors.frequency'),
  channel: z.enum(channels, { errorMap: () => ({ message: 'followup.errors.channel' }) }),
  nextDueOn: isoDate,
  notes: text,
})
export type PlanInput = z.infer<typeof PlanForm>

export const CheckInFields = z.object({
  progress: text,
  obstacles: text,
  agreedActions: text,
  feedbackGiven: text,
  employeeInput: text,
})
export type CheckInText = z.infer<typeof CheckInFields>
export const checkInFieldNames = ['progress', 'obstacles', 'agreedActions', 'feedbackGiven', 'employeeInput'] as const

/** Autosave of the draft (any field may be empty) and logging it as held (with the date it was held). */
export const SaveDraftForm = CheckInFields.extend({ intent: z.literal('save'), checkInId: z.string().uuid() })
export const LogCheckInForm = CheckInFields.extend({ intent: z.literal('log'), checkInId: z.string().uuid(), heldOn: isoDate }).refine(
  (v) => Boolean(v.progress),
  { path: ['progress'], message: 'followup.errors.progressRequired' },
)
export const ManagerAction = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('log') }),
  z.object({ intent: z.literal('plan') }),
  z.object({ intent: z.literal('archive'), planId: z.string().uuid() }),
])

const score = z
  .number({ required_error: 'followup.errors.rating', invalid_type_error: 'followup.errors.rating' })
  .int('followup.errors.rating')
  .min(1, 'followup.errors.rating')
  .max(5, 'followup.errors.rating')

/** The employee's confirmation; ratings are asked only when it happened and not yet rated this month. */
export const ConfirmForm = z.object({
  intent: z.literal('confirm'),
  checkInId: z.string().uuid(),
  happened: z.enum(['yes', 'no'], { errorMap: () => ({ message: 'followup.errors.happened' }) }),
  two_way: score.optional(),
  feedback: score.optional(),
  obstacles: score.optional(),
  autonomy: score.optional(),
})
export type ConfirmInput = z.infer<typeof ConfirmForm>
export type Ratings = Record<Statement, number>

export const GrantForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('grant'), userId: z.string().uuid() }),
  z.object({ intent: z.literal('revoke'), userId: z.string().uuid() }),
])

/** `YYYY-MM-DD` of an instant in the company's calendar. */
export function dayIn(instant: Date, timeZone = FOLLOW_UP_TIME_ZONE) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant)
}
/** The first day of the month of a `YYYY-MM-DD` date. */
export function monthOf(day: string) {
  return `${day.slice(0, 7)}-01`
}
/** `YYYY-MM-DD` plus whole days (calendar arithmetic, no time zones involved). */
export function addDays(day: string, days: number) {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}
/** The first day of the month `months` after the month of `day`. */
export function addMonths(day: string, months: number) {
  const d = new Date(`${monthOf(day)}T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + months)
  return d.toISOString().slice(0, 10)
}
