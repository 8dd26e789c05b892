/**
 * A room of 500 people checking in within 30 seconds, against PostgreSQL and the production
 * build — the load LESSONS.md warns about. With `--instances 2`, two app servers share the one
 * PostgreSQL database and the requests alternate between them (a QR scan's confirmation page comes
 * from one, its POST goes to the other; /healthz is asked of both in turn) — issue 10 item 10:
 * `npm run bench:check-in -- --instances 2 --people 2000 --seconds 60`. A measurement, not a test: it prints p50/p99 of the
 * check-in requests and of GET /healthz measured in the same run (and their ratio), then checks
 * in SQL that exactly 500 attendance records exist for the session, nobody twice.
 *
 * Half the room types the short code (POST /check-in.data?index, as the page's JavaScript
 * does); the other half scans the QR code: GET /check-in/<token> (the confirmation page with its
 * grant), then POST the grant. Each person has their own signed-in cookie.
 *
 * Usage: npm run bench:check-in [-- --people 500 --seconds 30 --group 5 --instances 1 --sockets 64 --admin-url postgres://postgres@127.0.0.1:5432/postgres --no-build]
 * Creates the database genjin_bench_<timestamp>, and drops it at the end. Exits non-zero when a
 * check-in failed or the records do not add up.
 */
import { spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import http from 'node:http'
import { availableParallelism, loadavg } from 'node:os'
import postgres from 'postgres'
import { productionEnv, startServer, stopServer } from './app-server'
import { benchArgs, defaultAdminUrl } from './args'
import { asAdmin, databaseUrl, runDatabaseName } from './database'
import { latencies } from './stats'

const args = benchArgs(
  {
    people: '500',
    seconds: '30',
    group: '5',
    instances: '1',
    sockets: '64',
    'admin-url': defaultAdminUrl,
    port: String(3700 + Math.floor(Math.random() * 200)),
  },
  ['no-build'],
)
const PEOPLE = Number(args.people)
const SECONDS = Number(args.seconds)
const GROUP = Number(args.group)
const ADMIN_URL = args['admin-url']
const INSTANCES = Math.max(1, Number(args.instances))
const PORT = Number(args.port)
const BASES = Array.from({ length: INSTANCES }, (_, i) => `http://127.0.0.1:${PORT + i}`)

const dbName = runDatabaseName()
const dbUrl = databaseUrl(ADMIN_URL, dbName)

// The app modules read their configuration once; set it before importing them.
Object.assign(process.env, { ...productionEnv(PORT), DATABASE_URL: dbUrl })
delete process.env.SMTP_URL

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * The client side must not be the bottleneck: plain node:http over a keep-alive pool per
 * instance (at most SOCKETS connections, reused; requests beyond wait in the agent's queue, as
 * behind a browser's or a proxy's connection limit), instead of fetch opening a socket per
 * request in flight. The answer's body is read in full.
 */
const SOCKETS = Number(args.sockets)
const agent = new http.Agent({ keepAlive: true, maxSockets: SOCKETS, timeout: 4000 })
/** The health checks have their own connections, as a load balancer's would: they never queue behind check-ins on the client. */
const healthAgent = new http.Agent({ keepAlive: true, maxSockets: 2, timeout: 4000 })
type Answer = { ok: boolean; status: number; text: () => Promise<string> }
function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const via = url.endsWith('/healthz') ? healthAgent : agent
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent: via }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', reject)
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        const status = res.statusCode ?? 0
        resolve({ ok: status >= 200 && status < 300, status, text: async () => body })
      })
    })
    req.on('error', reject)
    // No answer within 30 s counts as failed (a phone would have given up).
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')))
    req.end(init.body)
  })
}

const stats = latencies

const ms = (v: number) => `${v.toFixed(1)} ms`

const admin = <T>(run: (sql: postgres.Sql) => Promise<T>) => asAdmin(ADMIN_URL, run)

