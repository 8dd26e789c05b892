/**
 * Builds a large organisation on PostgreSQL for the KPI benchmark, in bulk SQL (generate_series,
 * no per-row inserts): at scale 1, 100,000 employees of whom 10,000 are managers, 220 departments,
 * 10 sessions everybody is required at (1,000,000 attendance rows), one 10-module course everybody
 * is enrolled in (1,000,000 module-progress rows), quiz attempts for the managers, then a KPI period
 * (2026-Q3) published with the app's own module.
 *
 * Usage: npx tsx scripts/generate-large-org.ts [--scale 1] [--db genjin_kpi_bench] [--admin-url postgres://postgres@127.0.0.1:5432/postgres]
 * Drops and re-creates the database. Prints how long each step took.
 */
import postgres from 'postgres'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : fallback
}
const SCALE = Number(arg('scale', '1'))
const DB = arg('db', 'genjin_kpi_bench')
const ADMIN_URL = arg('admin-url', process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
const PEOPLE = Math.round(100_000 * SCALE)
const MANAGERS = Math.round(10_000 * SCALE)
const DIVISIONS = 20
const DEPTS = 200
const SESSIONS = 10
const MODULES = 10

const dbUrl = (() => {
  const url = new URL(ADMIN_URL)
  url.pathname = `/${DB}`
  return url.toString()
})()

async function step<T>(label: string, run: () => Promise<T>) {
  const started = performance.now()
  const result = await run()
  console.log(`${label.padEnd(48)} ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return result
}

async function main() {
  const total = performance.now()
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${DB} with (force)`)
  await admin.unsafe(`create database ${DB}`)
  await admin.end()
  Object.assign(process.env, { DATABASE_URL: dbUrl, NODE_ENV: 'production' })
  const { connect, useConnection } = await import('../db/client.server')
  const connection = connect({ databaseUrl: dbUrl, max: 2 })
  await step('migrations', () => connection.migrate())
  useConnection(connection)
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} })
  const uid = (expr: string) => `md5('u' || (${expr}))::uuid`
  // Ids are md5 of the person's number, so every relation is computable in SQL without lookups.
  await step('departments', () =>
    sql.unsafe(`
      insert into departments (id, name, path, parent_id)
      select md5('d' || i)::uuid, '事业部' || i, '事业部' || i, null from generate_series(1, ${DIVISIONS}) i;
      insert into departments (id, name, path, parent_id)
      select md5('d' || (${DIVISIONS} + j))::uuid, '部门' || j, '事业部' || ((j - 1) % ${DIVISIONS} + 1) || '/部门' || j, md5('d' || ((j - 1) % ${DIVISIONS} + 1))::uuid
      from generate_series(1, ${DEPTS}) j;`),
  )
  await sql.unsafe(`alter table users disable trigger users_kpi_history; alter table user_roles disable trigger user_roles_kpi_history`)
  // People 1..DEPTS head a department (no manager); managers DEPTS+1..MANAGERS report to the head of
  // their department; employees report to a manager, in that manager's department.
  await step(`users (${PEOPLE.toLocaleString()})`, () =>
    sql.unsafe(`
      insert into users (id, employee_number, email, name, department_id, manager_id, created_at)
      select ${uid('i')}, 'B' || lpad(i::text, 7, '0'), 'p' || i || '@bench.test', '员工 ' || i,
        md5('d' || (${DIVISIONS} + (case when i <= ${MANAGERS} then (i - 1) % ${DEPTS} else ((i - 1) % ${MANAGERS}) % ${DEPTS} end) + 1))::uuid,
        case when i <= ${DEPTS} then null when i <= ${MANAGERS} then ${uid(`(i - 1) % ${DEPTS} + 1`)} else ${uid(`(i - 1) % ${MANAGERS} + 1`)} end,
        '2025-01-01'
      from generate_series(1, ${PEOPLE}) i`),
  )
  await step('roles + org history', () =>
    sql.unsafe(`
      insert into user_roles (user_id, role) select ${uid('i')}, case when i <= ${MANAGERS} then 'manager'::role else 'employee'::role end from generate_series(1, ${PEOPLE}) i;
      insert into org_history (user_id, department_id, is_manager, valid_from) select id, department_id, exists (select 1 from user_roles r where r.user_id = u.id and r.role = 'manager'), '2025-01-01' from users u;`),
  )
  await sql.unsafe(`alter table users enable trigger users_kpi_history; alter table user_roles enable trigger user_roles_kpi_history`)
  await step('HR admin', () =>
    sql.unsafe(`
      insert into users (id, email, name, password_hash) values ('00000000-0000-4000-8000-000000000001', 'bench.hr@bench.test', 'Bench HR', null);
      insert into user_roles (user_id, role) values ('00000000-0000-4000-8000-000000000001', 'hr_admin');`),
  )
  await step(`sessions + invitations + attendance (${(SESSIONS * PEOPLE).toLocaleString()})`, () =>
    sql.unsafe(`
      insert into sessions (id, title, starts_at, ends_at)
      select md5('s' || s)::uuid, 'Bench session ' || s, timestamptz '2026-04-06 01:00Z' + (s - 1) * interval '17 days', timestamptz '2026-04-06 03:00Z' + (s - 1) * interval '17 days'
      from generate_series(1, ${SESSIONS}) s;
      insert into invitations (session_id, user_id, status)
      select md5('s' || s)::uuid, ${uid('i')}, 'accepted' from generate_series(1, ${SESSIONS}) s, generate_series(1, ${PEOPLE}) i;
      insert into attendance (session_id, user_id, status, method)
      select md5('s' || s)::uuid, ${uid('i')},
        (array['present','present','present','late','absent','excused','present'])[1 + (i * 7 + s * 3) % 7]::attendance_status, 'trainer'
      from generate_series(1, ${SESSIONS}) s, generate_series(1, ${PEOPLE}) i;`),
  )
  await step(`course + enrolments + module progress (${(MODULES * PEOPLE).toLocaleString()})`, () =>
    sql.unsafe(`
      insert into courses (id, content_id, audience, title, description, estimated_minutes, status)
      values (md5('c1')::uuid, 'bench-course', 'managers', '{"en":"Bench course","zh-CN":"基准课程"}', '{"en":"","zh-CN":""}', 60, 'published');
      insert into course_modules (id, course_id, content_id, position, kind, title, estimated_minutes, settings)
      select md5('m' || m)::uuid, md5('c1')::uuid, 'm' || m, m, case when m = ${MODULES} then 'quiz'::module_kind else 'lesson'::module_kind end, '{"en":"Module","zh-CN":"模块"}', 5, '{}'
      from generate_series(1, ${MODULES}) m;
      insert into enrolments (id, course_id, user_id, due_at, completed_at)
      select md5('e' || i)::uuid, md5('c1')::uuid, ${uid('i')}, timestamptz '2026-08-31 15:00Z',
        case when i % 5 = 0 then null when i % 5 = 1 then timestamptz '2026-09-10 00:00Z' else timestamptz '2026-08-01 00:00Z' end
      from generate_series(1, ${PEOPLE}) i;
      insert into module_progress (enrolment_id, user_id, module_id, status, completed_at)
      select md5('e' || i)::uuid, ${uid('i')}, md5('m' || m)::uuid, 'completed', timestamptz '2026-08-01 00:00Z'
      from generate_series(1, ${PEOPLE}) i, generate_series(1, ${MODULES}) m;
      insert into quiz_attempts (user_id, module_id, enrolment_id, attempt_number, module_version, snapshot, score, submitted_at)
      select ${uid('i')}, md5('m${MODULES}')::uuid, md5('e' || i)::uuid, a, 1, '{}', 40 + (i * 13 + a * 7) % 61, timestamptz '2026-07-20 00:00Z' + a * interval '1 day'
      from generate_series(1, ${MANAGERS}) i, generate_series(1, 2) a;`),
  )
  await step('vacuum analyze', () => sql.unsafe('vacuum analyze'))
  const { PeriodForm } = await import('../app/modules/kpi/kpi')
  const { publishPeriod, savePeriod } = await import('../app/modules/kpi/periods.server')
  const hr = {
    id: '00000000-0000-4000-8000-000000000001',
    name: 'Bench HR',
    email: 'bench.hr@bench.test',
    locale: null,
    roles: ['hr_admin' as const],
    departmentId: null,
    managerId: null,
    sessionId: 'bench',
  }
  const form = (key: string, startsOn: string, endsOn: string) =>
    PeriodForm.parse({
      intent: 'save',
      key,
      startsOn,
      endsOn,
      lateFraction: '0.5',
      courseLateFraction: '0.5',
      excused: 'exclude',
      bandA: '90',
      bandB: '75',
      bandC: '60',
      weight: { attendance: '50', completion: '30', learning: '20' },
      enabled: { attendance: 'on', completion: 'on', learning: 'on' },
    })
  const q2 = await savePeriod(hr, null, form('2026-Q2', '2026-04-01', '2026-06-30'))
  const q3 = await savePeriod(hr, null, form('2026-Q3', '2026-07-01', '2026-09-30'))
  if (!q2.ok || !q3.ok) throw new Error('cannot save the periods')
  const now = { now: new Date('2026-10-05T04:00:00Z') }
  await step('publish 2026-Q2 (snapshot of every manager)', () => publishPeriod(hr, q2.periodId, {}, now))
  await step('publish 2026-Q3', () => publishPeriod(hr, q3.periodId, {}, now))
  // As autovacuum would soon after: statistics and the visibility map (index-only scans) for the new rows.
  await step('vacuum analyze (snapshots)', () => sql.unsafe('vacuum analyze kpi_snapshot_rows, kpi_snapshot_evidence, kpi_snapshot_departments'))
  const [facts] = await sql.unsafe(
    `select (select count(*) from attendance)::int as attendance, (select count(*) from module_progress)::int as progress, (select count(*) from users)::int as people`,
  )
  console.log(
    `\n${DB}: ${facts.people.toLocaleString()} people, ${MANAGERS.toLocaleString()} managers, ${facts.attendance.toLocaleString()} attendance + ${facts.progress.toLocaleString()} progress rows`,
  )
  console.log(`total ${((performance.now() - total) / 1000).toFixed(1)} s`)
  await sql.end()
  await connection.close()
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
