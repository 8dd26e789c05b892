/**
 * Does one slow request stall every other? (issue 10 item 8, decision 043.) A measurement, not a
 * test: against the production build, it measures GET /healthz alone, then during a burst of
 * attendance-report requests (HR's person view and its Excel export, CONCURRENCY in flight at all
 * times), and prints the p50/p99 of each and the ratio burst ÷ alone — for every configuration in
 * the same run, so the ratios are comparable:
 *
 *   pglite-process  PGlite in the web process (PGLITE_THREAD=false, how it was before)
 *   pglite-thread   PGlite in a worker thread (the default)
 *   postgres        PostgreSQL (a fresh database on --admin-url, dropped at the end)
 *
 * Every configuration gets the same data, written in bulk SQL: PEOPLE people in 20 departments,
 * SESSIONS past sessions each inviting a third of them, most marked.
 *
 * Usage: npx tsx scripts/bench/healthz-under-reports.ts [--no-build] [--only pglite-thread,postgres]
 *          [--people 300] [--sessions 30] [--concurrency 45] [--seconds 20]
 *
 * A /healthz that takes longer than 10 s counts as failed (a load balancer would have given up)
 * and is shown apart; the p99 then reads "> 10 s".
 *          [--admin-url postgres://postgres@127.0.0.1:5432/postgres]
 */
import { spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import type postgres from 'postgres'
import { productionEnv, startServer, stopServer } from './app-server'
import { benchArgs, defaultAdminUrl } from './args'
import { asAdmin, databaseUrl } from './database'
import { latencies } from './stats'

const ALL = ['pglite-process', 'pglite-thread', 'postgres'] as const
const args = benchArgs(
  {
    people: '300',
    sessions: '30',
    concurrency: '45',
    seconds: '20',
    'admin-url': defaultAdminUrl,
    only: ALL.join(','),
    port: String(3900 + Math.floor(Math.random() * 90)),
  },
  ['no-build'],
)
const PEOPLE = Number(args.people)
const SESSIONS = Number(args.sessions)
const CONCURRENCY = Number(args.concurrency)
const SECONDS = Number(args.seconds)
const ADMIN_URL = args['admin-url']
type Config = (typeof ALL)[number]
const ONLY = args.only.split(',') as Config[]
const PORT = Number(args.port)
const BASE = `http://127.0.0.1:${PORT}`

// The app modules read their configuration once; production, as a deployment runs it.
Object.assign(process.env, productionEnv(PORT))
delete process.env.SMTP_URL
delete process.env.DATABASE_URL

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const stats = (samples: number[]) => ({ ...latencies(samples), timeouts: samples.filter((v) => !Number.isFinite(v)).length })
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '> 10 s').padStart(10)

const admin = <T>(run: (sql: postgres.Sql) => Promise<T>) => asAdmin(ADMIN_URL, run)

/** Fills the database in bulk SQL and returns a signed-in HR admin's cookie. */
async function prepare(target: { databaseUrl?: string; pgliteDir?: string }) {
  const { connect, useConnection } = await import('../../db/client.server')
  const { z } = await import('zod')
  const { column, parseRows } = await import('../../db/rows')
  const connection = connect({ ...target, max: 2 })
  try {
    await connection.migrate()
    useConnection(connection)
    const { db } = connection
    await db.execute(sql`insert into departments (name, path) select 'Dept ' || d, 'Company/Dept ' || d from generate_series(1, 20) d`)
    await db.execute(sql`
      insert into users (email, name, department_id)
      select 'p' || g || '@bench.test', '员工 ' || g, (select id from departments order by path offset (g % 20) limit 1)
      from generate_series(1, ${PEOPLE}) g`)
    const [hr] = parseRows(z.object({ id: column.text }), await db.execute(sql`insert into users (email, name) values ('hr@bench.test', 'HR') returning id`))
    await db.execute(sql`insert into user_roles (user_id, role) values (${hr.id}, 'hr_admin')`)
    await db.execute(sql`
      insert into sessions (title, starts_at, ends_at, created_by)
      select 'Session ' || s, now() - make_interval(days => s), now() - make_interval(days => s) + interval '2 hours', ${hr.id}
      from generate_series(1, ${SESSIONS}) s`)
    await db.execute(sql`
      insert into invitations (session_id, user_id, status)
      select s.id, u.id, 'accepted' from sessions s join users u on u.email like 'p%@bench.test'
      where abs(hashtext(s.id::text || u.id::text)) % 3 = 0`)
    await db.execute(sql`
      insert into attendance (session_id, user_id, status, method)
      select session_id, user_id, (array['present', 'late', 'absent', 'excused'])[1 + abs(hashtext(user_id::text || session_id::text)) % 4]::attendance_status, 'trainer'
      from invitations where abs(hashtext(session_id::text || user_id::text || 'x')) % 10 < 8`)
    const [counts] = parseRows(
      z.object({ invitations: column.number, attendance: column.number }),
      await db.execute(sql`select (select count(*)::int from invitations) as invitations, (select count(*)::int from attendance) as attendance`),
    )
    const { createSession } = await import('../../app/modules/auth/session.server')
    const cookie = (await createSession(hr.id, { ip: '127.0.0.1', userAgent: 'bench' })).split(';')[0]
    return { cookie, ...counts }
  } finally {
    await connection.close()
  }
}

const HEALTH_TIMEOUT_MS = 10_000

