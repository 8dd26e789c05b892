/**
 * A 1 GB role-play recording through the resumable upload path (tus, POST /uploads/tus then
 * PATCH), on loopback, against the production build and PostgreSQL. A measurement, not a test:
 * it prints the throughput and the app server's peak resident memory for a small and a large
 * upload in the same run, and the ratio of their memory growth. Memory must not grow with the
 * file's size: the server streams each PATCH body to disk (docs/decisions/046).
 *
 * The server's memory is read from /proc/<pid>/status: VmRSS sampled every 20 ms, and VmHWM (the
 * kernel's own peak) reset through /proc/<pid>/clear_refs before each upload.
 *
 * Usage: npm run bench:upload [-- --sizes 100,1024 --chunk-mb 0 --admin-url postgres://postgres@127.0.0.1:5432/postgres --no-build]
 *   --sizes     upload sizes in MB, measured in this order (default 100,1024)
 *   --chunk-mb  bytes per PATCH in MB; 0 (default) sends each upload as one PATCH, the hardest
 *               case for a server that buffers; 2 is what the browser sends
 * Creates the database genjin_bench_<timestamp> and a temporary UPLOADS_DIR, and removes both at
 * the end. Exits non-zero when an upload fails or the server did not keep every byte.
 */
import { spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import type postgres from 'postgres'
import { productionEnv, startServer, stopServer } from './app-server'
import { benchArgs, defaultAdminUrl } from './args'
import { asAdmin, databaseUrl, runDatabaseName } from './database'

const args = benchArgs({ sizes: '100,1024', 'chunk-mb': '0', 'admin-url': defaultAdminUrl, port: String(3700 + Math.floor(Math.random() * 200)) }, ['no-build'])
const MB = 1024 * 1024
const SIZES = args.sizes
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => n > 0)
const CHUNK = Number(args['chunk-mb']) * MB
const ADMIN_URL = args['admin-url']
const PORT = Number(args.port)
const BASE = `http://127.0.0.1:${PORT}`
const UPLOADS_DIR = mkdtempSync(path.join(tmpdir(), 'genjin-bench-uploads-'))

const dbName = runDatabaseName()
const dbUrl = databaseUrl(ADMIN_URL, dbName)

