/** Zod schemas and types shared by the video routes and modules (no server imports). */
import { z } from 'zod'
import type { Locale } from '~/i18n/define'

export const MAX_PLAYBACK_RATE = 2
export const COMPLETION_SHARE = 0.9
export const DEFAULT_FPS = 25
export const PEER_PREDICTIONS_SHOWN = 5

const text = (max: number) => z.string().trim().min(1, 'videos.err.required').max(max, 'videos.err.tooLong')

export const LocalizedTextSchema = z.object({ en: text(4000), 'zh-CN': text(4000) }).strict()
export type LocalizedTextInput = z.infer<typeof LocalizedTextSchema>

export const QuestionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    type: z.enum(['single', 'multiple']),
    prompt: LocalizedTextSchema,
    options: z
      .array(z.object({ id: z.string().regex(/^[a-z0-9]+$/), text: LocalizedTextSchema }).strict())
      .min(2)
      .max(8),
    answer: z.array(z.string()).min(1),
    explanation: LocalizedTextSchema,
  })
  .strict()
  .superRefine((q, ctx) => {
    const ids = q.options.map((o) => o.id)
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'videos.err.duplicateOption' })
    for (const a of q.answer) if (!ids.includes(a)) ctx.addIssue({ code: 'custom', path: ['answer'], message: 'videos.err.answerNotAnOption' })
    if (q.type === 'single' && q.answer.length !== 1) ctx.addIssue({ code: 'custom', path: ['answer'], message: 'videos.err.singleNeedsOne' })
  })
export type Question = z.infer<typeof QuestionSchema>

export const KeyPointsSchema = z.array(z.number().int().min(1).max(10)).max(10)

/** A progress report from the player: what it played since the last report, and where it is. */
export const ProgressReportSchema = z
  .object({
    ranges: z
      .array(z.tuple([z.number().min(0).max(86_400), z.number().min(0).max(86_400)]))
      .max(500)
      .default([]),
    position: z.number().min(0).max(86_400).optional(),
  })
  .strict()

export type ProgressReport = z.infer<typeof ProgressReportSchema>

export function localized(value: { en: string; 'zh-CN': string } | null | undefined, locale: Locale): string {
  if (!value) return ''
  return value[locale] || value.en || value['zh-CN'] || ''
}

/** mm:ss.s for breakpoint times. */
export function formatTime(seconds: number, precise = false) {
  const s = Math.max(0, seconds)
  const m = Math.floor(s / 60)
  const rest = s - m * 60
  const secs = precise ? rest.toFixed(2).padStart(5, '0') : String(Math.floor(rest)).padStart(2, '0')
  return `${m}:${secs}`
}

/** What the player needs about one breakpoint (the commentary is in the page: the video is watched in order anyway). */
export type PlayerBreakpoint = {
  id: string
  time: number
  title: string
  commentary: string
  keyPoints: number[]
  mustAcknowledge: boolean
  matchId: string | null
  question: null | {
    type: 'single' | 'multiple'
    prompt: string
    options: { id: string; text: string }[]
  }
  predictPrompt: string | null
  /** URL of a spoken commentary, when the breakpoint has one. */
  voiceOver: string | null
  response: null | {
    acknowledged: boolean
    answer: string[] | null
    correct: boolean | null
    prediction: string | null
  }
  /** Only once answered: the expected answer and explanation. */
  reveal: null | { answer: string[]; explanation: string }
}

/** A breakpoint counts as done when it needs nothing more from the learner. */
export function breakpointDone(bp: Pick<PlayerBreakpoint, 'mustAcknowledge' | 'question' | 'predictPrompt' | 'response'>) {
  const r = bp.response
  if (bp.question && !r?.answer) return false
  if (bp.predictPrompt && !r?.prediction) return false
  if (bp.mustAcknowledge && !r?.acknowledged) return false
  return true
}

