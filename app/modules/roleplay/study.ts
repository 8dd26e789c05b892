import { z } from 'zod'
import { uuid } from '~/shared/validation'

/** Shared with the UI (no server imports): the self-study pack of a role-play group (docs/decisions/036). */
export const STUDY_ITEM_KINDS = ['course_module', 'file', 'video'] as const
export type StudyItemKind = (typeof STUDY_ITEM_KINDS)[number]

/** The longest pack a trainer may give one group. */
export const MAX_STUDY_ITEMS = 30

/** Reminders to members who have not finished their pack: this long before the session starts. */
export const STUDY_REMINDER_WINDOWS = ['48h', '24h'] as const
export type StudyReminderWindow = (typeof STUDY_REMINDER_WINDOWS)[number]

const ref = z.string({ required_error: 'errors.required' }).trim().min(1, 'errors.required').max(200, 'errors.invalid')

/** The trainer's edits of a pack: add an item, remove one, move one up or down. */
export const StudyPackForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('add'), assignmentId: uuid, kind: z.enum(STUDY_ITEM_KINDS, { errorMap: () => ({ message: 'errors.invalid' }) }), ref }),
  z.object({ intent: z.literal('add-file'), assignmentId: uuid, uploadId: z.string({ required_error: 'errors.required' }).min(1).max(200) }),
  z.object({ intent: z.literal('remove'), itemId: uuid }),
  z.object({ intent: z.literal('move'), itemId: uuid, direction: z.enum(['up', 'down']) }),
])
export type StudyPackInput = z.infer<typeof StudyPackForm>

/** A member marks a file as read. */
export const StudyDoneForm = z.object({ intent: z.literal('done') })

/** Which reminder is due `left` milliseconds before the start: 48 h in the day before the last, 24 h in the last day. */
export function studyReminderWindow(startsAt: Date, now: Date): StudyReminderWindow | null {
  const left = startsAt.getTime() - now.getTime()
  const DAY = 86_400_000
  if (left <= 0 || left > 2 * DAY) return null
  return left <= DAY ? '24h' : '48h'
}
