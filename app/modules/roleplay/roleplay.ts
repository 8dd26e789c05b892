import { z } from 'zod'

/** Shared with the UI (no server imports): forms, the rubric on the ten key points and its score. */

export const KEY_POINTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const

/** Rubric levels for each key point, lowest first (labels: rp.level.<index>). */
export const RUBRIC_LEVELS = [0, 1, 2, 3] as const
const TOP_LEVEL = RUBRIC_LEVELS[RUBRIC_LEVELS.length - 1]

/** Levels (key point → level) → 0–100, or null while a key point has no level (or a level is out of range). */
export function rubricScore(levels: Record<string, number | undefined>): number | null {
  let sum = 0
  for (const k of KEY_POINTS) {
    const level = levels[String(k)]
    if (level === undefined || !Number.isInteger(level) || level < 0 || level > TOP_LEVEL) return null
    sum += level
  }
  return Math.round((sum * 100) / (KEY_POINTS.length * TOP_LEVEL))
}

/** Keeps only known key points with valid levels (what a draft may hold). */
export function cleanLevels(levels: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const k of KEY_POINTS) {
    const v = Number(levels[String(k)])
    if (levels[String(k)] !== '' && levels[String(k)] != null && Number.isInteger(v) && v >= 0 && v <= TOP_LEVEL) out[String(k)] = v
  }
  return out
}

/** "1:05" from milliseconds (for comment markers). */
export function formatAt(ms: number) {
  const s = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`
}

const Uuid = z.string({ required_error: 'errors.required' }).uuid('errors.invalid')
const LocalDateTime = z.string({ required_error: 'errors.required' }).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'errors.invalid')
const Text = (max: number) =>
  z
    .string()
    .max(max, 'errors.tooLong')
    .refine((s) => !s.includes('\u0000'), 'errors.invalid')
    .default('')
    .transform((s) => s.trim())
const RequiredText = (max: number) =>
  z
    .string({ required_error: 'errors.required' })
    .max(max, 'errors.tooLong')
    .refine((s) => !s.includes('\u0000'), 'errors.invalid')
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, 'errors.required')
const KeyPointList = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.coerce.number().int().min(1, 'errors.invalid').max(10, 'errors.invalid')).max(10),
)

/** The trainer gives one group a scenario, a due time (session's time zone) and casts its members (`cast.<userId>` = role id, '' = observer). */
export const AssignRoleplayForm = z.object({
  intent: z.literal('assign'),
  groupId: Uuid,
  scenarioId: Uuid,
  dueAt: LocalDateTime,
  cast: z.record(z.string(), z.string().max(100)).default({}),
})
export type AssignRoleplayInput = z.infer<typeof AssignRoleplayForm>

export const PerformedLiveForm = z.object({
  intent: z.literal('performed-live'),
  assignmentId: Uuid,
  live: z.enum(['yes', 'no']).default('yes'),
})

/** A finished upload (tus id) to turn into the next version of the group's recording. */
export const SubmitRecordingForm = z.object({
  intent: z.literal('submit'),
  uploadId: z.string({ required_error: 'rp.recording.chooseFile' }).regex(/^[0-9a-f]{32}$/, 'rp.recording.chooseFile'),
})
export const WithdrawRecordingForm = z.object({ intent: z.literal('withdraw'), recordingId: Uuid })
/** A member's consent to show a recording as a teaching example (yes) or taking it back (no). */
export const RecordingConsentForm = z.object({ consent: z.enum(['yes', 'no'], { errorMap: () => ({ message: 'errors.invalid' }) }) })
export const PromoteRecordingForm = z.object({ intent: z.literal('promote') })

export const CommentForm = z.object({
  intent: z.literal('comment'),
  recordingId: Uuid,
  atMs: z.coerce
    .number({ invalid_type_error: 'errors.invalid' })
    .int()
    .min(0)
    .max(24 * 3600_000),
  tone: z.enum(['praise', 'correction'], { errorMap: () => ({ message: 'errors.invalid' }) }),
  keyPoints: KeyPointList,
  body: RequiredText(2_000),
})
export type CommentInput = z.infer<typeof CommentForm>
export const EditCommentForm = z.object({
  intent: z.literal('edit-comment'),
  commentId: z.coerce.number().int().positive(),
  tone: z.enum(['praise', 'correction'], { errorMap: () => ({ message: 'errors.invalid' }) }),
  keyPoints: KeyPointList,
  body: RequiredText(2_000),
})
export const DeleteCommentForm = z.object({ intent: z.literal('delete-comment'), commentId: z.coerce.number().int().positive() })
export const ReplyForm = z.object({ intent: z.literal('reply'), commentId: z.coerce.number().int().positive(), body: RequiredText(2_000) })

/** The rubric: `levels.<keyPoint>` = level index, and the summary. */
export const ReviewForm = z.object({
  intent: z.literal('review'),
  levels: z.record(z.string(), z.union([z.literal(''), z.coerce.number().int().min(0).max(TOP_LEVEL)])).default({}),
  summary: Text(10_000),
})
export const ReleaseReviewForm = z.object({ intent: z.literal('release') })

/** The live score sheet's autosave (JSON). */
export const ScoreDraftSchema = z
  .object({
    levels: z.record(z.string().max(3), z.union([z.number().int().min(0).max(TOP_LEVEL), z.null()])).default({}),
    summary: z.string().max(10_000).default(''),
  })
  .strict()
