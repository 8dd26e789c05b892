import { and, eq, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { courses, enrolments, invitations, sessions, sessionTrainers, users, type Session } from '#db/schema'
import { publicOrigin } from '~/env.server'
import { translator } from '~/i18n'
import { registerJobHandler, sendJob, type JobContext } from '~/modules/jobs/jobs.server'
import { formatSessionTime } from '~/shared/time'
import { notifyThenEmail } from './inbox.server'

export const SESSION_REMINDER_JOB = 'sessions.reminder'
export const COURSE_DUE_JOB = 'courses.due-reminders'

const HOUR = 3_600_000
const DAY = 24 * HOUR

export type SessionReminderWindow = '24h' | '1h'
export type CourseDueWindow = '7d' | '1d'

function origin() {
  return publicOrigin()
}

/** What an in-app notification about a session shows (rendered later in the reader's language). */
export function sessionNotificationParams(session: Pick<Session, 'title' | 'startsAt' | 'endsAt' | 'timeZone'>) {
  return { title: session.title, startsAt: session.startsAt.toISOString(), endsAt: session.endsAt.toISOString(), timeZone: session.timeZone }
}

/**
 * Which reminder is due at `now`: the 1-hour one in the last hour before the start, the
 * 24-hour one in the 23 hours before that; none before, or once the session has started.
 */
export function sessionReminderWindow(startsAt: Date, now: Date): SessionReminderWindow | null {
  const left = startsAt.getTime() - now.getTime()
  if (left <= 0 || left > DAY) return null
  return left <= HOUR ? '1h' : '24h'
}

/**
 * "in 3 minutes", "in 2 hours", "3分钟后": from the time really left, not from the reminder's
 * window (a reminder sent late, or for a session scheduled at short notice, says the truth).
 */
export function startsIn(locale: string, startsAt: Date, now: Date) {
  const minutes = Math.max(1, Math.round((startsAt.getTime() - now.getTime()) / 60_000))
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'always' })
  if (minutes < 60) return format.format(minutes, 'minute')
  return format.format(Math.round(minutes / 60), 'hour')
}

/** Likewise for a course's due date: 7 days before, then 1 day before. */
export function courseDueWindow(dueAt: Date, now: Date): CourseDueWindow | null {
  const left = dueAt.getTime() - now.getTime()
  if (left <= 0 || left > 7 * DAY) return null
  return left <= DAY ? '1d' : '7d'
}

/** The key making a reminder once per person; it names the start time, so a rescheduled session is reminded anew. */
function sessionReminderKey(window: SessionReminderWindow, sessionId: string, startsAt: Date) {
  return `session_reminder:${window}:${sessionId}:${startsAt.getTime()}`
}
function courseDueKey(window: CourseDueWindow, enrolmentId: string, dueAt: Date) {
  return `course_due:${window}:${enrolmentId}:${dueAt.getTime()}`
}

/**
 * Enqueues the 24-hour and 1-hour reminders of a scheduled session, in the caller's
 * transaction. Called on creation and whenever the start moves; reminders for an earlier
 * start time stay queued but find the start changed when they run, and send nothing.
 */
export async function scheduleSessionReminders(tx: Executor, session: Pick<Session, 'id' | 'startsAt' | 'status'>, now = new Date()) {
  if (session.status !== 'scheduled' || session.startsAt <= now) return
  for (const [window, before] of [
    ['24h', DAY],
    ['1h', HOUR],
  ] as const) {
    const at = new Date(Math.max(session.startsAt.getTime() - before, now.getTime()))
    await sendJob(
      SESSION_REMINDER_JOB,
      { sessionId: session.id, window, startsAt: session.startsAt.toISOString() },
      { startAfter: at, singletonKey: sessionReminderKey(window, session.id, session.startsAt) },
      tx,
    )
  }
}

type SessionReminderData = { sessionId: string; window: SessionReminderWindow; startsAt: string }

