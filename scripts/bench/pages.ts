/**
 * Fast pages (issue 11): how many requests a second the production build serves for the pages
 * people open most, against the bare sign-in page, on PGlite and on PostgreSQL, in one run; and
 * how much compressed JavaScript the lesson page loads. A measurement, not a test.
 *
 * For each database it prepares the demo company the way `npm start` does (scripts/migrate.ts
 * --seed), starts one server process (scripts/serve.ts, NODE_ENV=production), signs in the demo
 * manager, then for SECONDS each keeps CONCURRENCY requests in flight (fetch, keep-alive) on:
 *
 *   sign-in   GET /login, nobody signed in (the baseline: no database work beyond the session)
 *   lesson    GET /learn/<course>/<first lesson module>, as the demo manager
 *   course    GET /learn/<course>, as the demo manager
 *   team      GET /team, as the demo manager
 *
 * and prints req/s and the ratio to sign-in (goal ≥ 0.5×), with the server process's CPU time per
 * request (app and PGlite; not PostgreSQL's processes), which a busy machine hardly changes. The
 * JavaScript weight is the sum of the gzip-compressed sizes of the lesson page's modulepreload and module-script assets (build/client),
 * printed beside the messages the page fetches (JSON, one language).
 *
 * Usage: npm run bench:pages -- [--no-build] [--only pglite,postgres] [--seconds 5] [--concurrency 8]
 *          [--admin-url postgres://postgres@127.0.0.1:5432/postgres] [--port 3900] [--db-prefix genjin_bench_pages]
 */
import { spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { productionEnv, startServer, stopServer } from './app-server'
import { benchArgs, defaultAdminUrl } from './args'
import { asAdmin, databaseUrl } from './database'

const ALL = ['pglite', 'postgres'] as const
const args = benchArgs(
  {
    seconds: '5',
    concurrency: '8',
    'admin-url': defaultAdminUrl,
    only: ALL.join(','),
    'db-prefix': 'genjin_bench_pages',
    port: String(3900 + Math.floor(Math.random() * 90)),
  },
  ['no-build'],
)
const SECONDS = Number(args.seconds)
const CONCURRENCY = Number(args.concurrency)
const ADMIN_URL = args['admin-url']
type Config = (typeof ALL)[number]
const ONLY = args.only.split(',') as Config[]
// The PostgreSQL database made (and dropped) for the run is named <prefix>_<random>.
const DB_PREFIX = args['db-prefix']
if (!/^[a-z_][a-z0-9_]*$/.test(DB_PREFIX)) throw new Error('--db-prefix: letters, digits and _ only')
const PORT = Number(args.port)
const BASE = `http://127.0.0.1:${PORT}`
const BASE_ENV = productionEnv(PORT)
// The measured processes get only the configuration given here: no mail server, no other database.
for (const name of ['SMTP_URL', 'DATABASE_URL', 'PGLITE_DIR']) delete process.env[name]
// The cookie is signed here (prepare) with the secret the server uses.
Object.assign(process.env, BASE_ENV)

function run(command: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status})`)
}

/** The demo company as `npm start` makes it, then a signed-in demo manager and the pages to open. */
async function prepare(env: Record<string, string>) {
  run(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts', '--seed'], env)
  const { connect, useConnection } = await import('../../db/client.server')
  const { sql } = await import('drizzle-orm')
  const { z } = await import('zod')
  const { column, parseRows } = await import('../../db/rows')
  const connection = connect({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR, max: 2 })
  try {
    useConnection(connection)
    const { db } = connection
    const [manager] = parseRows(z.object({ id: column.text }), await db.execute(sql`select id from users where email = 'manager@example.com'`))
    const lessons = parseRows(
      z.object({ course: column.text, module: column.text }),
      await db.execute(sql`select c.content_id as course, m.content_id as module from course_modules m join courses c on c.id = m.course_id
        where m.kind = 'lesson' and m.retired_at is null and c.content_id = 'managers-follow-up' order by m.position`),
    )
    const { createSession } = await import('../../app/modules/auth/session.server')
    const cookie = (await createSession(manager.id, { ip: '127.0.0.1', userAgent: 'bench' })).split(';')[0]
    return { cookie, lessons: lessons.map((l) => `/learn/${l.course}/${l.module}`), course: '/learn/managers-follow-up' }
  } finally {
    await connection.close()
  }
}

/**
 * The server process's CPU seconds so far (all its threads, PGlite's worker included), from
 * /proc: per request, a figure that hardly depends on what else the machine is doing, unlike req/s.
 * PostgreSQL's own processes are not in it. Null where /proc is missing.
 */
function cpuSeconds(pid: number | undefined) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return null
  }
}

/** Requests per second with CONCURRENCY requests in flight for SECONDS (after a short warm-up), and the server's CPU ms per request. */
async function throughput(url: string, cookie?: string, pid?: number) {
  const headers: Record<string, string> = { 'Accept-Encoding': 'gzip', ...(cookie ? { Cookie: cookie } : {}) }
  const first = await fetch(BASE + url, { headers, redirect: 'manual' })
  await first.arrayBuffer()
  if (first.status !== 200) throw new Error(`GET ${url}: HTTP ${first.status}`)
  const loop = async (until: number, count: { n: number; errors: number }) => {
    while (performance.now() < until) {
      const response = await fetch(BASE + url, { headers, redirect: 'manual' })
      await response.arrayBuffer()
      if (response.status === 200) count.n++
      else count.errors++
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, () => loop(performance.now() + 1000, { n: 0, errors: 0 })))
  const count = { n: 0, errors: 0 }
  const cpu0 = cpuSeconds(pid)
  const t0 = performance.now()
  await Promise.all(Array.from({ length: CONCURRENCY }, () => loop(t0 + SECONDS * 1000, count)))
  const elapsed = (performance.now() - t0) / 1000
  const cpu1 = cpuSeconds(pid)
  if (count.errors) console.error(`  ${url}: ${count.errors} responses other than 200`)
  return { rate: count.n / elapsed, cpuMs: cpu0 === null || cpu1 === null || !count.n ? null : ((cpu1 - cpu0) * 1000) / count.n }
}

/** The gzip size of the JavaScript the page loads (its modulepreload links and module scripts). */
async function javascriptWeight(url: string, cookie: string) {
  const html = await (await fetch(BASE + url, { headers: { Cookie: cookie } })).text()
  const assets = new Set<string>()
  for (const [, href] of html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)) assets.add(href)
  for (const [, src] of html.matchAll(/(?:import\(|from |src=)["'](\/assets\/[^"']+\.js)["']/g)) assets.add(src)
  let total = 0
  for (const asset of assets) total += gzipSync(readFileSync(path.join('build/client', asset))).length
  const messages = /<link rel="preload" href="([^"]+)" as="fetch"/.exec(html)?.[1]?.replace(/&amp;/g, '&')
  const json = messages ? gzipSync(Buffer.from(await (await fetch(BASE + messages)).arrayBuffer())).length : 0
  return { files: assets.size, kb: total / 1024, messagesKb: json / 1024 }
}

const kb = (v: number) => `${v.toFixed(1)} KB`

async function measure(config: Config) {
  let env: Record<string, string> = { ...BASE_ENV }
  let cleanup = async () => {}
  if (config === 'pglite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'genjin-bench-pages-'))
    env = { ...env, PGLITE_DIR: path.join(dir, 'data'), UPLOADS_DIR: path.join(dir, 'uploads') }
    cleanup = async () => rmSync(dir, { recursive: true, force: true })
  } else {
    const name = `${DB_PREFIX}_${randomBytes(4).toString('hex')}`
    await asAdmin(ADMIN_URL, (sql) => sql.unsafe(`create database ${name}`))
    const dir = mkdtempSync(path.join(tmpdir(), 'genjin-bench-pages-'))
    env = { ...env, DATABASE_URL: databaseUrl(ADMIN_URL, name), UPLOADS_DIR: dir }
    cleanup = async () => {
      rmSync(dir, { recursive: true, force: true })
      await asAdmin(ADMIN_URL, (sql) => sql.unsafe(`drop database if exists ${name} with (force)`))
    }
  }
  let server: ChildProcess | undefined
  try {
    const { cookie, lessons, course } = await prepare(env)
    server = await startServer(BASE, env)
    // The first lesson the manager can open (a module not yet reached redirects to the course).
    let lesson = lessons[0]
    for (const url of lessons) {
      const response = await fetch(BASE + url, { headers: { Cookie: cookie }, redirect: 'manual' })
      await response.arrayBuffer()
      if (response.status === 200) {
        lesson = url
        break
      }
    }
    const rates = {
      'sign-in': await throughput('/login', undefined, server.pid),
      lesson: await throughput(lesson, cookie, server.pid),
      course: await throughput(course, cookie, server.pid),
      team: await throughput('/team', cookie, server.pid),
    }
    return { rates, weight: await javascriptWeight(lesson, cookie), lesson }
  } finally {
    await stopServer(server)
    await cleanup()
  }
}

if (!args['no-build']) run('npx', ['remix', 'vite:build'], {})
console.log(`Pages on the production build: ${CONCURRENCY} connections, ${SECONDS} s per page, one server process.`)
for (const config of ONLY) {
  const { rates, weight, lesson } = await measure(config)
  const base = rates['sign-in'].rate
  console.log(`\n${config}`)
  for (const [page, { rate, cpuMs }] of Object.entries(rates)) {
    const ratio = rate / base
    const cpu = cpuMs === null ? '' : `  ${cpuMs.toFixed(1).padStart(5)} ms CPU/request`
    console.log(
      `  ${page.padEnd(8)} ${rate.toFixed(1).padStart(7)} req/s  ${ratio.toFixed(2)}× sign-in${cpu}${page !== 'sign-in' && ratio < 0.5 ? '  (below the 0.5× goal)' : ''}`,
    )
  }
  console.log(`  JavaScript on ${lesson}: ${kb(weight.kb)} gzip in ${weight.files} files (goal ≤ 150 KB); its messages: ${kb(weight.messagesKb)} gzip JSON`)
}
process.exit(0)
