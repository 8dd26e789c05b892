import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { publicOrigin } from '~/env.server'
import { translator } from '~/i18n'
import { registerFileAccess } from '~/modules/files/access.server'
import { registerJobHandler, registerPeriodicJob } from '~/modules/jobs/jobs.server'
import { notifyThenEmail } from '~/modules/notifications/inbox.server'
import { formatSessionTime } from '~/shared/time'
import { studyReminderWindow, type StudyReminderWindow } from './study'
import { maySeeStudyFile, recordStudyFinishes, STUDY_FILE_PURPOSE, studyStateSql } from './study.server'

export const STUDY_REMINDERS_JOB = 'roleplay.study-reminders'
export const STUDY_REMINDERS_EVERY_MINUTES = 5

/** Once per member, window, assignment and start time: a moved session is reminded anew. */
export function studyReminderKey(window: StudyReminderWindow, assignmentId: string, startsAt: Date) {
  return `roleplay_study:${window}:${assignmentId}:${startsAt.getTime()}`
}

const Due = z.object({
  assignment_id: column.text,
  session_id: column.text,
  starts_at: column.date,
  ends_at: column.date,
  time_zone: column.text,
  title: column.text,
  scenario: column.localized,
  user_id: column.text,
  name: column.text,
  email: column.text,
  locale: column.textOrNull,
  unfinished: column.number,
  total: column.number,
})

/**
 * Reminds every member of a role-play group who has not finished the group's self-study pack,
 * 48 hours and 24 hours before the assignment's session starts: an in-app notification and an
 * email in their language, each at most once (the notification's dedupe key, written in the
 * same transaction as the email is queued). Members who finished everything get nothing; a
 * session that is cancelled or already started gets nothing. Run by a periodic job with the
 * job's clock; the window is judged from the time really left, so a late run never sends the
 * 48-hour reminder in the last day.
 */
export async function sendStudyReminders(now = new Date()) {
  const at = now.toISOString()
  const candidates = parseRows(
    z.object({ id: column.text }),
    await db.execute(sql`
      select a.id from roleplay_assignments a join sessions s on s.id = a.session_id
      where s.status = 'scheduled' and s.starts_at > ${at}::timestamptz and s.starts_at <= ${at}::timestamptz + interval '48 hours'
        and exists (select 1 from roleplay_study_items i where i.assignment_id = a.id)`),
  )
  if (candidates.length === 0) return { sent: 0 }
  const ids = candidates.map((c) => c.id)
  const inIds = sql`a.id in (${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`
  return db.transaction(async (tx) => {
    // Finishes made in the course or video player become the pack's own record first.
    await recordStudyFinishes(tx, ids)
    const due = parseRows(
      Due,
      await tx.execute(sql`
        select st.assignment_id, s.id as session_id, s.starts_at, s.ends_at, s.time_zone, s.title, sc.title as scenario,
          u.id as user_id, u.name, u.email, u.locale,
          count(*) filter (where st.finished_at is null)::int as unfinished, count(*)::int as total
        from (${studyStateSql(inIds)}) st
        join roleplay_assignments a on a.id = st.assignment_id
        join sessions s on s.id = a.session_id
        join roleplay_scenarios sc on sc.id = a.scenario_id
        join users u on u.id = st.user_id and u.active
        group by st.assignment_id, s.id, sc.id, u.id
        having count(*) filter (where st.finished_at is null) > 0`),
    )
    const pending = due.flatMap((d) => {
      const startsAt = d.starts_at
      const window = studyReminderWindow(startsAt, now)
      return window ? [{ ...d, startsAt, window, key: studyReminderKey(window, d.assignment_id, startsAt) }] : []
    })
    if (pending.length === 0) return { sent: 0 }
    const link = (d: (typeof pending)[number]) => `/roleplay/${d.assignment_id}/study`
    const sent = await notifyThenEmail(tx, pending, {
      to: (d) => ({ id: d.user_id, email: d.email, name: d.name, locale: d.locale }),
      notice: (d) => ({
        kind: 'roleplay_study_reminder',
        params: { scenario: d.scenario, title: d.title, startsAt: d.startsAt.toISOString(), left: d.unfinished, total: d.total, window: d.window },
        link: link(d),
        dedupeKey: d.key,
      }),
      email: (d, locale) => ({
        kind: 'roleplay_study_reminder',
        vars: {
          name: d.name,
          scenario: d.scenario[locale] || d.scenario.en,
          title: d.title,
          when: formatSessionTime(locale, d.startsAt, d.ends_at, d.time_zone),
          soon: translator(locale)(`roleplayStudy.window.${d.window}`),
          left: d.unfinished,
          total: d.total,
          link: `${publicOrigin()}${link(d)}`,
        },
      }),
    })
    return { sent }
  })
}

/** Start-up wiring of role-play self-study: the reminder sweep and who may read the pack's files. */
export function registerRoleplayStudy() {
  registerJobHandler(STUDY_REMINDERS_JOB, async (_data, context) => {
    await sendStudyReminders(context.now)
  })
  registerPeriodicJob(STUDY_REMINDERS_JOB, STUDY_REMINDERS_EVERY_MINUTES)
  registerFileAccess(STUDY_FILE_PURPOSE, maySeeStudyFile)
}
