import { z } from 'zod'
import type { RubricCriterion } from '#db/schema/assignments'

const Uuid = z.string({ required_error: 'errors.required' }).uuid('errors.invalid')
const LocalDateTime = z.string({ required_error: 'errors.required' }).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'errors.invalid')
const Flag = z.preprocess((v) => v === 'on' || v === 'true', z.boolean()).default(false)
const Comment = (max: number) =>
  z
    .string()
    .max(max, 'errors.tooLong')
    .refine((s) => !s.includes('\u0000'), 'errors.invalid')
    .default('')
    .transform((s) => s.trim())

/**
 * Giving the groups their case: the same for all (`caseId`) or one each (`case.<groupId>`),
 * a due time in the session's time zone, the rubric and the session-2 options.
 */
export const AssignForm = z.object({
  intent: z.literal('assign'),
  mode: z.enum(['same', 'different']),
  caseId: z.union([Uuid, z.literal('')]).optional(),
  cases: z.record(z.string(), z.union([Uuid, z.literal('')])).default({}),
  dueAt: LocalDateTime,
  rubricId: Uuid,
  peerRatings: Flag,
  contributionRatings: Flag,
  presentMinutes: z.coerce
    .number({ invalid_type_error: 'errors.invalid' })
    .int('errors.invalid')
    .min(1, 'errors.invalid')
    .max(120, 'errors.invalid')
    .default(10),
})
export type AssignInput = z.infer<typeof AssignForm>

/** A finished upload (tus id) to turn into the next version of the group's submission. */
export const SubmitForm = z.object({
  intent: z.literal('submit'),
  uploadId: z.string({ required_error: 'cases.submission.chooseFile' }).regex(/^[0-9a-f]{32}$/, 'cases.submission.chooseFile'),
})

export const GradeForm = z.object({
  intent: z.literal('grade'),
  /** The grade version the trainer started from (0: no grade yet); a newer one means somebody else saved. */
  version: z.coerce.number().int().min(0),
  levels: z.record(z.string(), z.coerce.number().int().min(0).max(20)),
  comment: Comment(10_000),
  slideComments: z
    .array(z.object({ page: z.coerce.number().int().min(1).max(1000), text: Comment(2_000) }))
    .max(200)
    .default([])
    .transform((rows) => rows.filter((r) => r.text.length > 0)),
})
export type GradeInput = z.infer<typeof GradeForm>

export const ReleaseForm = z.object({ intent: z.literal('release') })

export const OrderForm = z.object({
  intent: z.literal('order'),
  mode: z.enum(['random', 'manual']),
  /** assignment id → place (1 first), for a manual order */
  positions: z.record(Uuid, z.coerce.number().int().min(1).max(1000)).default({}),
})
export const PresentedForm = z.object({ intent: z.literal('presented'), assignmentId: Uuid })

export const PeerRatingForm = z.object({
  intent: z.literal('peer-rating'),
  assignmentId: Uuid,
  score: z.coerce.number({ invalid_type_error: 'cases.peer.chooseScore' }).int().min(1, 'cases.peer.chooseScore').max(5, 'cases.peer.chooseScore'),
  comment: Comment(1_000),
})
export const ContributionForm = z.object({
  intent: z.literal('contribution'),
  ratings: z.record(Uuid, z.coerce.number().int().min(1).max(5)),
})

/** The maximum points of a rubric: the best level of every criterion. */
export function rubricMaximum(criteria: RubricCriterion[]) {
  return criteria.reduce((sum, c) => sum + Math.max(0, ...c.levels.map((l) => l.points)), 0)
}

/** Chosen levels → a score 0–100 (rounded), or null when a criterion is missing or out of range. */
export function rubricScore(criteria: RubricCriterion[], levels: Record<string, number>) {
  let points = 0
  for (const c of criteria) {
    const level = c.levels[levels[c.id] ?? -1]
    if (!level) return null
    points += level.points
  }
  const max = rubricMaximum(criteria)
  return max > 0 ? Math.round((points * 100) / max) : 0
}

/**
 * A member's own mark: the group's score times the member's average contribution rating over
 * the group's average, kept within the rubric's bounds (percent) and at most 100.
 */
export function individualMark(score: number, factor: number | null, bounds: { min: number; max: number }) {
  if (factor === null) return score
  const clamped = Math.min(bounds.max / 100, Math.max(bounds.min / 100, factor))
  return Math.min(100, Math.round(score * clamped))
}

/** The default rubric, built on the ten key points. */
export const defaultRubricCriteria: RubricCriterion[] = [
  {
    id: 'violations',
    title: { en: 'Violations of the ten key points identified', 'zh-CN': '找出违反的十大要点' },
    levels: [
      { label: { en: 'Missed', 'zh-CN': '未找出' }, points: 0 },
      { label: { en: 'Some', 'zh-CN': '部分找出' }, points: 10 },
      { label: { en: 'Most, with evidence', 'zh-CN': '大部分，有依据' }, points: 20 },
      { label: { en: 'All, precisely', 'zh-CN': '全部且准确' }, points: 25 },
    ],
  },
  {
    id: 'root-cause',
    title: { en: 'Root cause analysis', 'zh-CN': '根本原因分析' },
    levels: [
      { label: { en: 'Symptoms only', 'zh-CN': '只看到表面' }, points: 0 },
      { label: { en: 'Partly', 'zh-CN': '部分分析' }, points: 10 },
      { label: { en: 'Clear', 'zh-CN': '清晰' }, points: 20 },
      { label: { en: 'Insightful', 'zh-CN': '深刻' }, points: 25 },
    ],
  },
  {
    id: 'plan',
    title: { en: 'Follow-up plan proposed', 'zh-CN': '提出的跟进计划' },
    levels: [
      { label: { en: 'None', 'zh-CN': '没有' }, points: 0 },
      { label: { en: 'Vague', 'zh-CN': '笼统' }, points: 10 },
      { label: { en: 'Concrete', 'zh-CN': '具体' }, points: 20 },
      { label: { en: 'Concrete and measurable', 'zh-CN': '具体且可衡量' }, points: 25 },
    ],
  },
  {
    id: 'presentation',
    title: { en: 'Presentation', 'zh-CN': '展示' },
    levels: [
      { label: { en: 'Hard to follow', 'zh-CN': '难以理解' }, points: 0 },
      { label: { en: 'Adequate', 'zh-CN': '一般' }, points: 10 },
      { label: { en: 'Clear', 'zh-CN': '清楚' }, points: 20 },
      { label: { en: 'Compelling, on time', 'zh-CN': '有说服力且守时' }, points: 25 },
    ],
  },
]