// The app modules read their configuration once; set it before importing them.
Object.assign(process.env, { ...productionEnv(PORT), DATABASE_URL: dbUrl, UPLOADS_DIR })
delete process.env.SMTP_URL
for (const key of ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']) delete process.env[key]

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const mib = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`

const admin = <T>(run: (sql: postgres.Sql) => Promise<T>) => asAdmin(ADMIN_URL, run)

/** VmRSS and VmHWM of a process, in bytes. */
function memory(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

/** Resets the kernel's peak-RSS mark (VmHWM) of the process; false where the kernel refuses. */
function resetPeak(pid: number) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

// One MB of random bytes, sent again and again: generating is not what we measure.
const BLOCK = randomBytes(MB)

function generated(bytes: number) {
  let left = bytes
  return new Readable({
    read() {
      if (left <= 0) return this.push(null)
      const n = Math.min(left, BLOCK.length)
      left -= n
      this.push(n === BLOCK.length ? BLOCK : BLOCK.subarray(0, n))
    },
  })
}

function request(method: string, url: string, headers: Record<string, string>, body?: Readable) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    if (body) body.pipe(req)
    else req.end()
  })
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64')

/** One upload as tus-js-client sends it: create, then PATCH from the offset until done. */
async function upload(cookie: string, bytes: number) {
  const common = { Cookie: cookie, 'Tus-Resumable': '1.0.0' }
  const created = await request('POST', `${BASE}/uploads/tus`, {
    ...common,
    'Upload-Length': String(bytes),
    'Upload-Metadata': `purpose ${b64('roleplay-video')},filename ${b64(`bench-${bytes}.mp4`)},filetype ${b64('video/mp4')}`,
  })
  if (created.status !== 201 || !created.headers.location) throw new Error(`create: HTTP ${created.status} ${created.text}`)
  const url = new URL(created.headers.location, BASE).toString()
  const id = url.split('/').pop()!
  let offset = 0
  while (offset < bytes) {
    const length = CHUNK > 0 ? Math.min(CHUNK, bytes - offset) : bytes - offset
    const res = await request(
      'PATCH',
      url,
      { ...common, 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': String(offset), 'Content-Length': String(length) },
      generated(length),
    )
    if (res.status !== 204) throw new Error(`PATCH at ${offset}: HTTP ${res.status} ${res.text}`)
    offset = Number(res.headers['upload-offset'])
  }
  const head = await request('HEAD', url, common)
  return { id, offset: Number(head.headers['upload-offset']) }
}

async function main() {
  if (process.platform !== 'linux') throw new Error('this benchmark reads /proc: run it on Linux')
  if (!args['no-build'] || !existsSync('build/server/index.js')) {
    console.log('Building the production bundle…')
    const build = spawnSync('npx', ['remix', 'vite:build'], { stdio: ['ignore', 'ignore', 'inherit'] })
    if (build.status !== 0) throw new Error('build failed')
  }

  await admin((sql) => sql.unsafe(`create database ${dbName}`))
  console.log(`Database ${dbName} created; uploads staged in ${UPLOADS_DIR}.`)
  let server: ChildProcess | undefined
  let failed = false
  const { connect, useConnection } = await import('../../db/client.server')
  const connection = connect({ databaseUrl: dbUrl, max: 2 })
  try {
    await connection.migrate()
    useConnection(connection)
    const schema = await import('../../db/schema')
    const { createSession } = await import('../../app/modules/auth/session.server')
    const [member] = await connection.db.insert(schema.users).values({ name: 'Bench Member', email: 'bench.member@example.test' }).returning()
    await connection.db.insert(schema.userRoles).values({ userId: member.id, role: 'employee' })
    const cookie = (await createSession(member.id, { ip: '127.0.0.1', userAgent: 'bench' })).split(';')[0]

    // A direct child (node --import tsx, scripts/bench/app-server.ts), so its pid is the process to measure.
    server = await startServer(BASE, {})
    const pid = server.pid!
    console.log(`App server (production build) on ${BASE}, pid ${pid}.`)
    // Warm up: the first upload loads the tus server and opens its directory.
    await upload(cookie, 8 * MB)
    await sleep(1000)

    const results: { mb: number; seconds: number; baseline: number; peak: number; kernelPeak: boolean }[] = []
    for (const mb of SIZES) {
      const bytes = mb * MB
      const baseline = memory(pid).rss
      const kernelPeak = resetPeak(pid)
      let sampled = baseline
      const sampler = setInterval(() => {
        sampled = Math.max(sampled, memory(pid).rss)
      }, 20)
      const t0 = performance.now()
      const { id, offset } = await upload(cookie, bytes)
      const seconds = (performance.now() - t0) / 1000
      clearInterval(sampler)
      const end = memory(pid)
      const peak = Math.max(sampled, end.rss, kernelPeak ? end.hwm : 0)
      const onDisk = statSync(path.join(UPLOADS_DIR, 'tus', id)).size
      if (offset !== bytes || onDisk !== bytes) {
        failed = true
        console.log(`  ${mb} MB: the server kept ${onDisk} bytes (offset ${offset}), expected ${bytes}`)
      }
      // The finished upload would be claimed by its domain; here its staging file is simply removed.
      rmSync(path.join(UPLOADS_DIR, 'tus', id), { force: true })
      results.push({ mb, seconds, baseline, peak, kernelPeak })
      await sleep(1000)
    }

    console.log('')
    console.log(`Resumable upload (tus) on loopback, production build, ${CHUNK ? `${CHUNK / MB} MB per PATCH` : 'one PATCH per upload'}`)
    for (const r of results) {
      console.log(
        `  ${String(r.mb).padStart(5)} MB  ${r.seconds.toFixed(1).padStart(6)} s  ${((r.mb / r.seconds) | 0).toString().padStart(4)} MB/s  ` +
          `server RSS before ${mib(r.baseline)}, peak ${mib(r.peak)}, growth ${mib(r.peak - r.baseline)}${r.kernelPeak ? '' : ' (sampled only)'}`,
      )
    }
    if (results.length >= 2) {
      const small = results[0]
      const large = results[results.length - 1]
      const growth = (r: (typeof results)[number]) => Math.max(r.peak - r.baseline, 1)
      console.log(
        `  file size ×${(large.mb / small.mb).toFixed(1)}  →  peak-RSS growth ×${(growth(large) / growth(small)).toFixed(2)}  ` +
          `(peak ${mib(large.peak)} vs ${mib(small.peak)}: ${large.peak - small.peak >= 0 ? '+' : ''}${mib(large.peak - small.peak)})`,
      )
    }
    console.log(
      `  machine: ${availableParallelism()} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} (1/5/15 min)`,
    )
  } catch (error) {
    failed = true
    console.error(error)
  } finally {
    await stopServer(server)
    await connection.close()
    await sleep(500)
    await admin((sql) => sql.unsafe(`drop database if exists ${dbName} with (force)`)).catch(() => {})
    rmSync(UPLOADS_DIR, { recursive: true, force: true })
  }
  process.exit(failed ? 1 : 0)
}

void main()
