import { z } from 'zod'
import { page, searchUuid } from '~/shared/validation'

export const reportViews = ['session', 'person', 'department'] as const
export type ReportView = (typeof reportViews)[number]
export const departmentSorts = ['rate-desc', 'rate-asc', 'department'] as const

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)))

/**
 * The report page's filters, read from the URL (a GET form). Anything malformed is dropped
 * rather than refused: a bookmarked report with a stale id still opens.
 */
export const AttendanceReportFilters = z.object({
  view: z.enum(reportViews).optional().catch(undefined),
  session: searchUuid,
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  cohort: searchUuid,
  department: searchUuid,
  rollup: z
    .enum(['1', 'true', 'on'])
    .optional()
    .transform((v) => Boolean(v))
    .catch(false),
  sort: z.enum(departmentSorts).default('rate-desc').catch('rate-desc'),
  /** The page of the person and session views (the exports ignore it). */
  page,
})
export type AttendanceReportFilters = z.infer<typeof AttendanceReportFilters>

export const ExportFormat = z.enum(['csv', 'xlsx']).catch('csv')

/** A person's or a department's counts over the sessions they were required to attend. */
export type AttendanceCounts = {
  required: number
  present: number
  late: number
  excused: number
  absent: number
  unmarked: number
  /** (present + late) / required in percent with one decimal; null when nothing was required. */
  rate: number | null
}
