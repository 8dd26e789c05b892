import { and, asc, desc, eq, gte, inArray, isNull, lte, notExists, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { attendance, sessions, sessionTrainers, surveyParticipants, surveyResponses, users, type Session } from '#db/schema'
import { env, publicOrigin } from '~/env.server'
import { translator, type Locale } from '~/i18n'
import { assertCan, deny } from '~/modules/auth/authorize.server'
import { can, type CurrentUser } from '~/modules/auth/permissions'
import { recipientLocale, sendTemplatedEmails, type TemplatedEmail } from '~/modules/mail/email.server'
import { notifyMany } from '~/modules/notifications/inbox.server'
import { loadSession, trainerRoleOf } from '~/modules/sessions/access.server'
import { formatSessionTime } from '~/shared/time'
import { csvCell } from '~/modules/exports/spreadsheet.server'
import { canReadSurveyResults, surveyQuestions, type SurveyInput, type SurveyQuestion, type SurveyState } from './surveys'

type Options = { origin?: string }

const attended = ['present', 'late'] as const

// Spelled out: in a single-table select drizzle leaves column names unqualified, and inside a
// subquery on survey_responses a bare "id" would mean the response's id.
const sessionIdColumn = sql.raw('"sessions"."id"')

function originOf(options: Options) {
  return (options.origin ?? publicOrigin()).replace(/\/$/, '')
}

/** The survey opens when the session ends and closes SURVEY_OPEN_DAYS later. */
export function surveyWindow(session: Pick<Session, 'endsAt'>) {
  return { opensAt: session.endsAt, closesAt: new Date(session.endsAt.getTime() + env().SURVEY_OPEN_DAYS * 86_400_000) }
}

function stateOf(session: Pick<Session, 'endsAt'>, submittedAt: Date | null, now: Date): SurveyState {
  if (submittedAt) return 'answered'
  const { opensAt, closesAt } = surveyWindow(session)
  if (now < opensAt) return 'not_open'
  if (now > closesAt) return 'closed'
  return 'open'
}

async function attendedSession(executor: Executor, sessionId: string, userId: string) {
  const [row] = await executor
    .select({ status: attendance.status })
    .from(attendance)
    .where(and(eq(attendance.sessionId, sessionId), eq(attendance.userId, userId), inArray(attendance.status, [...attended])))
  return Boolean(row)
}

/* ------------------------------------------------------------------ sending */

function surveyEmail(session: Session, person: { userId: string; name: string; email: string; locale: string | null }, options: Options): TemplatedEmail {
  const locale = recipientLocale(person)
  const closes = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: session.timeZone }).format(surveyWindow(session).closesAt)
  return {
    to: { id: person.userId, email: person.email, name: person.name, locale: person.locale },
    kind: 'reaction_survey',
    vars: {
      name: person.name,
      title: session.title,
      when: formatSessionTime(locale, session.startsAt, session.endsAt, session.timeZone),
      closes,
      link: `${originOf(options)}/sessions/${session.id}/survey`,
    },
  }
}

/**
 * Emails the reaction survey to everyone who attended (present or late) and has not been sent
 * it nor answered it. Idempotent: the participant row is inserted first and only the rows this
 * call inserted get an email, so two runs (or two app instances) never send twice. Nothing is
 * sent before the session ends, after the survey closed, or for a cancelled session.
 */
export async function sendReactionSurveys(sessionId: string, now = new Date(), options: Options = {}) {
  const session = await loadSession(db, sessionId)
  const { closesAt } = surveyWindow(session)
  if (session.status !== 'scheduled' || now < session.endsAt || now > closesAt) return { sent: 0 }
  return db.transaction(async (tx) => {
    const candidates = await tx
      .select({ userId: users.id, name: users.name, email: users.email, locale: users.locale })
      .from(attendance)
      .innerJoin(users, eq(users.id, attendance.userId))
      .where(
        and(
          eq(attendance.sessionId, sessionId),
          inArray(attendance.status, [...attended]),
          eq(users.active, true),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(surveyParticipants)
              .where(and(eq(surveyParticipants.sessionId, sessionId), eq(surveyParticipants.userId, attendance.userId))),
          ),
        ),
      )
    if (candidates.length === 0) return { sent: 0 }
    const inserted = await tx
      .insert(surveyParticipants)
      .values(candidates.map((c) => ({ sessionId, userId: c.userId, sentAt: now })))
      .onConflictDoNothing()
      .returning({ userId: surveyParticipants.userId })
    const fresh = new Set(inserted.map((r) => r.userId))
    const people = candidates.filter((c) => fresh.has(c.userId))
    await sendTemplatedEmails(
      people.map((p) => surveyEmail(session, p, options)),
      tx,
    )
    await notifyMany(
      tx,
      people.map((p) => ({
        userId: p.userId,
        kind: 'reaction_survey',
        params: { title: session.title, startsAt: session.startsAt.toISOString(), endsAt: session.endsAt.toISOString(), timeZone: session.timeZone },
        link: `/sessions/${session.id}/survey`,
        dedupeKey: `reaction_survey:${session.id}`,
      })),
    )
    return { sent: people.length }
  })
}

