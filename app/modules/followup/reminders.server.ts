import { and, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { checkIns, followUpPlans, users } from '#db/schema'
import { isUuid } from '#db/sql-helpers'
import { env } from '~/env.server'
import { translator } from '~/i18n'
import { assertCan, deny } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { registerJobHandler, registerPeriodicJob } from '~/modules/jobs/jobs.server'
import { recipientLocale, sendTemplatedEmails, type TemplatedEmail } from '~/modules/mail/email.server'
import { notifyMany } from '~/modules/notifications/inbox.server'
import { buildCalendar } from '~/modules/sessions/ical'
import { zonedToInstant } from '~/shared/time'
import { addDays, dayIn, FOLLOW_UP_TIME_ZONE, ON_TIME_GRACE_DAYS } from './followup'
import { rollMissedCheckIns } from './plans.server'

export const FOLLOW_UP_REMINDERS_JOB = 'follow-up.reminders'
/** Planned check-ins are put in calendars at this local time, for this long. */
const CHECK_IN_TIME = '10:00'
const CHECK_IN_MINUTES = 30

function origin() {
  return (env().APP_URL ?? 'http://localhost:3000').replace(/\/$/, '')
}
function organizer() {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(env().MAIL_FROM)
  return match ? { name: match[1] || 'Genjin', email: match[2] } : { name: 'Genjin', email: env().MAIL_FROM.trim() }
}

type CalendarInput = {
  planId: string
  sequence: number
  dueOn: string
  cancelled: boolean
  manager: { name: string; email: string; locale: string | null }
  employee: { name: string; email: string }
}

/** The .ics of a plan's next check-in: one stable UID per plan, SEQUENCE rising whenever the date moves. */
export function checkInCalendar(input: CalendarInput) {
  const t = translator(recipientLocale(input.manager))
  const start = zonedToInstant(`${input.dueOn}T${CHECK_IN_TIME}`, FOLLOW_UP_TIME_ZONE)!
  return buildCalendar({
    method: input.cancelled ? 'CANCEL' : 'REQUEST',
    uid: `follow-up-plan-${input.planId}@genjin`,
    sequence: input.sequence,
    stamp: new Date(),
    start,
    end: new Date(start.getTime() + CHECK_IN_MINUTES * 60_000),
    timeZone: FOLLOW_UP_TIME_ZONE,
    summary: t('followup.ics.summary', { name: input.employee.name }),
    description: t('followup.ics.description', { link: `${origin()}/team/follow-up` }),
    organizer: organizer(),
    attendee: { name: input.employee.name, email: input.employee.email, partstat: 'NEEDS-ACTION', rsvp: false },
  })
}

/** The calendar file for the manager's planned check-in with one direct report. */
export async function planCalendarFor(actor: CurrentUser, employeeId: string) {
  await assertCan(actor, 'manage:follow-up:team')
  if (!isUuid(employeeId)) throw new Response('Not found', { status: 404 })
  const [row] = await db
    .select({
      planId: followUpPlans.id,
      sequence: followUpPlans.calendarSequence,
      dueOn: checkIns.dueOn,
      name: users.name,
      email: users.email,
      managerId: users.managerId,
    })
    .from(followUpPlans)
    .innerJoin(users, eq(users.id, followUpPlans.employeeId))
    .innerJoin(checkIns, and(eq(checkIns.planId, followUpPlans.id), eq(checkIns.status, 'planned')))
    .where(and(eq(followUpPlans.managerId, actor.id), eq(followUpPlans.employeeId, employeeId), sql`${followUpPlans.archivedAt} is null`))
  if (!row) {
    const [employee] = await db.select({ managerId: users.managerId }).from(users).where(eq(users.id, employeeId))
    if (employee && employee.managerId !== actor.id) await deny(actor, 'manage:follow-up:team', { employeeId })
    throw new Response('Not found', { status: 404 })
  }
  return checkInCalendar({
    planId: row.planId,
    sequence: row.sequence,
    dueOn: row.dueOn,
    cancelled: false,
    manager: { name: actor.name, email: actor.email, locale: actor.locale },
    employee: { name: row.name, email: row.email },
  })
}

const Due = z.object({
  id: column.text,
  plan_id: column.text,
  /** YYYY-MM-DD */
  due_on: column.text,
  sequence: column.number,
  kind: z.enum(['due', 'overdue']),
  manager_id: column.text,
  manager_name: column.text,
  manager_email: column.text,
  manager_locale: column.textOrNull,
  employee_id: column.text,
  employee_name: column.text,
  employee_email: column.text,
  employee_locale: column.textOrNull,
})
type Due = z.infer<typeof Due>

/**
 * Reminders of planned check-ins: "due" from the day before (to the manager, with the calendar
 * file, and to the employee to prepare), "overdue" once the grace days have passed (to the
 * manager). In each person's language, in the app and by email, each once per check-in and date
 * (the notification's dedupe key; a moved date is reminded anew). Also marks missed check-ins.
 */
export async function sendFollowUpReminders(now = new Date()) {
  const today = dayIn(now)
  await rollMissedCheckIns(db, today)
  const rows = parseRows(
    Due,
    await db.execute(sql`
      select c.id, c.plan_id, c.due_on::text as due_on, p.calendar_sequence as sequence,
        case when c.due_on + ${ON_TIME_GRACE_DAYS}::int < ${today}::date then 'overdue' else 'due' end as kind,
        m.id as manager_id, m.name as manager_name, m.email as manager_email, m.locale::text as manager_locale,
        e.id as employee_id, e.name as employee_name, e.email as employee_email, e.locale::text as employee_locale
      from ${checkIns} c
      join ${followUpPlans} p on p.id = c.plan_id and p.archived_at is null
      join ${users} m on m.id = c.manager_id and m.active
      join ${users} e on e.id = c.employee_id and e.active and e.manager_id = m.id
      where c.status = 'planned' and c.due_on <= ${addDays(today, 1)}::date
        and not exists (select 1 from notifications n where n.user_id = m.id
          and n.dedupe_key = 'follow_up_' || (case when c.due_on + ${ON_TIME_GRACE_DAYS}::int < ${today}::date then 'overdue' else 'due' end) || ':' || c.id || ':' || c.due_on::text)
      limit 2000`),
  )
  if (rows.length === 0) return { sent: 0 }
  return db.transaction(async (tx) => {
    const key = (r: Due) => `follow_up_${r.kind}:${r.id}:${r.due_on}`
    const created = await notifyMany(tx, [
      ...rows.map((r) => ({
        userId: r.manager_id,
        kind: `follow_up_${r.kind}`,
        params: { name: r.employee_name, dueOn: r.due_on },
        link: `/team/follow-up/${r.employee_id}`,
        dedupeKey: key(r),
      })),
      ...rows
        .filter((r) => r.kind === 'due')
        .map((r) => ({
          userId: r.employee_id,
          kind: 'follow_up_prepare',
          params: { name: r.manager_name, dueOn: r.due_on },
          link: '/my/follow-up',
          dedupeKey: key(r),
        })),
    ])
    const fresh = new Set(created.map((c) => `${c.userId}|${c.dedupeKey}`))
    const mails: TemplatedEmail[] = []
    for (const r of rows) {
      const date = (locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${r.due_on}T00:00:00Z`))
      if (fresh.has(`${r.manager_id}|${key(r)}`)) {
        const manager = { id: r.manager_id, email: r.manager_email, name: r.manager_name, locale: r.manager_locale }
        mails.push({
          to: manager,
          kind: r.kind === 'due' ? 'follow_up_due' : 'follow_up_overdue',
          vars: { name: r.manager_name, employee: r.employee_name, due: date(recipientLocale(manager)), link: `${origin()}/team/follow-up/${r.employee_id}` },
          attachments:
            r.kind === 'due'
              ? [
                  {
                    filename: 'check-in.ics',
                    contentType: 'text/calendar; charset=UTF-8; method=REQUEST',
                    content: checkInCalendar({
                      planId: r.plan_id,
                      sequence: r.sequence,
                      dueOn: r.due_on,
                      cancelled: false,
                      manager,
                      employee: { name: r.employee_name, email: r.employee_email },
                    }),
                  },
                ]
              : undefined,
        })
      }
      if (r.kind === 'due' && fresh.has(`${r.employee_id}|${key(r)}`)) {
        const employee = { id: r.employee_id, email: r.employee_email, name: r.employee_name, locale: r.employee_locale }
        mails.push({
          to: employee,
          kind: 'follow_up_prepare',
          vars: { name: r.employee_name, manager: r.manager_name, due: date(recipientLocale(employee)), link: `${origin()}/my/follow-up` },
        })
      }
    }
    await sendTemplatedEmails(mails, tx)
    return { sent: mails.length }
  })
}

/** Registers the reminder job (hourly; the dedupe keys make repeats harmless). */
export function registerFollowUpJobs() {
  registerJobHandler(FOLLOW_UP_REMINDERS_JOB, async (_data, context) => {
    await sendFollowUpReminders(context.now)
  })
  registerPeriodicJob(FOLLOW_UP_REMINDERS_JOB, 60)
}
