import { sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { attendance, cohorts, departments, invitations, sessions, sessionTrainers, users } from '#db/schema'
import { inSubtree } from '#db/sql-helpers'
import type { Translate } from '~/i18n'
import { deny } from '~/modules/auth/authorize.server'
import { can, type CurrentUser } from '~/modules/auth/permissions'
import { cleanTable, type Cell, type Table } from '~/modules/exports/spreadsheet.server'
import { loadSession, trainerRoleOf } from '~/modules/sessions/access.server'
import { sessionHeading } from '~/modules/sessions/sessions'
import { instantToZoned } from '~/shared/time'
import type { AttendanceCounts, AttendanceReportFilters, ReportView } from './reports'

/*
 * Attendance reports (docs/decisions/010-attendance-rate.md). Every report is one SQL query.
 * The denominator is fixed: the sessions a person was REQUIRED to attend — an invitation still
 * `invited` or `accepted` to a session that has started and is not cancelled. Declined and
 * wait-listed people were not required; a required session nobody marked stays "unmarked"
 * (never present). Rate = (present + late) / required; excused is counted on its own and
 * stays in the denominator.
 */

type Clock = { now?: Date }

/** Whose attendance the actor may read across sessions: everyone (HR) or their reporting line (managers). */
type PeopleScope = { kind: 'all' } | { kind: 'team'; managerId: string }

/** The manager's reporting line, direct and indirect (`union` stops at a cycle in bad data). */
function reportingLine(managerId: string) {
  return sql`(with recursive team(id) as (
      select u.id from ${users} u where u.manager_id = ${managerId}
      union
      select r.id from ${users} r join team on r.manager_id = team.id
    ) select id from team)`
}

function inScope(scope: PeopleScope, userId: SQL) {
  return scope.kind === 'all' ? sql`true` : sql`${userId} in ${reportingLine(scope.managerId)}`
}

async function peopleScope(actor: CurrentUser): Promise<PeopleScope> {
  if (can(actor, 'read:attendance-reports:all')) return { kind: 'all' }
  if (can(actor, 'read:attendance-reports:team')) return { kind: 'team', managerId: actor.id }
  return deny(actor, 'read:attendance-reports:team')
}

/** Which views the actor may open: sessions for anyone who teaches or reads reports, people and departments for HR and managers. */
export function reportViewsFor(actor: CurrentUser): ReportView[] {
  const views: ReportView[] = []
  const acrossPeople = can(actor, 'read:attendance-reports:all') || can(actor, 'read:attendance-reports:team')
  if (acrossPeople || can(actor, 'read:attendance-reports:own-session')) views.push('session')
  if (acrossPeople) views.push('person', 'department')
  return views
}

/** A date filter (YYYY-MM-DD) is a day in China time, the zone the organisation reports in. */
function periodFilter(filters: Pick<AttendanceReportFilters, 'from' | 'to'>, startsAt: SQL) {
  const parts: SQL[] = []
  if (filters.from) parts.push(sql`${startsAt} >= (${filters.from}::date)::timestamp at time zone 'Asia/Shanghai'`)
  if (filters.to) parts.push(sql`${startsAt} < (${filters.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'`)
  return parts.length ? sql.join(parts, sql` and `) : sql`true`
}

/** One row per required (person, session) with the attendance status, or null when unmarked. */
function requiredCte(filters: AttendanceReportFilters, now: Date) {
  return sql`required as (
    select i.user_id, i.session_id, a.status
    from ${invitations} i
    join ${sessions} s on s.id = i.session_id
    left join ${attendance} a on a.session_id = i.session_id and a.user_id = i.user_id
    where i.status in ('invited', 'accepted')
      and s.status = 'scheduled'
      and s.starts_at <= ${now.toISOString()}::timestamptz
      and ${periodFilter(filters, sql`s.starts_at`)}
      ${filters.cohort ? sql`and s.cohort_id = ${filters.cohort}` : sql``}
  )`
}

const countColumns = sql`
  count(*)::int as "required",
  (count(*) filter (where r.status = 'present'))::int as "present",
  (count(*) filter (where r.status = 'late'))::int as "late",
  (count(*) filter (where r.status = 'excused'))::int as "excused",
  (count(*) filter (where r.status = 'absent'))::int as "absent",
  (count(*) filter (where r.status is null))::int as "unmarked",
  round(100.0 * count(*) filter (where r.status in ('present', 'late')) / nullif(count(*), 0), 1) as "rate"`

/** The columns of `countColumns`: counts are never null, the rate is null when nothing was required. */
const countsRow = {
  required: column.number,
  present: column.number,
  late: column.number,
  excused: column.number,
  absent: column.number,
  unmarked: column.number,
  rate: column.numberOrNull,
} satisfies Record<keyof AttendanceCounts, z.ZodTypeAny>

/** A paged report's row of nulls from its `left join lateral` page: the page is past the end, or nobody is in it. */
const NoOne = z.object({ userId: z.null() }).transform(() => null)

function departmentFilter(departmentId: string | undefined, path: SQL) {
  if (!departmentId) return sql`true`
  return inSubtree(path, sql`(select dd.path from ${departments} dd where dd.id = ${departmentId})`)
}

/* ------------------------------------------------------------------ per person */

export type PersonAttendance = AttendanceCounts & { userId: string; name: string; email: string; employeeNumber: string | null; department: string | null }

/** One page of a report: which page, how many rows in all (counted in the same SQL) and how many pages. */
export type Paging = { page: number; pageSize: number; total: number; pages: number }

/** Rows per page on the report screens; exports always have every row. */
export const REPORT_PAGE_SIZE = 50

/** `limit … offset …` for a page, or nothing (every row) when no page is asked for. */
function pageClause(page: number | undefined) {
  return page ? sql`limit ${REPORT_PAGE_SIZE} offset ${(page - 1) * REPORT_PAGE_SIZE}` : sql``
}

function pagingOf(page: number, total: number): Paging {
  return { page, pageSize: REPORT_PAGE_SIZE, total, pages: Math.max(1, Math.ceil(total / REPORT_PAGE_SIZE)) }
}

/**
 * Per person over the period: sessions required, each status, unmarked and the rate. Only
 * people who were required somewhere appear. HR sees everyone, a manager their reporting line.
 * With `page`, only that page of people (by name), and `total` counts them all in the same query;
 * without, everyone (the exports).
 */
export async function personAttendanceReport(actor: CurrentUser, filters: AttendanceReportFilters, clock: Clock = {}): Promise<PersonAttendance[]> {
  return (await personAttendance(actor, filters, clock, {})).rows
}

/** One page of the person view, and how many people there are in all. */
export async function personAttendancePage(actor: CurrentUser, filters: AttendanceReportFilters, page: number, clock: Clock = {}) {
  return personAttendance(actor, filters, clock, { page })
}

const PersonRow = z.object({
  userId: column.text,
  name: column.text,
  email: column.text,
  employeeNumber: column.textOrNull,
  department: column.textOrNull,
  ...countsRow,
})
const PeopleTotal = z.object({ total: column.number })

async function personAttendance(
  actor: CurrentUser,
  filters: AttendanceReportFilters,
  clock: Clock,
  options: { page?: number },
): Promise<{ rows: PersonAttendance[]; total: number }> {
  const scope = await peopleScope(actor)
  const now = clock.now ?? new Date()
  // The count and the page in one statement: a page past the end still answers the total (one row of nulls).
  const result = await db.execute(sql`
    with ${requiredCte(filters, now)}, people as (
      select u.id as "userId", u.name, u.email, u.employee_number as "employeeNumber", d.path as "department", ${countColumns}
      from required r
      join ${users} u on u.id = r.user_id
      left join ${departments} d on d.id = u.department_id
      where ${inScope(scope, sql`u.id`)} and ${departmentFilter(filters.department, sql`d.path`)}
      group by u.id, d.path
    )
    select t.total, p.* from (select count(*)::int as total from people) t
    left join lateral (select * from people order by name, email, "userId" ${pageClause(options.page)}) p on true
    order by p.name, p.email, p."userId"`)
  const rows = parseRows(z.union([PersonRow, NoOne]), result).filter((r) => r !== null)
  return { rows, total: parseRows(PeopleTotal, result)[0]?.total ?? 0 }
}

/* -------------------------------------------------------------- per department */

export type DepartmentAttendance = AttendanceCounts & { departmentId: string; path: string; people: number; attended: number }

const DepartmentRow = z.object({ departmentId: column.text, path: column.text, people: column.number, ...countsRow })

/**
 * Per department: people who were required somewhere, required sessions, attended
 * (present + late) and the rate. With `rollup`, a department counts everyone in its subtree
 * (so "销售部" includes "销售部/华东区"); without, only its own members.
 */
export async function departmentAttendanceReport(actor: CurrentUser, filters: AttendanceReportFilters, clock: Clock = {}): Promise<DepartmentAttendance[]> {
  const scope = await peopleScope(actor)
  const now = clock.now ?? new Date()
  const membership = filters.rollup ? inSubtree(sql`ud.path`, sql`d.path`) : sql`ud.id = d.id`
  const order =
    filters.sort === 'department'
      ? sql`string_to_array(d.path, '/')`
      : filters.sort === 'rate-asc'
        ? sql`"rate" asc nulls last, string_to_array(d.path, '/')`
        : sql`"rate" desc nulls last, string_to_array(d.path, '/')`
  const rows = parseRows(
    DepartmentRow,
    await db.execute(sql`
      with ${requiredCte(filters, now)}
      select d.id as "departmentId", d.path, count(distinct r.user_id)::int as "people", ${countColumns}
      from ${departments} d
      join ${departments} ud on ${membership}
      join ${users} u on u.department_id = ud.id
      join required r on r.user_id = u.id
      where ${inScope(scope, sql`u.id`)} and ${departmentFilter(filters.department, sql`d.path`)}
      group by d.id, d.path
      order by ${order}`),
  )
  return rows.map((r) => ({ ...r, attended: r.present + r.late }))
}

/* ----------------------------------------------------------------- per session */

export type SessionAttendanceRow = {
  userId: string
  name: string
  email: string
  employeeNumber: string | null
  department: string | null
  invitation: string
  status: 'present' | 'late' | 'excused' | 'absent' | 'unmarked'
  method: 'qr' | 'code' | 'trainer' | null
  markedAt: Date | null
  markedBy: string | null
}

const SessionPersonRow = z.object({
  userId: column.text,
  name: column.text,
  email: column.text,
  employeeNumber: column.textOrNull,
  department: column.textOrNull,
  invitation: column.text,
  status: z.enum(['present', 'late', 'excused', 'absent', 'unmarked']),
  method: z.enum(['qr', 'code', 'trainer']).nullable(),
  markedAt: column.dateOrNull,
  markedBy: column.textOrNull,
})
/** The whole roster's tally, on every row of the page. */
const TallyRow = z.object({
  tallyTotal: column.number,
  tallyPresent: column.number,
  tallyLate: column.number,
  tallyExcused: column.number,
  tallyAbsent: column.number,
  tallyUnmarked: column.number,
})

/** Everyone (HR, the session's trainers and lecturers) or only the manager's reporting line. */
async function sessionScope(actor: CurrentUser, sessionId: string): Promise<PeopleScope> {
  if (can(actor, 'read:attendance-reports:all')) return { kind: 'all' }
  if (can(actor, 'read:attendance-reports:own-session') && (await trainerRoleOf(db, sessionId, actor.id))) return { kind: 'all' }
  if (can(actor, 'read:attendance-reports:team')) return { kind: 'team', managerId: actor.id }
  return deny(actor, 'read:attendance-reports:own-session', { sessionId })
}

/**
 * One session: each person who was required (invited or accepted) or has a record anyway
 * (e.g. marked after declining), with status, check-in method and time, and who marked it.
 * A manager sees only their reporting line, and is refused a session none of them was in.
 * With `page`, only that page of people (by name); the tally and `paging.total` always count
 * everyone, in the same query. Without, everyone (the exports).
 */
export async function sessionAttendanceReport(actor: CurrentUser, sessionId: string, clock: Clock = {}, options: { page?: number } = {}) {
  const session = await loadSession(db, sessionId)
  const scope = await sessionScope(actor, session.id)
  const now = clock.now ?? new Date()
  const result = await db.execute(sql`
    with roster as (
      select u.id as "userId", u.name, u.email, u.employee_number as "employeeNumber", d.path as "department",
        i.status::text as "invitation", coalesce(a.status::text, 'unmarked') as "status", a.method::text as "method",
        a.marked_at as "markedAt", m.name as "markedBy"
      from ${invitations} i
      join ${users} u on u.id = i.user_id
      left join ${departments} d on d.id = u.department_id
      left join ${attendance} a on a.session_id = i.session_id and a.user_id = i.user_id
      left join ${users} m on m.id = a.marked_by
      where i.session_id = ${session.id}
        and (i.status in ('invited', 'accepted') or a.status is not null)
        and ${inScope(scope, sql`u.id`)}
    )
    select t.*, p.* from (
      select count(*)::int as "tallyTotal",
        (count(*) filter (where status = 'present'))::int as "tallyPresent",
        (count(*) filter (where status = 'late'))::int as "tallyLate",
        (count(*) filter (where status = 'excused'))::int as "tallyExcused",
        (count(*) filter (where status = 'absent'))::int as "tallyAbsent",
        (count(*) filter (where status = 'unmarked'))::int as "tallyUnmarked"
      from roster
    ) t
    left join lateral (select * from roster order by name, email, "userId" ${pageClause(options.page)}) p on true
    order by p.name, p.email, p."userId"`)
  const [first] = parseRows(TallyRow, result)
  const total = first?.tallyTotal ?? 0
  if (scope.kind === 'team' && total === 0) await deny(actor, 'read:attendance-reports:team', { sessionId })
  const people: SessionAttendanceRow[] = parseRows(z.union([SessionPersonRow, NoOne]), result).filter((r) => r !== null)
  const tally = {
    present: first?.tallyPresent ?? 0,
    late: first?.tallyLate ?? 0,
    excused: first?.tallyExcused ?? 0,
    absent: first?.tallyAbsent ?? 0,
    unmarked: first?.tallyUnmarked ?? 0,
  }
  return {
    session: { ...sessionHeading(session), started: session.startsAt.getTime() <= now.getTime() },
    scope: scope.kind,
    people,
    tally,
    total,
  }
}

const ReportSessionRow = z.object({
  id: column.text,
  title: column.text,
  startsAt: column.date,
  timeZone: column.text,
  status: column.text,
  cohortName: column.textOrNull,
})

/** Sessions the actor may open in the session view, newest first, within the period and cohort. */
export async function listReportSessions(actor: CurrentUser, filters: AttendanceReportFilters) {
  const visible: SQL[] = []
  if (can(actor, 'read:attendance-reports:all')) visible.push(sql`true`)
  if (can(actor, 'read:attendance-reports:own-session')) {
    visible.push(sql`exists (select 1 from ${sessionTrainers} st where st.session_id = s.id and st.user_id = ${actor.id})`)
  }
  if (can(actor, 'read:attendance-reports:team')) {
    visible.push(sql`exists (select 1 from ${invitations} i where i.session_id = s.id and i.user_id in ${reportingLine(actor.id)})`)
  }
  if (visible.length === 0) await deny(actor, 'read:attendance-reports:own-session')
  return parseRows(
    ReportSessionRow,
    await db.execute(sql`
      select s.id, s.title, s.starts_at as "startsAt", s.time_zone as "timeZone", s.status::text as "status", c.name as "cohortName"
      from ${sessions} s
      left join ${cohorts} c on c.id = s.cohort_id
      where (${sql.join(visible, sql` or `)})
        and ${periodFilter(filters, sql`s.starts_at`)}
        ${filters.cohort ? sql`and s.cohort_id = ${filters.cohort}` : sql``}
      order by s.starts_at desc
      limit 200`),
  )
}

/** Cohorts and departments for the filter form (departments: all for HR, the team's for a manager). */
export async function reportFilterOptions(actor: CurrentUser) {
  const views = reportViewsFor(actor)
  if (views.length === 0) await deny(actor, 'read:attendance-reports:own-session')
  const cohortRows = await db
    .select({ id: cohorts.id, name: cohorts.name })
    .from(cohorts)
    .orderBy(sql`${cohorts.createdAt} desc`)
  if (!views.includes('department')) return { cohorts: cohortRows, departments: [] }
  const scope = await peopleScope(actor)
  const departmentRows = parseRows(
    z.object({ id: column.text, path: column.text }),
    await db.execute(sql`
      select d.id, d.path from ${departments} d
      where ${scope.kind === 'all' ? sql`true` : sql`exists (select 1 from ${users} u join ${departments} ud on ud.id = u.department_id where ${inSubtree(sql`ud.path`, sql`d.path`)} and u.id in ${reportingLine(scope.managerId)})`}
      order by string_to_array(d.path, '/')`),
  )
  return { cohorts: cohortRows, departments: departmentRows }
}

/* ------------------------------------------------------------------- exports */

const statusLabel = (t: Translate, status: string) => t(`attendance.status.${status}`)
const rateCell = (rate: number | null): Cell => (rate === null ? '' : rate)

function countHeaders(t: Translate) {
  return [
    t('reports.required'),
    t('attendance.status.present'),
    t('attendance.status.late'),
    t('attendance.status.excused'),
    t('attendance.status.absent'),
    t('attendance.status.unmarked'),
    t('reports.rate'),
  ]
}

const countCells = (c: AttendanceCounts): Cell[] => [c.required, c.present, c.late, c.excused, c.absent, c.unmarked, rateCell(c.rate)]

export function sessionReportTable(report: Awaited<ReturnType<typeof sessionAttendanceReport>>, t: Translate): Table {
  const zone = report.session.timeZone
  return cleanTable({
    header: [
      t('common.employeeNumber'),
      t('common.name'),
      t('common.email'),
      t('common.department'),
      t('reports.invitation'),
      t('reports.status'),
      t('reports.method'),
      t('reports.markedAt'),
      t('reports.markedBy'),
    ],
    body: report.people.map((p) => [
      p.employeeNumber ?? '',
      p.name,
      p.email,
      p.department ?? '',
      t(`sessions.invitation.${p.invitation}`),
      statusLabel(t, p.status),
      p.method ? t(`attendance.method.${p.method}`) : '',
      p.markedAt ? instantToZoned(p.markedAt, zone).replace('T', ' ') : '',
      p.markedBy ?? '',
    ]),
  })
}

export function personReportTable(rows: PersonAttendance[], t: Translate): Table {
  return cleanTable({
    header: [t('common.employeeNumber'), t('common.name'), t('common.email'), t('common.department'), ...countHeaders(t)],
    body: rows.map((r) => [r.employeeNumber ?? '', r.name, r.email, r.department ?? '', ...countCells(r)]),
  })
}

export function departmentReportTable(rows: DepartmentAttendance[], t: Translate): Table {
  return cleanTable({
    header: [t('common.department'), t('reports.people'), t('reports.attended'), ...countHeaders(t)],
    body: rows.map((r) => [r.path, r.people, r.attended, ...countCells(r)]),
  })
}

/**
 * The table behind one view of the report, for CSV/Excel, with the same permission checks as
 * the page. `filename` is ASCII (Content-Disposition); the sheet name is localised.
 */
export async function attendanceExport(actor: CurrentUser, filters: AttendanceReportFilters, t: Translate, clock: Clock = {}) {
  const view = filters.view ?? reportViewsFor(actor)[0]
  const stamp = instantToZoned(clock.now ?? new Date(), 'Asia/Shanghai').slice(0, 10)
  if (view === 'session') {
    if (!filters.session) throw new Response('Not found', { status: 404 })
    const report = await sessionAttendanceReport(actor, filters.session, clock)
    return {
      table: sessionReportTable(report, t),
      filename: `genjin-attendance-session-${stamp}`,
      sheet: t('reports.view.session'),
      widths: [12, 20, 28, 24, 10, 10, 10, 17, 20],
    }
  }
  if (view === 'person') {
    const rows = await personAttendanceReport(actor, filters, clock)
    return { table: personReportTable(rows, t), filename: `genjin-attendance-people-${stamp}`, sheet: t('reports.view.person'), widths: [12, 20, 28, 24] }
  }
  if (view === 'department') {
    const rows = await departmentAttendanceReport(actor, filters, clock)
    return { table: departmentReportTable(rows, t), filename: `genjin-attendance-departments-${stamp}`, sheet: t('reports.view.department'), widths: [30] }
  }
  return deny(actor, 'read:attendance-reports:own-session')
}

/**
 * Everything the report page shows for one view; only that view's query runs. The person and
 * session views show one page of REPORT_PAGE_SIZE people (a page past the end shows the last);
 * the exports have everyone. Departments are not paged: there are as many rows as departments.
 */
export async function attendanceReportPage(actor: CurrentUser, filters: AttendanceReportFilters, clock: Clock = {}) {
  const views = reportViewsFor(actor)
  if (views.length === 0) await deny(actor, 'read:attendance-reports:own-session')
  const view = filters.view && views.includes(filters.view) ? filters.view : views.includes('department') && !filters.session ? 'department' : 'session'
  const options = await reportFilterOptions(actor)
  const empty = { sessions: null, report: null, people: null, departments: null, paging: null }
  if (view === 'session') {
    const list = await listReportSessions(actor, filters)
    const sessionOptions = list.map((s) => ({
      id: s.id,
      label: `${instantToZoned(s.startsAt, s.timeZone).replace('T', ' ')} · ${s.title}${s.cohortName ? ` (${s.cohortName})` : ''}`,
      cancelled: s.status === 'cancelled',
    }))
    if (!filters.session) return { ...empty, views, view, options, sessions: sessionOptions }
    let report = await sessionAttendanceReport(actor, filters.session, clock, { page: filters.page })
    let paging = pagingOf(filters.page, report.total)
    if (filters.page > paging.pages) {
      report = await sessionAttendanceReport(actor, filters.session, clock, { page: paging.pages })
      paging = pagingOf(paging.pages, report.total)
    }
    return { ...empty, views, view, options, sessions: sessionOptions, report, paging }
  }
  if (view === 'person') {
    let { rows, total } = await personAttendancePage(actor, filters, filters.page, clock)
    let paging = pagingOf(filters.page, total)
    if (filters.page > paging.pages) {
      ;({ rows, total } = await personAttendancePage(actor, filters, paging.pages, clock))
      paging = pagingOf(paging.pages, total)
    }
    return { ...empty, views, view, options, people: rows, paging }
  }
  return { ...empty, views, view, options, departments: await departmentAttendanceReport(actor, filters, clock) }
}