/**
 * For the periodic job: every session that has ended, is not cancelled, whose survey is still
 * open and that has an attendee who has not been sent the survey yet.
 */
export async function sendDueReactionSurveys(now = new Date(), options: Options = {}) {
  const openSince = new Date(now.getTime() - env().SURVEY_OPEN_DAYS * 86_400_000)
  const due = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      and(
        eq(sessions.status, 'scheduled'),
        lte(sessions.endsAt, now),
        gte(sessions.endsAt, openSince),
        sql`exists (select 1 from ${attendance} a join ${users} u on u.id = a.user_id and u.active
          where a.session_id = ${sessionIdColumn} and a.status in ('present', 'late')
          and not exists (select 1 from ${surveyParticipants} p where p.session_id = a.session_id and p.user_id = a.user_id))`,
      ),
    )
    .orderBy(asc(sessions.endsAt))
  let sent = 0
  for (const session of due) sent += (await sendReactionSurveys(session.id, now, options)).sent
  return { sessions: due.length, sent }
}

/* ---------------------------------------------------------------- answering */

/** The survey page of one session for an attendee (403 for anyone who did not attend). */
export async function getSurvey(actor: CurrentUser, sessionId: string, now = new Date()) {
  await assertCan(actor, 'attend:sessions:own')
  const session = await loadSession(db, sessionId)
  if (session.status === 'cancelled' || !(await attendedSession(db, sessionId, actor.id))) {
    await deny(actor, 'answer:surveys:attended', { sessionId })
  }
  const [participant] = await db
    .select({ submittedAt: surveyParticipants.submittedAt })
    .from(surveyParticipants)
    .where(and(eq(surveyParticipants.sessionId, sessionId), eq(surveyParticipants.userId, actor.id)))
  const trainers = await db
    .select({ name: users.name })
    .from(sessionTrainers)
    .innerJoin(users, eq(users.id, sessionTrainers.userId))
    .where(eq(sessionTrainers.sessionId, sessionId))
    .orderBy(asc(users.name))
  return {
    session: { id: session.id, title: session.title, startsAt: session.startsAt, endsAt: session.endsAt, timeZone: session.timeZone },
    trainers: trainers.map((t) => t.name),
    state: stateOf(session, participant?.submittedAt ?? null, now),
    closesAt: surveyWindow(session).closesAt,
  }
}

/**
 * Records an attendee's answer once. The participant row is claimed first (its submitted_at
 * goes from null to now in one statement), so a second submit — even a concurrent one —
 * finds it taken and is refused. An anonymous answer is stored without user and time.
 */
export async function submitSurveyResponse(actor: CurrentUser, sessionId: string, input: SurveyInput, now = new Date()) {
  const { session, state } = await getSurvey(actor, sessionId, now)
  if (state === 'answered') return { ok: false as const, error: 'surveys.alreadyAnswered' }
  if (state === 'not_open') return { ok: false as const, error: 'surveys.notOpenYet' }
  if (state === 'closed') return { ok: false as const, error: 'surveys.closedMessage' }
  return db.transaction(async (tx) => {
    const claimed = await tx
      .insert(surveyParticipants)
      .values({ sessionId: session.id, userId: actor.id, submittedAt: now })
      .onConflictDoUpdate({
        target: [surveyParticipants.sessionId, surveyParticipants.userId],
        set: { submittedAt: now },
        setWhere: isNull(surveyParticipants.submittedAt),
      })
      .returning({ userId: surveyParticipants.userId })
    if (claimed.length === 0) return { ok: false as const, error: 'surveys.alreadyAnswered' }
    await tx.insert(surveyResponses).values({
      sessionId: session.id,
      userId: input.anonymous ? null : actor.id,
      anonymous: input.anonymous,
      contentRating: input.content,
      trainerRating: input.trainer,
      usefulnessRating: input.usefulness,
      comment: input.comment ?? null,
      submittedAt: input.anonymous ? null : now,
    })
    return { ok: true as const }
  })
}

