import { z } from 'zod'

/** Kinds of in-app notification; each has a message `notifications.kind.<kind>` rendered from its params. */
export const notificationKinds = [
  'session_invitation',
  'session_changed',
  'session_cancelled',
  'session_promoted',
  'session_removed',
  'session_reminder',
  'absence_warning',
  'absence_warning_report',
  'course_due',
] as const
export type NotificationKind = (typeof notificationKinds)[number]

export const NotificationAction = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('read'), id: z.string().uuid(), open: z.literal('1').optional() }),
  z.object({ intent: z.literal('read-all') }),
])

export const NOTIFICATIONS_PAGE_SIZE = 20