/**
 * Sends one session's reminder to its accepted invitees and its trainers, in their language,
 * with an in-app notification each. Nothing for a cancelled session, a moved start, or outside
 * the reminder's window; nothing twice (the notification's dedupe key, same transaction).
 */
export async function sendSessionReminder(data: SessionReminderData, context: Pick<JobContext, 'now'> = { now: new Date() }) {
  const { now } = context
  return db.transaction(async (tx) => {
    const [session] = await tx.select().from(sessions).where(eq(sessions.id, data.sessionId))
    if (!session || session.status !== 'scheduled') return { sent: 0 }
    if (session.startsAt.getTime() !== new Date(data.startsAt).getTime()) return { sent: 0 }
    if (sessionReminderWindow(session.startsAt, now) !== data.window) return { sent: 0 }
    const [attendees, trainers] = await Promise.all([
      tx
        .select({ userId: users.id, name: users.name, email: users.email, locale: users.locale })
        .from(invitations)
        .innerJoin(users, eq(users.id, invitations.userId))
        .where(and(eq(invitations.sessionId, session.id), eq(invitations.status, 'accepted'), eq(users.active, true))),
      tx
        .select({ userId: users.id, name: users.name, email: users.email, locale: users.locale })
        .from(sessionTrainers)
        .innerJoin(users, eq(users.id, sessionTrainers.userId))
        .where(and(eq(sessionTrainers.sessionId, session.id), eq(users.active, true))),
    ])
    const teaching = new Set(trainers.map((t) => t.userId))
    const people = [...trainers, ...attendees.filter((a) => !teaching.has(a.userId))]
    if (people.length === 0) return { sent: 0 }
    const dedupeKey = sessionReminderKey(data.window, session.id, session.startsAt)
    const linkFor = (userId: string) => (teaching.has(userId) ? `/sessions/${session.id}` : '/my/sessions')
    const where = [session.place, session.onlineUrl].filter(Boolean).join(' · ') || '—'
    const sent = await notifyThenEmail(tx, people, {
      to: (p) => ({ ...p, id: p.userId }),
      notice: (p) => ({
        kind: 'session_reminder',
        params: { ...sessionNotificationParams(session), window: data.window },
        link: linkFor(p.userId),
        dedupeKey,
      }),
      email: (p, locale) => ({
        kind: 'session_reminder',
        vars: {
          name: p.name,
          title: session.title,
          when: formatSessionTime(locale, session.startsAt, session.endsAt, session.timeZone),
          where,
          soon: startsIn(locale, session.startsAt, now),
          link: `${origin()}${linkFor(p.userId)}`,
        },
      }),
    })
    return { sent }
  })
}

type CourseDueData = { enrolmentIds: string[] }

/**
 * Reminds people of a course due in 7 days and in 1 day (email + in-app), unless they have
 * completed it or were unenrolled since the sweep found them; once per reminder and due date.
 */
export async function sendCourseDueReminders(data: CourseDueData, context: Pick<JobContext, 'now'> = { now: new Date() }) {
  const { now } = context
  if (data.enrolmentIds.length === 0) return { sent: 0 }
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({
        enrolmentId: enrolments.id,
        dueAt: enrolments.dueAt,
        userId: users.id,
        name: users.name,
        email: users.email,
        locale: users.locale,
        courseKey: courses.contentId,
        courseTitle: courses.title,
      })
      .from(enrolments)
      .innerJoin(users, eq(users.id, enrolments.userId))
      .innerJoin(courses, eq(courses.id, enrolments.courseId))
      .where(
        and(
          inArray(enrolments.id, data.enrolmentIds),
          sql`${enrolments.completedAt} is null and ${enrolments.unenrolledAt} is null and ${users.active} and ${courses.status} = 'published' and ${courses.retiredAt} is null`,
        ),
      )
    const due = rows.flatMap((r) => {
      const window = r.dueAt ? courseDueWindow(r.dueAt, now) : null
      return window && r.dueAt ? [{ ...r, dueAt: r.dueAt, window }] : []
    })
    if (due.length === 0) return { sent: 0 }
    const sent = await notifyThenEmail(tx, due, {
      to: (r) => ({ ...r, id: r.userId }),
      notice: (r) => ({
        kind: 'course_due',
        params: { course: r.courseTitle, dueAt: r.dueAt.toISOString(), window: r.window },
        link: `/learn/${r.courseKey}`,
        dedupeKey: courseDueKey(r.window, r.enrolmentId, r.dueAt),
      }),
      email: (r, locale) => ({
        kind: 'course_due',
        vars: {
          name: r.name,
          course: r.courseTitle[locale] || r.courseTitle.en,
          due: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Shanghai' }).format(r.dueAt),
          soon: translator(locale)(`notifications.window.${r.window}`),
          link: `${origin()}/learn/${r.courseKey}`,
        },
      }),
    })
    return { sent }
  })
}