/** The survey state of every session the actor attended, for "My sessions". */
export async function mySurveyStates(actor: CurrentUser, now = new Date()): Promise<Record<string, SurveyState>> {
  await assertCan(actor, 'attend:sessions:own')
  const rows = await db
    .select({ sessionId: attendance.sessionId, endsAt: sessions.endsAt, submittedAt: surveyParticipants.submittedAt })
    .from(attendance)
    .innerJoin(sessions, eq(sessions.id, attendance.sessionId))
    .leftJoin(surveyParticipants, and(eq(surveyParticipants.sessionId, attendance.sessionId), eq(surveyParticipants.userId, attendance.userId)))
    .where(and(eq(attendance.userId, actor.id), inArray(attendance.status, [...attended]), eq(sessions.status, 'scheduled')))
  return Object.fromEntries(rows.map((r) => [r.sessionId, stateOf(r, r.submittedAt, now)]))
}

/* ------------------------------------------------------------------ results */

/** Loads the session (404) and throws 403, audited, unless the actor is HR or teaches it. */
async function requireResultsRight(actor: CurrentUser, sessionId: string) {
  const session = await loadSession(db, sessionId)
  const teaches = can(actor, 'read:surveys:all') ? false : (await trainerRoleOf(db, sessionId, actor.id)) !== null
  if (!canReadSurveyResults(actor, teaches)) await deny(actor, 'read:surveys:own', { sessionId })
  return session
}

const avg = (column: AnyPgColumn) => sql<number | null>`round(avg(${column}), 2)::float8`

export type Distribution = Record<SurveyQuestion, { average: number | null; counts: [number, number, number, number, number] }>

const DistributionRow = z.object({ question: z.enum(surveyQuestions), rating: column.number, n: column.number })

const TrainerOverviewRow = z.object({
  userId: column.text,
  name: column.text,
  sessions: column.number,
  attendees: column.number,
  responses: column.number,
  content: column.numberOrNull,
  trainer: column.numberOrNull,
  usefulness: column.numberOrNull,
})

/**
 * One session's results: response rate, average and 1–5 distribution per question, comments.
 * Anonymous comments carry no name and no id; nothing returned identifies who answered.
 */
export async function getSessionSurveyResults(actor: CurrentUser, sessionId: string) {
  const session = await requireResultsRight(actor, sessionId)
  const [[summary], distribution, comments] = await Promise.all([
    db
      .select({
        attendees: sql<number>`(select count(*)::int from ${attendance} a where a.session_id = ${sessionId} and a.status in ('present', 'late'))`,
        responses: sql<number>`count(*)::int`,
        content: avg(surveyResponses.contentRating),
        trainer: avg(surveyResponses.trainerRating),
        usefulness: avg(surveyResponses.usefulnessRating),
      })
      .from(surveyResponses)
      .where(eq(surveyResponses.sessionId, sessionId)),
    db.execute(
      sql`select v.question, v.rating::int as rating, count(*)::int as n
          from ${surveyResponses} r
          cross join lateral (values ('content', r.content_rating), ('trainer', r.trainer_rating), ('usefulness', r.usefulness_rating)) as v(question, rating)
          where r.session_id = ${sessionId}
          group by v.question, v.rating`,
    ),
    db
      .select({ anonymous: surveyResponses.anonymous, name: users.name, comment: surveyResponses.comment })
      .from(surveyResponses)
      .leftJoin(users, eq(users.id, surveyResponses.userId))
      .where(and(eq(surveyResponses.sessionId, sessionId), sql`${surveyResponses.comment} is not null`))
      // Anonymous ones have no time; their random ids give no order to read anything into.
      .orderBy(asc(surveyResponses.anonymous), asc(surveyResponses.submittedAt), asc(surveyResponses.id)),
  ])
  const questions = Object.fromEntries(
    surveyQuestions.map((q) => [q, { average: summary[q] === null ? null : Number(summary[q]), counts: [0, 0, 0, 0, 0] }]),
  ) as Distribution
  for (const row of parseRows(DistributionRow, distribution)) {
    questions[row.question].counts[row.rating - 1] = row.n
  }
  const attendees = Number(summary.attendees)
  const responses = Number(summary.responses)
  return {
    session: { id: session.id, title: session.title, startsAt: session.startsAt, endsAt: session.endsAt, timeZone: session.timeZone, status: session.status },
    window: surveyWindow(session),
    attendees,
    responses,
    responseRate: attendees ? Math.round((responses / attendees) * 100) : null,
    questions,
    comments: comments.map((c) => ({ anonymous: c.anonymous, name: c.anonymous ? null : c.name, comment: c.comment! })),
  }
}