/** Required breakpoints block playback until done; optional ones only pause. */
export function breakpointRequired(bp: Pick<PlayerBreakpoint, 'mustAcknowledge' | 'question' | 'predictPrompt'>) {
  return bp.mustAcknowledge || Boolean(bp.question) || Boolean(bp.predictPrompt)
}

const BreakpointId = z.string().min(1).max(200)

/** What the learner sends at a breakpoint. */
export const RespondSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('acknowledge'), breakpointId: BreakpointId }).strict(),
  z.object({ intent: z.literal('answer'), breakpointId: BreakpointId, answer: z.array(z.string().max(50)).min(1).max(20) }).strict(),
  z.object({ intent: z.literal('predict'), breakpointId: BreakpointId, prediction: z.string().max(2000) }).strict(),
])
export type RespondInput = z.infer<typeof RespondSchema>

/** Two breakpoints closer than this would stop the video twice at once. */
export const MIN_BREAKPOINT_GAP = 0.1

const OptionalLocalized = z
  .object({ en: z.string().trim().max(4000), 'zh-CN': z.string().trim().max(4000) })
  .strict()
  .nullish()
  .transform((v, ctx) => {
    if (!v || (!v.en && !v['zh-CN'])) return null
    if (!v.en || !v['zh-CN']) {
      ctx.addIssue({ code: 'custom', path: [v.en ? 'zh-CN' : 'en'], message: 'videos.err.required' })
      return z.NEVER
    }
    return v as { en: string; 'zh-CN': string }
  })

/** A breakpoint as the editor sends it (both locales for every text). */
export const BreakpointEditSchema = z
  .object({
    id: z.string().max(200).optional(),
    timeSeconds: z.coerce.number({ invalid_type_error: 'videos.err.required' }).min(0).max(86_400),
    title: LocalizedTextSchema,
    commentary: LocalizedTextSchema,
    keyPoints: KeyPointsSchema.default([]),
    mustAcknowledge: z.boolean().default(false),
    matchId: z
      .string()
      .trim()
      .max(60)
      .regex(/^([a-z0-9][a-z0-9-]*)?$/, 'videos.err.matchFormat')
      .nullish()
      .transform((v) => v || null),
    predictPrompt: OptionalLocalized,
    question: QuestionSchema.nullish().transform((v) => v ?? null),
  })
  .strict()
export type BreakpointEdit = z.infer<typeof BreakpointEditSchema>

export const EditorActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('save'), breakpoint: z.unknown() }).strict(),
  z.object({ intent: z.literal('move'), breakpointId: z.string().max(200), timeSeconds: z.number().min(0).max(86_400) }).strict(),
  z.object({ intent: z.literal('delete'), breakpointId: z.string().max(200) }).strict(),
])

/** Breakpoints as the editor holds them (every locale, full question). */
export type EditorBreakpoint = {
  id: string
  timeSeconds: number
  title: { en: string; 'zh-CN': string }
  commentary: { en: string; 'zh-CN': string }
  keyPoints: number[]
  mustAcknowledge: boolean
  matchId: string | null
  predictPrompt: { en: string; 'zh-CN': string } | null
  question: Question | null
}

export const TrainerNoteSchema = z
  .object({
    timeSeconds: z.number().min(0).max(86_400),
    text: z.string().trim().min(1, 'videos.err.required').max(2000, 'videos.err.tooLong'),
    visibility: z.enum(['private', 'learners']).default('learners'),
  })
  .strict()
export type TrainerNoteInput = z.infer<typeof TrainerNoteSchema>

/** Messages between the present window and the presenter window (BroadcastChannel). */
export type PresentMessage =
  | { type: 'state'; time: number; playing: boolean; breakpointId: string | null }
  | { type: 'command'; action: 'continue' | 'next' | 'previous' | 'pause' }
  | { type: 'note'; note: { id: string; time: number; text: string; visibility: 'private' | 'learners' } }
  | { type: 'hello' }

export const presentChannelName = (videoId: string) => `genjin-present-${videoId}`
