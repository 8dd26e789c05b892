import { count, eq, sql } from 'drizzle-orm'
import type { Database } from '../client.server'
import { attendance, cohorts, invitations, kpiPeriods, orgHistory, sessions, userRoles, users } from '../schema'
import { PeriodForm } from '../../app/modules/kpi/kpi'
import { publishPeriod, savePeriod } from '../../app/modules/kpi/periods.server'
import type { CurrentUser } from '../../app/modules/auth/permissions'

const DAY = 86_400_000
const PATTERN = ['present', 'present', 'late', 'present', 'absent', 'excused', 'present', 'present', 'late'] as const

/** The calendar quarter containing `date` (China time is close enough for whole days here). */
function quarterOf(date: Date) {
  const q = Math.floor(date.getUTCMonth() / 3)
  const start = new Date(Date.UTC(date.getUTCFullYear(), q * 3, 1))
  const end = new Date(Date.UTC(date.getUTCFullYear(), q * 3 + 3, 0))
  return { key: `${date.getUTCFullYear()}-Q${q + 1}`, start, end }
}
const day = (d: Date) => d.toISOString().slice(0, 10)

/**
 * The KPI demo (decision 020–022), relative to today: last quarter published with one correction
 * revision, this quarter in preview with one unmarked session blocking publication. Only in the demo
 * company and only once. Runs on the process-wide connection (the module functions publish).
 */
export async function seedDemoKpi(db: Database, now = new Date()) {
  const [admin] = await db.select().from(users).where(eq(users.email, 'hr.admin@example.com'))
  if (!admin) return false
  const [{ n }] = await db.select({ n: count() }).from(kpiPeriods)
  if (Number(n) > 0) return false
  const hr: CurrentUser = {
    id: admin.id,
    name: admin.name,
    email: admin.email,
    locale: admin.locale,
    roles: ['hr_admin', 'manager'],
    departmentId: admin.departmentId,
    managerId: null,
    sessionId: 'seed',
  }
  const managers = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .where(eq(userRoles.role, 'manager'))
    .orderBy(users.employeeNumber)
  // The demo company "has existed" for a year: one history stretch per person from then.
  const since = new Date(now.getTime() - 400 * DAY)
  await db.delete(orgHistory)
  await db.execute(sql`
    insert into org_history (user_id, department_id, is_manager, valid_from)
    select u.id, u.department_id, u.active and exists (select 1 from user_roles r where r.user_id = u.id and r.role = 'manager'), ${since.toISOString()}::timestamptz
    from users u`)
  const current = quarterOf(now)
  const past = quarterOf(new Date(current.start.getTime() - DAY))
  const [cohort] = await db.insert(cohorts).values({ name: 'KPI 演示 / KPI demo', createdBy: admin.id }).returning()

  async function classOn(date: Date, title: string, mark: (i: number) => (typeof PATTERN)[number] | null) {
    const startsAt = new Date(date.getTime() + DAY / 24) // 09:00 China time
    const [s] = await db
      .insert(sessions)
      .values({ cohortId: cohort.id, title, startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3_600_000), place: '培训室 A', createdBy: admin.id })
      .returning()
    await db.insert(invitations).values(managers.map((m) => ({ sessionId: s.id, userId: m.id, status: 'accepted' as const })))
    const marks = managers.flatMap((m, i) => {
      const status = mark(i)
      return status ? [{ sessionId: s.id, userId: m.id, status, method: 'trainer' as const, markedBy: admin.id }] : []
    })
    if (marks.length) await db.insert(attendance).values(marks)
    return s.id
  }

  const policy = (key: string, range: { start: Date; end: Date }) =>
    PeriodForm.parse({
      intent: 'save',
      key,
      startsOn: day(range.start),
      endsOn: day(range.end),
      lateFraction: '0.5',
      courseLateFraction: '0.5',
      excused: 'exclude',
      bandA: '90',
      bandB: '75',
      bandC: '60',
      weight: { attendance: '60', completion: '20', learning: '10', participation: '10' },
      enabled: { attendance: 'on', completion: 'on', learning: 'on', participation: 'on' },
      cohortIds: [cohort.id],
    })

  // Last quarter: three classes, all marked, published, then corrected once.
  const first = await classOn(new Date(past.start.getTime() + 10 * DAY), '绩效跟进（一）概念与方法 / Follow-up 1', (i) => PATTERN[i % PATTERN.length])
  await classOn(new Date(past.start.getTime() + 35 * DAY), '绩效跟进（二）案例分析 / Follow-up 2: case analysis', (i) => PATTERN[(i + 3) % PATTERN.length])
  await classOn(new Date(past.start.getTime() + 60 * DAY), '绩效跟进（三）角色扮演 / Follow-up 3: role-play', (i) => PATTERN[(i + 5) % PATTERN.length])
  const pastPeriod = await savePeriod(hr, null, policy(past.key, past))
  if (!pastPeriod.ok) throw new Error('demo KPI: cannot save the past period')
  await publishPeriod(hr, pastPeriod.periodId, {}, { now })
  // The correction: a trainer finds that one "absent" manager had signed in on paper.
  const [absent] = await db
    .select()
    .from(attendance)
    .where(sql`${attendance.sessionId} = ${first} and ${attendance.status} = 'absent'`)
    .limit(1)
  if (absent)
    await db
      .update(attendance)
      .set({ status: 'present' })
      .where(sql`${attendance.sessionId} = ${first} and ${attendance.userId} = ${absent.userId}`)
  await publishPeriod(
    hr,
    pastPeriod.periodId,
    { reason: '培训师根据纸质签到表更正了一条出勤记录 / The trainer corrected one attendance record from the paper sign-in sheet' },
    { now },
  )

  // This quarter: one class so far (or on its first day), with one manager not marked yet.
  const classDay = new Date(Math.max(current.start.getTime(), now.getTime() - 3 * DAY))
  await classOn(new Date(Date.UTC(classDay.getUTCFullYear(), classDay.getUTCMonth(), classDay.getUTCDate())), '绩效跟进复训 / Follow-up refresher', (i) =>
    i === 1 ? null : PATTERN[(i + 1) % PATTERN.length],
  )
  const currentPeriod = await savePeriod(hr, null, policy(current.key, current))
  if (!currentPeriod.ok) throw new Error('demo KPI: cannot save the current period')
  return true
}
