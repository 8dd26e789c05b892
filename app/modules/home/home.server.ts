import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { env } from '~/env.server'
import { assertCan } from '~/modules/auth/authorize.server'
import { can, hasRole, type CurrentUser } from '~/modules/auth/permissions'
import type { Home, HomeAction, HomePanel } from './home'

/*
 * One function per home. Each panel is one SQL statement (no query per row), so a home costs a
 * handful of queries whatever the size of the organisation. A panel is a function of the actor;
 * a domain adds its panel to a home's list with one line.
 */

export type PanelLoader = (actor: CurrentUser, now: Date) => Promise<HomePanel>

/** A timestamptz parameter: both drivers take the ISO text. */
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`
const iso = (v: Date | null) => (v ? v.toISOString() : undefined)
const PANEL_ROWS = 5

const UpcomingRow = z.object({
  id: column.text,
  title: column.text,
  startsAt: column.date,
  capacity: column.numberOrNull,
  accepted: column.number,
  waitlisted: column.number,
  declined: column.number,
  pending: column.number,
})

/** Upcoming sessions (all for HR, own for trainers) with their RSVP counts. */
function upcomingSessions(scope: 'all' | 'own'): PanelLoader {
  return async (actor, now) => {
    const rows = parseRows(
      UpcomingRow,
      await db.execute(sql`
        select s.id, s.title, s.starts_at as "startsAt", s.capacity,
          count(i.id) filter (where i.status = 'accepted')::int as accepted,
          count(i.id) filter (where i.status = 'waitlisted')::int as waitlisted,
          count(i.id) filter (where i.status = 'declined')::int as declined,
          count(i.id) filter (where i.status = 'invited')::int as pending
        from sessions s left join invitations i on i.session_id = s.id
        where s.status = 'scheduled' and s.ends_at > ${ts(now)}
          ${scope === 'own' ? sql`and exists (select 1 from session_trainers t where t.session_id = s.id and t.user_id = ${actor.id})` : sql``}
        group by s.id order by s.starts_at limit ${PANEL_ROWS}`),
    )
    return {
      id: 'upcoming-sessions',
      title: { key: 'home.panel.upcoming' },
      empty: { key: 'home.panel.upcomingEmpty' },
      more: { href: '/sessions', text: { key: 'home.panel.allSessions' } },
      items: rows.map((r) => ({
        id: r.id,
        label: r.title,
        href: `/sessions/${r.id}`,
        at: iso(r.startsAt),
        note: {
          key: r.capacity === null ? 'home.rsvp' : 'home.rsvpCapacity',
          vars: { accepted: r.accepted, capacity: r.capacity ?? 0, waitlisted: r.waitlisted, declined: r.declined, pending: r.pending },
        },
      })),
    }
  }
}

const UnmarkedRow = z.object({ id: column.text, title: column.text, startsAt: column.date, unmarked: column.number })

/**
 * Sessions that are over with somebody expected still unmarked. The candidates come from
 * unmarked_invitations (kept by triggers, decision 069), not from every invitation ever sent; a
 * pair marked meanwhile is checked again here, so the counts are the anti-join's.
 */
function unmarkedSessions(scope: 'all' | 'own'): PanelLoader {
  return async (actor, now) => {
    const rows = parseRows(
      UnmarkedRow,
      await db.execute(sql`
        select s.id, s.title, s.starts_at as "startsAt", count(i.id)::int as unmarked
        from sessions s
        join unmarked_invitations u on u.session_id = s.id
        join invitations i on i.user_id = u.user_id and i.session_id = u.session_id and i.status in ('accepted', 'invited')
        where s.status = 'scheduled' and s.ends_at < ${ts(now)}
          and not exists (select 1 from attendance a where a.user_id = u.user_id and a.session_id = u.session_id)
          ${scope === 'own' ? sql`and exists (select 1 from session_trainers t where t.session_id = s.id and t.user_id = ${actor.id})` : sql``}
        group by s.id order by s.starts_at desc limit ${PANEL_ROWS}`),
    )
    return {
      id: 'unmarked-sessions',
      title: { key: 'home.panel.unmarked' },
      empty: { key: 'home.panel.unmarkedEmpty' },
      items: rows.map((r) => ({
        id: r.id,
        label: r.title,
        href: `/sessions/${r.id}/roster`,
        at: iso(r.startsAt),
        tone: 'urgent' as const,
        note: { key: 'home.unmarkedCount', vars: { count: r.unmarked } },
      })),
    }
  }
}

const OverdueRow = z.object({ id: column.text, name: column.text, course: column.localized, dueAt: column.date, total: column.number })

/** Learners past their due date, oldest deadline first, with the total. */
const overdueLearners: PanelLoader = async (_actor, now) => {
  const rows = parseRows(
    OverdueRow,
    await db.execute(sql`
      select e.id, u.name, c.title as course, e.due_at as "dueAt", count(*) over ()::int as total
      from enrolments e join users u on u.id = e.user_id join courses c on c.id = e.course_id
      where e.completed_at is null and e.unenrolled_at is null and e.due_at < ${ts(now)} and u.active
      order by e.due_at, u.name limit ${PANEL_ROWS}`),
  )
  const total = rows[0]?.total ?? 0
  return {
    id: 'overdue-learners',
    title: { key: 'home.panel.overdue' },
    status: total ? { key: 'home.overdueTotal', vars: { count: total } } : undefined,
    empty: { key: 'home.panel.overdueEmpty' },
    more: { href: '/admin/progress?overdue=1', text: { key: 'home.panel.allOverdue' } },
    items: rows.map((r) => ({
      id: r.id,
      label: r.name,
      href: '/admin/progress?overdue=1',
      at: iso(r.dueAt),
      tone: 'urgent' as const,
      note: { key: 'home.courseTitle', vars: { title: r.course } },
    })),
  }
}

const SurveyResultRow = z.object({ id: column.text, title: column.text, endsAt: column.date, answers: column.number, average: column.textOrNull })

/** Sessions whose reaction survey has answers in the last weeks. */
function surveyResults(scope: 'all' | 'own'): PanelLoader {
  return async (actor, now) => {
    const since = new Date(now.getTime() - (env().SURVEY_OPEN_DAYS + 14) * 86_400_000)
    const rows = parseRows(
      SurveyResultRow,
      await db.execute(sql`
        select s.id, s.title, s.ends_at as "endsAt", count(r.id)::int as answers,
          round(avg((r.content_rating + r.trainer_rating + r.usefulness_rating) / 3.0), 1)::text as average
        from sessions s join survey_responses r on r.session_id = s.id
        where s.ends_at > ${ts(since)}
          ${scope === 'own' ? sql`and exists (select 1 from session_trainers t where t.session_id = s.id and t.user_id = ${actor.id})` : sql``}
        group by s.id order by s.ends_at desc limit ${PANEL_ROWS}`),
    )
    return {
      id: 'survey-results',
      title: { key: 'home.panel.surveys' },
      empty: { key: 'home.panel.surveysEmpty' },
      more: { href: '/admin/surveys', text: { key: 'home.panel.allSurveys' } },
      items: rows.map((r) => ({
        id: r.id,
        label: r.title,
        href: `/sessions/${r.id}/survey-results`,
        at: iso(r.endsAt),
        note: { key: 'home.surveyAnswers', vars: { count: r.answers, average: r.average ?? '–' } },
      })),
    }
  }
}

const ImportRow = z.object({ id: column.text, filename: column.text, status: column.text, createdAt: column.date, actor: column.text })

/** The latest org-chart imports. */
const recentImports: PanelLoader = async () => {
  const rows = parseRows(
    ImportRow,
    await db.execute(sql`
      select i.id, i.filename, i.status::text as status, i.created_at as "createdAt", u.name as actor
      from org_imports i join users u on u.id = i.actor_id order by i.created_at desc limit ${PANEL_ROWS}`),
  )
  return {
    id: 'recent-imports',
    title: { key: 'home.panel.imports' },
    empty: { key: 'home.panel.importsEmpty' },
    more: { href: '/admin/import', text: { key: 'home.panel.newImport' } },
    items: rows.map((r) => ({
      id: r.id,
      label: r.filename,
      href: '/admin/import',
      at: iso(r.createdAt),
      note: { key: `home.import.${r.status}`, vars: { name: r.actor } },
    })),
  }
}

/** HR's dashboard: one line per panel. */
export const HR_PANELS: PanelLoader[] = [upcomingSessions('all'), unmarkedSessions('all'), overdueLearners, surveyResults('all'), recentImports]

export const TRAINER_PANELS: PanelLoader[] = [unmarkedSessions('own'), upcomingSessions('own'), surveyResults('own')]

async function panels(actor: CurrentUser, loaders: PanelLoader[], now: Date) {
  return Promise.all(loaders.map((load) => load(actor, now)))
}

/** Next actions from panels that need doing: each urgent item becomes an action. */
function urgentActions(list: HomePanel[]): HomeAction[] {
  return list.flatMap((p) =>
    p.items
      .filter((i) => i.tone === 'urgent' && p.id === 'unmarked-sessions')
      .map((i) => ({ id: `${p.id}:${i.id}`, text: { key: 'home.action.mark', vars: { title: i.label } }, href: i.href, at: i.at, tone: 'urgent' as const })),
  )
}

/** A course's title comes as the text of its jsonb (the union's other parts have a plain title). */
const localizedText = column.json(column.localized)
const learnerAction = { id: column.text, at: column.dateOrNull, extra: column.textOrNull, overdue: column.boolean }
const LearnerActionRow = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['check-in', 'reply', 'survey']), title: column.text, ...learnerAction }),
  z.object({ kind: z.literal('course'), title: localizedText, ...learnerAction }),
])

/**
 * What any learner has to do, most urgent first: sessions running now (check in), invitations
 * without a reply, surveys waiting for their answer, the next module of the most pressing course.
 */
async function learnerActions(actor: CurrentUser, now: Date): Promise<HomeAction[]> {
  const surveyDays = env().SURVEY_OPEN_DAYS
  const rows = parseRows(
    LearnerActionRow,
    await db.execute(sql`
      select 'check-in' as kind, s.id::text as id, s.title, s.starts_at as at, null::text as extra, false as overdue
      from invitations i join sessions s on s.id = i.session_id
      where i.user_id = ${actor.id} and i.status = 'accepted' and s.status = 'scheduled'
        and s.starts_at < ${ts(new Date(now.getTime() + 30 * 60_000))} and s.ends_at > ${ts(now)}
        and not exists (select 1 from attendance a where a.session_id = s.id and a.user_id = ${actor.id})
      union all
      select 'reply', s.id::text, s.title, s.starts_at, null, false
      from invitations i join sessions s on s.id = i.session_id
      where i.user_id = ${actor.id} and i.status = 'invited' and s.status = 'scheduled' and s.starts_at > ${ts(now)}
      union all
      select 'survey', s.id::text, s.title, s.ends_at, null, false
      from attendance a join sessions s on s.id = a.session_id
      where a.user_id = ${actor.id} and a.status in ('present', 'late') and s.status = 'scheduled'
        and s.ends_at < ${ts(now)} and s.ends_at > ${ts(new Date(now.getTime() - surveyDays * 86_400_000))}
        and not exists (select 1 from survey_participants p where p.session_id = s.id and p.user_id = ${actor.id} and p.submitted_at is not null)
      union all
      (select 'course', c.content_id, c.title::text, e.due_at, m.content_id, coalesce(e.due_at < ${ts(now)}, false)
      from enrolments e join courses c on c.id = e.course_id
      left join lateral (
        select cm.content_id from course_modules cm
        where cm.course_id = c.id and cm.retired_at is null and cm.required
          and not exists (select 1 from module_progress p where p.module_id = cm.id and p.user_id = ${actor.id} and p.status = 'completed')
        order by cm.position limit 1) m on true
      where e.user_id = ${actor.id} and e.completed_at is null and e.unenrolled_at is null and c.status = 'published'
      order by e.due_at nulls last limit 2)`),
  )
  const order = ['check-in', 'reply', 'survey', 'course']
  return rows
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || Number(b.overdue) - Number(a.overdue))
    .map((r) => {
      const at = iso(r.at)
      if (r.kind === 'check-in')
        return { id: `check-in:${r.id}`, text: { key: 'home.action.checkIn', vars: { title: r.title } }, href: '/check-in', at, tone: 'urgent' }
      if (r.kind === 'reply') return { id: `reply:${r.id}`, text: { key: 'home.action.reply', vars: { title: r.title } }, href: '/my/sessions', at }
      if (r.kind === 'survey')
        return { id: `survey:${r.id}`, text: { key: 'home.action.survey', vars: { title: r.title } }, href: `/sessions/${r.id}/survey`, at }
      return {
        id: `course:${r.id}`,
        text: { key: r.overdue ? 'home.action.courseOverdue' : 'home.action.course', vars: { title: r.title } },
        href: r.extra ? `/learn/${r.id}/${r.extra}` : `/learn/${r.id}`,
        at,
        tone: r.overdue ? 'urgent' : 'normal',
      } satisfies HomeAction
    })
}

const TeamRow = z.object({ kind: z.enum(['shared', 'overdue']), id: column.text, name: column.text, at: column.date })

/** A manager's team: prep sheets shared with them recently, and reports behind on their courses. */
const teamPanel: PanelLoader = async (actor, now) => {
  const rows = parseRows(
    TeamRow,
    await db.execute(sql`
      (select 'shared' as kind, p.id::text as id, u.name, p.shared_with_manager_at as at
      from prep_sheets p join users u on u.id = p.user_id
      where u.manager_id = ${actor.id} and u.active and p.shared_with_manager_at > ${ts(new Date(now.getTime() - 30 * 86_400_000))}
      order by p.shared_with_manager_at desc limit ${PANEL_ROWS})
      union all
      (select 'overdue', e.id::text, u.name, e.due_at
      from enrolments e join users u on u.id = e.user_id
      where u.manager_id = ${actor.id} and u.active and e.completed_at is null and e.unenrolled_at is null and e.due_at < ${ts(now)}
      order by e.due_at limit ${PANEL_ROWS})`),
  )
  return {
    id: 'team',
    title: { key: 'home.panel.team' },
    empty: { key: 'home.panel.teamEmpty' },
    more: { href: '/team', text: { key: 'home.panel.openTeam' } },
    items: rows.map((r) => ({
      id: `${r.kind}:${r.id}`,
      label: r.name,
      href: '/team',
      at: iso(r.at),
      tone: r.kind === 'overdue' ? ('urgent' as const) : ('good' as const),
      note: { key: r.kind === 'overdue' ? 'home.team.overdue' : 'home.team.shared' },
    })),
  }
}

/** HR's home: the dashboard panels; their own learning comes after. */
export async function hrHome(actor: CurrentUser, now = new Date()): Promise<Home> {
  await assertCan(actor, 'manage:people:all')
  const [list, mine] = await Promise.all([panels(actor, HR_PANELS, now), learnerActions(actor, now)])
  return { kind: 'hr', actions: [...urgentActions(list), ...mine], panels: list }
}

/** A trainer's home: sessions to mark first, then what they teach next and how it was rated. */
export async function trainerHome(actor: CurrentUser, now = new Date()): Promise<Home> {
  await assertCan(actor, 'manage:sessions:own')
  const [list, mine] = await Promise.all([panels(actor, TRAINER_PANELS, now), learnerActions(actor, now)])
  return { kind: 'trainer', actions: [...urgentActions(list), ...mine], panels: list }
}

const TeachingRow = z.object({ id: column.text, title: column.text, startsAt: column.date, version: column.numberOrNull, acknowledged: column.boolean })

/** An external lecturer's home: briefing packs to acknowledge first, then the sessions they teach. */
export async function lecturerHome(actor: CurrentUser, now = new Date()): Promise<Home> {
  await assertCan(actor, 'read:briefings:own-session')
  const rows = parseRows(
    TeachingRow,
    await db.execute(sql`
      select s.id, s.title, s.starts_at as "startsAt", b.version,
        exists (select 1 from briefing_acknowledgements k where k.briefing_id = b.id and k.user_id = ${actor.id} and k.version = b.version) as acknowledged
      from session_trainers t join sessions s on s.id = t.session_id
      left join briefings b on b.session_id = s.id and b.status = 'published'
      where t.user_id = ${actor.id} and s.status = 'scheduled' and s.ends_at > ${ts(now)}
      order by s.starts_at`),
  )
  const actions: HomeAction[] = rows
    .filter((r) => r.version && !r.acknowledged)
    .map((r) => ({
      id: `briefing:${r.id}`,
      text: { key: 'home.action.briefing', vars: { title: r.title } },
      href: `/sessions/${r.id}/briefing`,
      at: iso(r.startsAt),
      tone: 'urgent',
    }))
  const panel: HomePanel = {
    id: 'teaching',
    title: { key: 'home.panel.teaching' },
    empty: { key: 'home.panel.teachingEmpty' },
    items: rows.map((r) => ({
      id: r.id,
      label: r.title,
      href: `/sessions/${r.id}`,
      at: iso(r.startsAt),
      tone: r.version && !r.acknowledged ? ('urgent' as const) : r.version ? ('good' as const) : undefined,
      note: { key: !r.version ? 'briefings.home.none' : r.acknowledged ? 'briefings.home.read' : 'briefings.home.pending' },
    })),
  }
  return { kind: 'lecturer', actions, panels: [panel] }
}

/** A manager's home: their own next steps, then their team's shared sheets and overdue courses. */
export async function managerHome(actor: CurrentUser, now = new Date()): Promise<Home> {
  await assertCan(actor, 'read:progress:team')
  const [mine, team] = await Promise.all([learnerActions(actor, now), teamPanel(actor, now)])
  const teamActions: HomeAction[] = team.items
    .filter((i) => i.tone === 'good')
    .slice(0, 2)
    .map((i) => ({ id: `team:${i.id}`, text: { key: 'home.action.readSheet', vars: { name: i.label } }, href: i.href, at: i.at }))
  return { kind: 'manager', actions: [...mine, ...teamActions], panels: [team] }
}

/** An employee's home: check in, reply, answer the survey, continue the course. */
export async function employeeHome(actor: CurrentUser, now = new Date()): Promise<Home> {
  await assertCan(actor, 'take:courses:own')
  return { kind: 'employee', actions: await learnerActions(actor, now), panels: [] }
}

/** The home that fits the person's main role. */
export function homeFor(actor: CurrentUser, now = new Date()) {
  if (can(actor, 'manage:people:all')) return hrHome(actor, now)
  if (hasRole(actor, 'trainer')) return trainerHome(actor, now)
  if (hasRole(actor, 'lecturer')) return lecturerHome(actor, now)
  if (hasRole(actor, 'manager')) return managerHome(actor, now)
  return employeeHome(actor, now)
}