async function timed(url: string, cookie: string | undefined, into: number[], errors: string[]) {
  const t0 = performance.now()
  const health = url.endsWith('/healthz')
  try {
    const response = await fetch(url, { headers: cookie ? { Cookie: cookie } : {}, signal: health ? AbortSignal.timeout(HEALTH_TIMEOUT_MS) : undefined })
    await response.arrayBuffer()
    into.push(performance.now() - t0)
    if (!response.ok) errors.push(`${new URL(url).pathname}: HTTP ${response.status}`)
  } catch (error) {
    // A health check that timed out counts at the limit (its p99 is then "> 10 s").
    if (health) into.push(Infinity)
    errors.push(`${new URL(url).pathname}: ${(error as Error).name === 'TimeoutError' ? 'no answer within 10 s' : (error as Error).message}`)
  }
}

/** /healthz every 50 ms until `until` says stop. */
async function healthLoop(into: number[], errors: string[], running: () => boolean) {
  while (running()) {
    await timed(`${BASE}/healthz`, undefined, into, errors)
    await sleep(50)
  }
}

async function measure(cookie: string) {
  const errors: string[] = []
  // Warm up: the first report compiles nothing but fills caches and connections.
  await timed(`${BASE}/reports/attendance?view=person`, cookie, [], errors)
  await timed(`${BASE}/reports/attendance/export?view=person&format=xlsx`, cookie, [], errors)

  const alone: number[] = []
  let until = performance.now() + 8000
  await healthLoop(alone, errors, () => performance.now() < until)

  const during: number[] = []
  const reports: number[] = []
  until = performance.now() + SECONDS * 1000
  const running = () => performance.now() < until
  const health = healthLoop(during, errors, running)
  let n = 0
  const worker = async () => {
    while (running()) {
      const url = n++ % 2 === 0 ? `${BASE}/reports/attendance?view=person` : `${BASE}/reports/attendance/export?view=person&format=xlsx`
      await timed(url, cookie, reports, errors)
    }
  }
  await Promise.all([health, ...Array.from({ length: CONCURRENCY }, worker)])
  return { alone: stats(alone), during: stats(during), reports: stats(reports), errors }
}

async function main() {
  if (!args['no-build'] || !existsSync('build/server/index.js')) {
    console.log('Building the production bundle…')
    const build = spawnSync('npx', ['remix', 'vite:build'], { stdio: ['ignore', 'ignore', 'inherit'] })
    if (build.status !== 0) throw new Error('build failed')
  }
  const results: { config: Config; r: Awaited<ReturnType<typeof measure>>; data: string }[] = []
  for (const config of ALL.filter((c) => ONLY.includes(c))) {
    let server: ChildProcess | undefined
    let dropDatabase: (() => Promise<void>) | undefined
    const dir = mkdtempSync(path.join(tmpdir(), 'genjin-bench-pglite-'))
    try {
      let env: Record<string, string>
      let prepared: Awaited<ReturnType<typeof prepare>>
      if (config === 'postgres') {
        const name = `genjin_bench_reports_${randomBytes(4).toString('hex')}`
        await admin((c) => c.unsafe(`create database ${name}`))
        dropDatabase = () => admin((c) => c.unsafe(`drop database if exists ${name} with (force)`)).then(() => undefined)
        const url = databaseUrl(ADMIN_URL, name)
        prepared = await prepare({ databaseUrl: url })
        env = { DATABASE_URL: url }
      } else {
        // One process at a time on a PGlite directory: filled here, closed, then served.
        prepared = await prepare({ pgliteDir: dir })
        env = { PGLITE_DIR: dir, PGLITE_THREAD: config === 'pglite-thread' ? 'true' : 'false' }
      }
      const data = `${PEOPLE} people, ${SESSIONS} sessions, ${prepared.invitations} invitations, ${prepared.attendance} attendance rows`
      server = await startServer(BASE, env)
      console.log(`${config}: server up (${data}); measuring…`)
      results.push({ config, r: await measure(prepared.cookie), data })
    } finally {
      await stopServer(server)
      await dropDatabase?.()
      rmSync(dir, { recursive: true, force: true })
    }
  }

  console.log('')
  console.log(`/healthz alone, then during ${SECONDS} s of ${CONCURRENCY} concurrent attendance-report requests (page + .xlsx export), production build`)
  console.log(`  data: ${results[0]?.data}`)
  console.log(
    `  machine: ${availableParallelism()} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} (1/5/15 min)`,
  )
  console.log(
    `  ${'configuration'.padEnd(16)}${'healthz alone p50/p99'.padStart(24)}${'during burst p50/p99'.padStart(24)}   ratio p99   reports p50/p99 (n)   healthz > 10 s`,
  )
  let failed = false
  for (const { config, r } of results) {
    console.log(
      `  ${config.padEnd(16)}${ms(r.alone.p50)} ${ms(r.alone.p99)}   ${ms(r.during.p50)} ${ms(r.during.p99)}   ${Number.isFinite(r.during.p99) ? `${(r.during.p99 / r.alone.p99).toFixed(1).padStart(7)}×` : '      ∞'}   ${ms(r.reports.p50)} ${ms(r.reports.p99)} (${r.reports.n})   ${r.during.timeouts} of ${r.during.n}`,
    )
    if (r.errors.length) {
      failed = true
      console.log(`    ${r.errors.length} failed requests, e.g. ${[...new Set(r.errors)].slice(0, 3).join('; ')}`)
    }
  }
  process.exit(failed ? 1 : 0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