/** The per-session results as CSV: one summary block and the comments (formula cells neutralised). */
export async function sessionSurveyCsv(actor: CurrentUser, sessionId: string, locale: Locale) {
  const results = await getSessionSurveyResults(actor, sessionId)
  const t = translator(locale)
  const rows: unknown[][] = [
    [t('surveys.results.session'), results.session.title],
    [t('surveys.results.attendees'), results.attendees],
    [t('surveys.results.responses'), results.responses],
    [t('surveys.results.rate'), results.responseRate === null ? '' : `${results.responseRate}%`],
    [],
    [t('surveys.results.question'), t('surveys.results.average'), '1', '2', '3', '4', '5'],
    ...surveyQuestions.map((q) => [t(`surveys.question.${q}`), results.questions[q].average ?? '', ...results.questions[q].counts]),
    [],
    [t('surveys.results.author'), t('surveys.results.comment')],
    ...results.comments.map((c) => [c.anonymous ? t('surveys.results.anonymous') : c.name, c.comment]),
  ]
  const text = '\ufeff' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
  return { filename: `survey-${results.session.id}.csv`, text }
}

/**
 * Results per trainer and per session, for ended sessions that were not cancelled. HR sees
 * every trainer and session; a trainer or lecturer only their own. Aggregated in SQL.
 */
export async function getSurveyOverview(actor: CurrentUser, now = new Date()) {
  await assertCan(actor, 'read:surveys:own')
  const all = can(actor, 'read:surveys:all')
  const own = all ? sql`true` : sql`st.user_id = ${actor.id}`
  const trainerRows = parseRows(
    TrainerOverviewRow,
    await db.execute(sql`
      with taught as (
        select st.user_id, st.session_id
        from ${sessionTrainers} st join ${sessions} s on s.id = st.session_id
        where s.status = 'scheduled' and s.ends_at <= ${now.toISOString()}::timestamptz and ${own}
      )
      select u.id as "userId", u.name,
        count(distinct t.session_id)::int as sessions,
        (select count(*)::int from ${attendance} a join taught t2 on t2.session_id = a.session_id
          where t2.user_id = u.id and a.status in ('present', 'late')) as attendees,
        count(r.id)::int as responses,
        round(avg(r.content_rating), 2)::float8 as content,
        round(avg(r.trainer_rating), 2)::float8 as trainer,
        round(avg(r.usefulness_rating), 2)::float8 as usefulness
      from taught t
      join ${users} u on u.id = t.user_id
      left join ${surveyResponses} r on r.session_id = t.session_id
      group by u.id, u.name
      order by u.name`),
  )
  const sessionRows = await db
    .select({
      id: sessions.id,
      title: sessions.title,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      timeZone: sessions.timeZone,
      attendees: sql<number>`(select count(*)::int from ${attendance} a where a.session_id = ${sessionIdColumn} and a.status in ('present', 'late'))`,
      responses: sql<number>`(select count(*)::int from ${surveyResponses} r where r.session_id = ${sessionIdColumn})`,
      content: sql<number | null>`(select round(avg(r.content_rating), 2)::float8 from ${surveyResponses} r where r.session_id = ${sessionIdColumn})`,
      trainer: sql<number | null>`(select round(avg(r.trainer_rating), 2)::float8 from ${surveyResponses} r where r.session_id = ${sessionIdColumn})`,
      usefulness: sql<number | null>`(select round(avg(r.usefulness_rating), 2)::float8 from ${surveyResponses} r where r.session_id = ${sessionIdColumn})`,
    })
    .from(sessions)
    .where(
      and(
        eq(sessions.status, 'scheduled'),
        lte(sessions.endsAt, now),
        all ? undefined : sql`exists (select 1 from ${sessionTrainers} st where st.session_id = ${sessionIdColumn} and st.user_id = ${actor.id})`,
      ),
    )
    .orderBy(desc(sessions.endsAt))
    .limit(100)
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))
  return {
    trainers: trainerRows,
    sessions: sessionRows.map((r) => ({
      ...r,
      attendees: Number(r.attendees),
      responses: Number(r.responses),
      content: num(r.content),
      trainer: num(r.trainer),
      usefulness: num(r.usefulness),
    })),
    all,
  }
}