async function main() {
  if (!args['no-build'] || !existsSync('build/server/index.js')) {
    console.log('Building the production bundle…')
    const build = spawnSync('npx', ['remix', 'vite:build'], { stdio: ['ignore', 'ignore', 'inherit'] })
    if (build.status !== 0) throw new Error('build failed')
  }

  await admin((sql) => sql.unsafe(`create database ${dbName}`))
  console.log(`Database ${dbName} created.`)
  let servers: ChildProcess[] = []
  let failed = false
  const { connect, useConnection } = await import('../../db/client.server')
  const connection = connect({ databaseUrl: dbUrl, max: 10 })
  try {
    await connection.migrate()
    useConnection(connection)
    const { db } = connection
    const schema = await import('../../db/schema')
    const { createSession: createAuthSession } = await import('../../app/modules/auth/session.server')
    const { checkInToken, intervalAt, shortCode } = await import('../../app/modules/attendance/check-in-token')

    // The room: a trainer, a session starting now, PEOPLE invited and accepted, each signed in.
    const [trainer] = await db.insert(schema.users).values({ name: 'Bench Trainer', email: 'bench.trainer@example.test' }).returning()
    await db.insert(schema.userRoles).values({ userId: trainer.id, role: 'trainer' })
    const start = new Date()
    const [session] = await db
      .insert(schema.sessions)
      .values({ title: 'Check-in burst', startsAt: start, endsAt: new Date(start.getTime() + 2 * 3600_000), place: 'Hall A', createdBy: trainer.id })
      .returning()
    await db.insert(schema.sessionTrainers).values({ sessionId: session.id, userId: trainer.id, role: 'trainer' })
    const people = await db
      .insert(schema.users)
      .values(Array.from({ length: PEOPLE }, (_, i) => ({ name: `参会者 ${i + 1}`, email: `bench-${i + 1}@example.test` })))
      .returning({ id: schema.users.id })
    await db.insert(schema.userRoles).values(people.map((p) => ({ userId: p.id, role: 'employee' as const })))
    await db.insert(schema.invitations).values(people.map((p) => ({ sessionId: session.id, userId: p.id, status: 'accepted' as const, invitedBy: trainer.id })))
    const cookies: string[] = []
    for (let i = 0; i < people.length; i += 50) {
      const batch = await Promise.all(people.slice(i, i + 50).map((p) => createAuthSession(p.id, { ip: '127.0.0.1', userAgent: 'bench' })))
      cookies.push(...batch.map((c) => c.split(';')[0]))
    }
    console.log(`Session "${session.title}" with ${PEOPLE} invited people, each signed in.`)

    servers = await Promise.all(BASES.map((base, i) => startServer(base, { PORT: String(PORT + i) })))
    console.log(`${INSTANCES === 1 ? 'App server' : `${INSTANCES} app servers`} (production build) on ${BASES.join(', ')}.`)
    // Warm up: the first requests compile nothing, but open database connections.
    for (const base of BASES) for (let i = 0; i < 5; i++) await (await request(`${base}/healthz`)).text()

    const checkIns: number[] = []
    const pages: number[] = []
    const health: number[] = []
    const errors: string[] = []
    let running = true

    async function timed(run: () => Promise<Answer>, into: number[], what: string) {
      const t0 = performance.now()
      try {
        const response = await run()
        const body = await response.text()
        into.push(performance.now() - t0)
        if (!response.ok) errors.push(`${what}: HTTP ${response.status}`)
        return body
      } catch (error) {
        errors.push(`${what}: ${(error as Error).message}`)
        return ''
      }
    }

    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
    const post = (base: string, path: string, cookie: string, fields: Record<string, string>) => () =>
      request(`${base}${path}`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form(fields),
      })

    // Person i talks to instance i mod INSTANCES; a QR scan confirms on the next instance.
    const answeredBy = BASES.map(() => 0)
    // People whose check-in was answered 200 with status "present": each must be in the table (none lost).
    const confirmed = new Set<number>()
    const confirms = (body: string) => body.includes('"present"')
    async function byCode(cookie: string, on: number, who: number) {
      const code = shortCode(session.id, intervalAt(Date.now()))
      answeredBy[on]++
      if (confirms(await timed(post(BASES[on], '/check-in.data?index', cookie, { code }), checkIns, 'code check-in'))) confirmed.add(who)
    }

    async function byQr(cookie: string, on: number, who: number) {
      const token = checkInToken(session.id, intervalAt(Date.now()))
      const html = await timed(() => request(`${BASES[on]}/check-in/${token}`, { headers: { Cookie: cookie } }), pages, 'QR page')
      const grant = /name="grant" value="([^"]+)"/.exec(html)?.[1]
      if (!grant) {
        errors.push('QR page: no grant in the confirmation form')
        return
      }
      const confirm = (on + 1) % INSTANCES
      answeredBy[confirm]++
      if (confirms(await timed(post(BASES[confirm], `/check-in/${token}.data`, cookie, { grant }), checkIns, 'QR check-in'))) confirmed.add(who)
    }

    // /healthz every 100 ms for as long as the burst lasts: the same servers (in turn), the same moment.
    const healthLoop = (async () => {
      for (let n = 0; running; n++) {
        await timed(() => request(`${BASES[n % INSTANCES]}/healthz`), health, 'healthz')
        await sleep(100)
      }
    })()

    // Groups of GROUP people scan together; the groups arrive evenly over SECONDS, with jitter.
    const groups = Math.ceil(PEOPLE / GROUP)
    const gap = (SECONDS * 1000) / groups
    const began = performance.now()
    const inFlight: Promise<void>[] = []
    for (let g = 0; g < groups; g++) {
      const due = began + g * gap + Math.random() * gap * 0.5
      const wait = due - performance.now()
      if (wait > 0) await sleep(wait)
      for (let i = g * GROUP; i < Math.min(PEOPLE, (g + 1) * GROUP); i++) {
        // Alternate the method every person and the instance every two, so both instances see both methods.
        const on = Math.floor(i / 2) % INSTANCES
        inFlight.push(i % 2 === 0 ? byCode(cookies[i], on, i) : byQr(cookies[i], on, i))
      }
    }
    await Promise.all(inFlight)
    const elapsed = (performance.now() - began) / 1000
    running = false
    await healthLoop

    const c = stats(checkIns)
    const p = stats(pages)
    const h = stats(health)
    console.log('')
    console.log(
      `Check-in burst: ${PEOPLE} people in ${elapsed.toFixed(1)} s, groups of ${GROUP}, PostgreSQL, production build, ${INSTANCES} app instance${INSTANCES === 1 ? '' : 's'}`,
    )
    console.log(`  throughput: ${(PEOPLE / elapsed).toFixed(1)} check-ins/s; check-in POSTs answered per instance: ${answeredBy.join(' / ')}`)
    console.log(`  check-in POST  n=${c.n}  p50 ${ms(c.p50)}  p99 ${ms(c.p99)}  max ${ms(c.max)}`)
    console.log(`  QR page GET    n=${p.n}  p50 ${ms(p.p50)}  p99 ${ms(p.p99)}  max ${ms(p.max)}`)
    console.log(`  GET /healthz   n=${h.n}  p50 ${ms(h.p50)}  p99 ${ms(h.p99)}  max ${ms(h.max)}`)
    // Other work on the machine shows in every number; the ratio to /healthz is the comparable figure.
    console.log(
      `  machine: ${availableParallelism()} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} (1/5/15 min)`,
    )
    console.log(`  ratio check-in / healthz: p50 ${(c.p50 / h.p50).toFixed(2)}×  p99 ${(c.p99 / h.p99).toFixed(2)}×`)
    if (errors.length) {
      failed = true
      console.log(`  ${errors.length} failed requests, e.g. ${[...new Set(errors)].slice(0, 5).join('; ')}`)
    }

    // Afterwards, in SQL: exactly PEOPLE records for the session, nobody twice, one change each.
    const verify = postgres(dbUrl, { max: 1, onnotice: () => {} })
    const [row] = await verify`
      select
        (select count(*)::int from attendance where session_id = ${session.id}) as records,
        (select count(distinct user_id)::int from attendance where session_id = ${session.id}) as people,
        (select count(*)::int from (select user_id from attendance where session_id = ${session.id} group by user_id having count(*) > 1) d) as twice,
        (select count(*)::int from attendance_changes where session_id = ${session.id}) as changes,
        (select count(*)::int from attendance where session_id = ${session.id} and method = 'code') as by_code,
        (select count(*)::int from attendance where session_id = ${session.id} and method = 'qr') as by_qr`
    const recorded = new Set((await verify<{ user_id: string }[]>`select user_id from attendance where session_id = ${session.id}`).map((r) => r.user_id))
    await verify.end()
    const lost = [...confirmed].filter((i) => !recorded.has(people[i].id)).length
    console.log(`  confirmed to the client: ${confirmed.size}; of those missing from the table (lost): ${lost}`)
    if (lost > 0) failed = true
    console.log(
      `  verified in SQL: ${row.records} attendance records, ${row.people} distinct people, ${row.twice} twice, ${row.changes} audit rows (${row.by_code} by code, ${row.by_qr} by QR)`,
    )
    if (row.records !== PEOPLE || row.people !== PEOPLE || row.twice !== 0 || row.changes !== PEOPLE) {
      failed = true
      console.log(`  FAILED: expected exactly ${PEOPLE} records, one per person`)
    } else {
      console.log(`  OK: exactly ${PEOPLE} records, none twice`)
    }
  } finally {
    await Promise.all(servers.map(stopServer))
    await connection.close()
    await sleep(500)
    await admin((sql) => sql.unsafe(`drop database if exists ${dbName} with (force)`))
    console.log(`Database ${dbName} dropped.`)
  }
  process.exit(failed ? 1 : 0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
