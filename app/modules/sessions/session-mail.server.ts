import { and, eq, inArray } from 'drizzle-orm'
import { type Executor } from '#db/client.server'
import { invitations, users, type Session } from '#db/schema'
import { env, publicOrigin } from '~/env.server'
import { translator } from '~/i18n'
import { recipientLocale, sendTemplatedEmails, type EmailKind, type TemplatedEmail } from '~/modules/mail/email.server'
import { notifyMany } from '~/modules/notifications/inbox.server'
import { sessionNotificationParams } from '~/modules/notifications/reminders.server'
import { buildCalendar, sessionUid, type PartStat } from './ical'
import type { InvitationStatus } from './sessions'
import { formatSessionTime } from '~/shared/time'

/** Session e-mails: invitations, updates and cancellations with their calendar files, and the in-app notice. */
export type Options = { origin?: string }

/** Where links in emails point: APP_URL (or the listen address in development), never a request header. */
function originOf(options: Options) {
  return (options.origin ?? publicOrigin()).replace(/\/$/, '')
}

export type Invitee = { userId: string; name: string; email: string; locale: string | null; status: InvitationStatus }

export async function invitees(executor: Executor, sessionId: string, statuses: InvitationStatus[], userIds?: string[]): Promise<Invitee[]> {
  return executor
    .select({ userId: users.id, name: users.name, email: users.email, locale: users.locale, status: invitations.status })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .where(and(eq(invitations.sessionId, sessionId), inArray(invitations.status, statuses), userIds ? inArray(invitations.userId, userIds) : undefined))
}

const partstat: Record<InvitationStatus, PartStat> = {
  invited: 'NEEDS-ACTION',
  accepted: 'ACCEPTED',
  declined: 'DECLINED',
  waitlisted: 'TENTATIVE',
}

/** ORGANIZER from MAIL_FROM ("Genjin <no-reply@genjin.local>"). */
function organizer() {
  const from = env().MAIL_FROM
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from)
  return match ? { name: match[1] || 'Genjin', email: match[2] } : { name: 'Genjin', email: from.trim() }
}

/**
 * The email and calendar file for one person: in their language, their own UID, the session's
 * current SEQUENCE. RSVP is FALSE on purpose: emailed calendar replies reach no one (we read no
 * mailbox); people answer through the link, which the description repeats.
 */
function sessionEmail(
  kind: EmailKind,
  method: 'REQUEST' | 'CANCEL',
  session: Session,
  person: Invitee,
  options: Options & { token?: string; inviter?: string; path?: string },
): TemplatedEmail {
  const origin = originOf(options)
  const locale = recipientLocale(person)
  const t = translator(locale)
  const link = options.token ? `${origin}/invitations/${options.token}` : `${origin}${options.path ?? '/my/sessions'}`
  const when = formatSessionTime(locale, session.startsAt, session.endsAt, session.timeZone)
  const where = [session.place, session.onlineUrl].filter(Boolean).join(' · ')
  const calendar = buildCalendar({
    method,
    uid: sessionUid(session.id, person.userId),
    sequence: session.icsSequence,
    stamp: new Date(),
    start: session.startsAt,
    end: session.endsAt,
    timeZone: session.timeZone,
    summary: session.title,
    description: [session.description, method === 'REQUEST' ? t('sessions.ics.respond', { link }) : null].filter(Boolean).join('\n\n'),
    location: where || null,
    url: session.onlineUrl ?? `${origin}/my/sessions`,
    organizer: organizer(),
    attendee: { name: person.name, email: person.email, partstat: method === 'CANCEL' ? 'DECLINED' : partstat[person.status], rsvp: false },
  })
  return {
    to: { id: person.userId, email: person.email, name: person.name, locale: person.locale },
    kind,
    vars: { name: person.name, title: session.title, when, where: where || '—', link, inviter: options.inviter ?? '' },
    attachments: [
      {
        filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
        contentType: `text/calendar; charset=UTF-8; method=${method}`,
        content: calendar,
      },
    ],
  }
}

export async function sendSessionEmails(
  tx: Executor,
  kind: EmailKind,
  method: 'REQUEST' | 'CANCEL',
  session: Session,
  people: Invitee[],
  options: Options & { tokens?: Map<string, string>; inviter?: string },
) {
  if (people.length === 0) return
  await sendTemplatedEmails(
    people.map((p) => sessionEmail(kind, method, session, p, { ...options, token: options.tokens?.get(p.userId) })),
    tx,
  )
  // The same event in the app: the bell in the header, /notifications.
  await notifyMany(
    tx,
    people.map((p) => ({ userId: p.userId, kind, params: sessionNotificationParams(session), link: '/my/sessions' })),
  )
}

/**
 * The people newly assigned to teach a session get an email with the calendar invite (and the
 * bell), like invitees do; whoever made the change knows already.
 */
export async function sendTeachingAssignments(tx: Executor, actor: { id: string; name: string }, session: Session, userIds: string[], options: Options) {
  const ids = userIds.filter((id) => id !== actor.id)
  if (ids.length === 0) return
  const people = await tx.select({ userId: users.id, name: users.name, email: users.email, locale: users.locale }).from(users).where(inArray(users.id, ids))
  const path = `/sessions/${session.id}`
  await sendTemplatedEmails(
    people.map((p) => sessionEmail('session_assigned', 'REQUEST', session, { ...p, status: 'accepted' }, { ...options, inviter: actor.name, path })),
    tx,
  )
  await notifyMany(
    tx,
    people.map((p) => ({ userId: p.userId, kind: 'session_assigned', params: sessionNotificationParams(session), link: path })),
  )
}
