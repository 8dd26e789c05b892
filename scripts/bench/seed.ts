/**
 * How long the demo seed takes (issue 11: "the demo must still start in seconds"). Runs what a
 * fresh `npm start` does — migrate, import content, videos and cases, seed the demo — on a fresh
 * PGlite directory (or a fresh PostgreSQL database with --postgres), and prints each demo step's
 * time. With --base <git ref> it also runs the same measurement on that commit (a temporary git
 * worktree sharing node_modules) and prints the ratio base / now.
 *
 * Usage: npx tsx scripts/bench/seed.ts [--base <ref>] [--postgres postgres://postgres@127.0.0.1:5432/postgres]
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { benchArgs } from './args'
import { asAdmin, databaseUrl } from './database'

const args = benchArgs({ base: undefined, postgres: undefined }, ['once'])

/** One measurement in the tree at `root` (this process's cwd): milliseconds per step and in all. */
async function measureHere(postgresUrl?: string) {
  const root = process.cwd()
  const load = (p: string) => import(pathToFileURL(path.join(root, p)).href)
  process.env.UPLOADS_DIR ??= mkdtempSync(path.join(tmpdir(), 'genjin-bench-uploads-'))
  const { connect, useConnection } = await load('db/client.server.ts')
  let url: string | undefined
  let drop = async () => {}
  if (postgresUrl) {
    const name = `genjin_seed_bench_${process.pid}`
    await asAdmin(postgresUrl, (sql) => sql.unsafe(`create database ${name}`))
    url = databaseUrl(postgresUrl, name)
    drop = async () => {
      await asAdmin(postgresUrl, (sql) => sql.unsafe(`drop database if exists ${name} with (force)`))
    }
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'genjin-bench-pglite-'))
  const connection = connect(url ? { databaseUrl: url, max: 1 } : { pgliteDir: dir })
  // Wall time and this process's CPU time (PGlite runs in-process; on a shared machine the CPU time is the steadier figure).
  const times: Record<string, number> = {}
  const cpu = () => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  const started = performance.now()
  const startedCpu = cpu()
  try {
    let t = performance.now()
    let c = cpu()
    const lap = (name: string) => {
      times[name] = performance.now() - t
      times[`${name} (cpu)`] = cpu() - c
      t = performance.now()
      c = cpu()
    }
    await connection.migrate()
    lap('migrate')
    useConnection(connection)
    const { importContent } = await load('app/modules/courses/course-import.server.ts')
    const { importSampleVideos } = await load('app/modules/videos/content.server.ts')
    const { importCases } = await load('app/modules/assignments/case-content.server.ts')
    await connection.db.transaction((tx: unknown) => importContent(tx, { publishNew: true }))
    lap('import courses')
    await importSampleVideos(connection.db)
    lap('import videos')
    await connection.db.transaction((tx: unknown) => importCases(tx))
    lap('import cases')
    const { DEMO_STEPS } = await load('db/seed/index.ts')
    for (const step of DEMO_STEPS as { name: string; run: (db: unknown) => Promise<unknown> }[]) {
      await step.run(connection.db)
      lap(step.name)
    }
  } finally {
    await connection.close()
    await drop()
    rmSync(dir, { recursive: true, force: true })
  }
  times.total = performance.now() - started
  times['total (cpu)'] = cpu() - startedCpu
  return times
}

function runIn(root: string): Record<string, number> {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'seed.ts'), '--once', ...(args.postgres ? ['--postgres', args.postgres] : [])],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'test' } },
  )
  const line = child.stdout.split('\n').find((l) => l.startsWith('{'))
  if (!line) throw new Error(`seed bench failed in ${root}:\n${child.stdout}`)
  return JSON.parse(line)
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

async function main() {
  if (args.once) {
    console.log(JSON.stringify(await measureHere(args.postgres)))
    process.exit(0)
  }
  const now = runIn(process.cwd())
  const base = args.base
  let before: Record<string, number> | undefined
  if (base) {
    const dir = mkdtempSync(path.join(tmpdir(), 'genjin-bench-base-'))
    execFileSync('git', ['worktree', 'add', '--detach', dir, base], { stdio: 'ignore' })
    try {
      symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'))
      before = runIn(dir)
    } finally {
      execFileSync('git', ['worktree', 'remove', '--force', dir], { stdio: 'ignore' })
    }
  }
  console.log(`Demo seed on ${args.postgres ? 'PostgreSQL' : 'PGlite (on disk)'}:`)
  for (const [step, ms] of Object.entries(now)) {
    const was = before?.[step]
    console.log(`  ${step.padEnd(22)} ${seconds(ms).padStart(8)}${was !== undefined ? `   (${base}: ${seconds(was)}, ${(was / ms).toFixed(1)}× faster)` : ''}`)
  }
  if (before) {
    console.log(`Ratio ${base} / now, wall time: ${(before.total / now.total).toFixed(2)}`)
    console.log(`Ratio ${base} / now, CPU time:  ${(before['total (cpu)'] / now['total (cpu)']).toFixed(2)}`)
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