const DueSessionRow = z.object({ id: column.text, starts_at: column.date, window: z.enum(['24h', '1h']) })
const DueEnrolmentRow = z.object({ id: column.text })

/**
 * The periodic sweep's reminder part: enqueues every session and course reminder due at `now`
 * that someone has not received yet, so nothing is missed after a restart or a lost job.
 */
export async function enqueueDueReminders(now: Date) {
  const at = now.toISOString()
  const dueSessions = parseRows(
    DueSessionRow,
    await db.execute(sql`
      select s.id, s.starts_at, w.win as "window"
      from ${sessions} s
      cross join lateral (select case when s.starts_at <= ${at}::timestamptz + interval '1 hour' then '1h' else '24h' end as win) w
      where s.status = 'scheduled' and s.starts_at > ${at}::timestamptz and s.starts_at <= ${at}::timestamptz + interval '24 hours'
        and exists (
          select 1 from (
            select i.user_id from ${invitations} i where i.session_id = s.id and i.status = 'accepted'
            union select st.user_id from ${sessionTrainers} st where st.session_id = s.id
          ) r
          join ${users} u on u.id = r.user_id and u.active
          where not exists (
            select 1 from notifications n
            where n.user_id = r.user_id
              and n.dedupe_key = 'session_reminder:' || w.win || ':' || s.id || ':' || floor(extract(epoch from s.starts_at) * 1000)::bigint)
        )
      limit 1000`),
  )
  for (const s of dueSessions) {
    const startsAt = s.starts_at
    await sendJob(
      SESSION_REMINDER_JOB,
      { sessionId: s.id, window: s.window, startsAt: startsAt.toISOString() },
      { singletonKey: sessionReminderKey(s.window, s.id, startsAt) },
    )
  }
  const dueEnrolments = parseRows(
    DueEnrolmentRow,
    await db.execute(sql`
      select e.id
      from ${enrolments} e
      join ${courses} c on c.id = e.course_id and c.status = 'published' and c.retired_at is null
      join ${users} u on u.id = e.user_id and u.active
      where e.completed_at is null and e.unenrolled_at is null
        and e.due_at > ${at}::timestamptz and e.due_at <= ${at}::timestamptz + interval '7 days'
        and not exists (
          select 1 from notifications n
          where n.user_id = e.user_id
            and n.dedupe_key = 'course_due:' || (case when e.due_at <= ${at}::timestamptz + interval '1 day' then '1d' else '7d' end)
              || ':' || e.id || ':' || floor(extract(epoch from e.due_at) * 1000)::bigint)
      order by e.due_at
      limit 5000`),
  )
  for (let i = 0; i < dueEnrolments.length; i += 200) {
    await sendJob(COURSE_DUE_JOB, { enrolmentIds: dueEnrolments.slice(i, i + 200).map((e) => e.id) })
  }
  return { sessions: dueSessions.length, enrolments: dueEnrolments.length }
}

export function registerReminderJobs() {
  registerJobHandler<SessionReminderData>(SESSION_REMINDER_JOB, async (data, context) => {
    await sendSessionReminder(data, context)
  })
  registerJobHandler<CourseDueData>(COURSE_DUE_JOB, async (data, context) => {
    await sendCourseDueReminders(data, context)
  })
}
