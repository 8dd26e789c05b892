import { z } from 'zod'

export const attendanceStatuses = ['present', 'late', 'excused', 'absent'] as const
export type AttendanceStatus = (typeof attendanceStatuses)[number]
export const AttendanceStatusSchema = z.enum(attendanceStatuses)

export const MarkForm = z.object({
  intent: z.literal('mark'),
  userId: z.string().uuid('errors.invalid'),
  status: AttendanceStatusSchema,
})

export const AllPresentForm = z.object({ intent: z.literal('all-present') })

export const ShortCodeForm = z.object({
  code: z
    .string({ required_error: 'errors.required' })
    .transform((v) => v.replace(/\s+/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, 'attendance.codeFormat')),
})

/** Why a self check-in did not happen; each has a message `attendance.refused.<reason>`. */
export type CheckInRefusal =
  'expired' | 'not_invited' | 'waitlisted' | 'cancelled' | 'too_early' | 'too_late' | 'wrong_code' | 'rate_limited' | 'no_open_session'
