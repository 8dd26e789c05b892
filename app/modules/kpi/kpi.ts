import { z } from 'zod'

/** Zod schemas and types the KPI screens share with the server (no server imports). */

export type Band = 'A' | 'B' | 'C' | 'D'
export const bands: Band[] = ['A', 'B', 'C', 'D']
export type BandThresholds = { A: number; B: number; C: number }
export const defaultBands: BandThresholds = { A: 90, B: 75, C: 60 }

export type KpiPolicy = {
  components: Record<string, { enabled: boolean; weight: number }>
  /** Credit for a late arrival at a required session (0..1). */
  lateFraction: number
  /** Credit for a required course completed after its due date (0..1). */
  courseLateFraction: number
  /** Excused absences: left out of the denominator, or counted as not attended. */
  excused: 'exclude' | 'count'
  bands: BandThresholds
}

/** A score (0..100, one decimal) in its band: A ≥ A-threshold, B ≥ B-threshold, C ≥ C-threshold, else D. */
export function bandOf(score: number | null, thresholds: BandThresholds): Band | null {
  if (score === null) return null
  if (score >= thresholds.A) return 'A'
  if (score >= thresholds.B) return 'B'
  if (score >= thresholds.C) return 'C'
  return 'D'
}

const fraction = z.coerce.number({ invalid_type_error: 'errors.invalid' }).min(0, 'kpi.errors.fraction').max(1, 'kpi.errors.fraction')
const threshold = z.coerce.number({ invalid_type_error: 'errors.invalid' }).min(0, 'errors.invalid').max(100, 'errors.invalid')
const day = z.string({ required_error: 'errors.required' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'errors.invalid')
const uuids = z
  .union([z.string().uuid('errors.invalid'), z.array(z.string().uuid('errors.invalid'))])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))

/**
 * The policy form. Weights arrive as `weight.<component>` and `enabled.<component>` for each
 * component of the registry; the server checks the keys and that enabled weights sum to 100.
 */
export const PeriodForm = z
  .object({
    intent: z.literal('save'),
    key: z
      .string({ required_error: 'errors.required' })
      .trim()
      .min(1, 'errors.required')
      .max(40, 'errors.tooLong')
      .regex(/^[\p{L}\p{N}._-]+$/u, 'kpi.errors.key'),
    startsOn: day,
    endsOn: day,
    lateFraction: fraction,
    courseLateFraction: fraction,
    excused: z.enum(['exclude', 'count'], { errorMap: () => ({ message: 'errors.invalid' }) }),
    bandA: threshold,
    bandB: threshold,
    bandC: threshold,
    weight: z
      .record(
        z.string().max(40),
        z.coerce.number({ invalid_type_error: 'errors.invalid' }).int('kpi.errors.weight').min(0, 'kpi.errors.weight').max(100, 'kpi.errors.weight'),
      )
      .default({}),
    enabled: z.record(z.string().max(40), z.literal('on')).default({}),
    cohortIds: uuids,
    courseIds: uuids,
  })
  .superRefine((v, ctx) => {
    if (v.endsOn < v.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'kpi.errors.dates' })
    if (!(v.bandA > v.bandB && v.bandB > v.bandC)) ctx.addIssue({ code: 'custom', path: ['bandA'], message: 'kpi.errors.bands' })
    const total = Object.keys(v.enabled).reduce((sum, k) => sum + (v.weight[k] ?? 0), 0)
    if (Object.keys(v.enabled).length === 0 || total !== 100) ctx.addIssue({ code: 'custom', path: ['weight'], message: 'kpi.errors.weights' })
  })
export type PeriodForm = z.infer<typeof PeriodForm>

export const PublishForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('publish') }),
  z.object({
    intent: z.literal('correct'),
    reason: z.string({ required_error: 'kpi.errors.reason' }).trim().min(3, 'kpi.errors.reason').max(1000, 'errors.tooLong'),
  }),
])

export const TokenForm = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('create'),
    name: z.string({ required_error: 'errors.required' }).trim().min(1, 'errors.required').max(100, 'errors.tooLong'),
    departmentId: z
      .string()
      .uuid('errors.invalid')
      .optional()
      .or(z.literal('').transform(() => undefined)),
  }),
  z.object({ intent: z.literal('revoke'), tokenId: z.string().uuid('errors.invalid') }),
])

export const RollupFilters = z.object({
  department: z.string().uuid().optional().catch(undefined),
  band: z.enum(['A', 'B', 'C', 'D', 'none']).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  sort: z.enum(['score-desc', 'score-asc', 'name', 'department']).optional().catch(undefined),
  source: z.enum(['published', 'preview']).optional().catch(undefined),
  revision: z.coerce.number().int().positive().optional().catch(undefined),
  /** The report page's page of managers (the export always has everyone). */
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
})
export type RollupFilters = z.infer<typeof RollupFilters>

export const ExportFormat = z.enum(['csv', 'xlsx']).catch('csv')

export type ComponentSummary = { key: string; weight: number; effectiveWeight: number | null; score: number | null; items: number }
export type EvidenceItem = {
  component: string
  ref: string | null
  label: string | { en: string; 'zh-CN': string }
  at: string | null
  status: string
  score: number | null
  blocking: boolean
}

/** The read-only API's endpoints, as the tokens page lists them (openapi.ts describes them in full). */
export const KPI_API_ENDPOINTS = [
  ['/api/v1/kpi/periods', 'kpi.tokens.endpoint.periods'],
  ['/api/v1/kpi/periods/{key}/scores', 'kpi.tokens.endpoint.scores'],
  ['/api/v1/kpi/periods/{key}/departments', 'kpi.tokens.endpoint.departments'],
] as const
