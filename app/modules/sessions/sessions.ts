import { z } from 'zod'
import type { Session } from '#db/schema'
import { roles } from '~/modules/auth/permissions'
import { zonedToInstant } from '~/shared/time'
import { isTimeZone } from '~/shared/validation'

export const invitationStatuses = ['invited', 'accepted', 'declined', 'waitlisted'] as const
export type InvitationStatus = (typeof invitationStatuses)[number]

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'errors.tooLong')
    .optional()
    .transform((v) => (v ? v : undefined))

const optionalUuid = z
  .string()
  .uuid('errors.invalid')
  .optional()
  .or(z.literal('').transform(() => undefined))

const minutes = z.number({ invalid_type_error: 'errors.invalid' }).int('errors.invalid').min(0, 'errors.invalid').max(240, 'errors.invalid').optional()

const wallTime = z.string({ required_error: 'errors.required' }).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'errors.invalid')

/**
 * A session as HR types it: start and end as wall-clock times in the session's own zone
 * (datetime-local inputs), turned into instants by the module.
 */
export const SessionForm = z
  .object({
    title: z.string({ required_error: 'errors.required' }).trim().min(1, 'errors.required').max(200, 'errors.tooLong'),
    cohortId: optionalUuid,
    courseRef: text(200),
    description: text(5000),
    startsAt: wallTime,
    endsAt: wallTime,
    // A bad zone is fatal, so the refinement below never converts times in it.
    timeZone: z
      .string()
      .trim()
      .default('Asia/Shanghai')
      .superRefine((v, ctx) => {
        if (!isTimeZone(v)) ctx.addIssue({ code: 'custom', message: 'sessions.badTimeZone', fatal: true })
      }),
    place: text(300),
    onlineUrl: z
      .string()
      .trim()
      .url('sessions.badUrl')
      .max(1000, 'errors.tooLong')
      .refine((v) => /^https?:\/\//i.test(v), 'sessions.badUrl')
      .optional(),
    capacity: z.number({ invalid_type_error: 'errors.invalid' }).int('errors.invalid').min(1, 'sessions.capacityMin').max(100_000, 'errors.invalid').optional(),
    trainerIds: z.array(z.string().uuid('errors.invalid')).max(20, 'errors.invalid').default([]),
    checkInOpensBefore: minutes,
    checkInClosesAfter: minutes,
    lateAfter: minutes,
  })
  .superRefine((v, ctx) => {
    if (!v.place && !v.onlineUrl) ctx.addIssue({ code: 'custom', path: ['place'], message: 'sessions.placeOrLink' })
    const start = zonedToInstant(v.startsAt, v.timeZone)
    const end = zonedToInstant(v.endsAt, v.timeZone)
    if (start && end && end.getTime() <= start.getTime()) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'sessions.endBeforeStart' })
  })
export type SessionInput = z.infer<typeof SessionForm>

export const CohortForm = z.object({
  name: z.string({ required_error: 'errors.required' }).trim().min(1, 'errors.required').max(200, 'errors.tooLong'),
  programme: text(200),
})
export type CohortInput = z.infer<typeof CohortForm>

/** Who to invite: people holding any of the roles within the department subtree, plus named people. */
export const AudienceForm = z
  .object({
    roles: z.array(z.enum(roles)).default([]),
    departmentId: optionalUuid,
    emails: z
      .string()
      .max(20_000, 'errors.tooLong')
      .optional()
      .transform((v) =>
        (v ?? '')
          .split(/[\s,;，；]+/)
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
      ),
    userIds: z.array(z.string().uuid('errors.invalid')).default([]),
  })
  .superRefine((v, ctx) => {
    if (!v.roles.length && !v.departmentId && !v.emails.length && !v.userIds.length) {
      ctx.addIssue({ code: 'custom', path: ['roles'], message: 'sessions.audienceEmpty' })
    }
    const bad = v.emails.filter((e) => !z.string().email().safeParse(e).success)
    if (bad.length) ctx.addIssue({ code: 'custom', path: ['emails'], message: 'errors.email' })
  })
export type Audience = { roles?: (typeof roles)[number][]; departmentId?: string; userIds?: string[]; emails?: string[] }

export const InvitationAnswer = z.enum(['accept', 'decline'])
export type InvitationResponse = z.infer<typeof InvitationAnswer>

export const AbsenceRequestForm = z.object({
  intent: z.literal('request-absence'),
  sessionId: z.string().uuid('errors.invalid'),
  reason: z.string({ required_error: 'errors.required' }).trim().min(3, 'sessions.reasonTooShort').max(1000, 'errors.tooLong'),
})

export const AbsenceDecision = z.enum(['approved', 'rejected'])

/** What a page about one session shows of it in its heading: no lecturer notes, links or audience. */
export function sessionHeading(session: Pick<Session, 'id' | 'title' | 'startsAt' | 'endsAt' | 'timeZone' | 'place' | 'status'>) {
  const { id, title, startsAt, endsAt, timeZone, place, status } = session
  return { id, title, startsAt, endsAt, timeZone, place, status }
}
