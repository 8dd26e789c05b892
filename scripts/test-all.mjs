#!/usr/bin/env node
// `npm test`: the whole suite — type check, content check, lint, format and dependency rules (side
// by side: each is one single-threaded process that only reads the tree), then the unit +
// integration tests (PGlite), then the end-to-end tests in Chromium against a production build.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'

// The format check is enforced once the whole tree has been formatted (`npx prettier --write .`
// after the branches are merged); until then it would fail on every unformatted file.
const FORMAT_ENFORCED = true

/** Read-only checks, slowest first: they run side by side, one per core. */
const checks = [
  ['type check', 'npx', ['tsc', '--noEmit']],
  ['lint', 'npx', ['eslint', '.']],
  ...(FORMAT_ENFORCED ? [['format check', 'npx', ['prettier', '--check', '.']]] : []),
  ['dependency rules', 'node', ['scripts/check-deps.mjs']],
  ...(existsSync('scripts/content-check.ts') ? [['content check', 'npx', ['tsx', 'scripts/content-check.ts']]] : []),
]
const steps = [
  // Each rule above (ESLint's form protocol and max-lines, Prettier, the dependency rules) fails on a
  // broken fixture. It writes those fixtures into app/, so it runs alone, after the checks above.
  ['rules fail on broken fixtures', 'node', ['tests/lint/check-rules.mjs']],
  ['unit and integration tests', 'npx', ['vitest', 'run']],
  ['end-to-end tests', 'node', ['scripts/e2e.mjs']],
]

/** Runs a check with its output held back, then prints that output in one piece under its name. */
function runCheck([name, cmd, args]) {
  const started = Date.now()
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] })
    const output = []
    child.stdout.on('data', (chunk) => output.push(chunk))
    child.stderr.on('data', (chunk) => output.push(chunk))
    child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)))
    child.on('close', (code) => {
      console.log(`\n▶ ${name} (${Math.round((Date.now() - started) / 1000)}s)`)
      process.stdout.write(Buffer.concat(output))
      resolve({ name, ok: code === 0, code })
    })
  })
}

const queue = [...checks]
const results = []
await Promise.all(
  Array.from({ length: Math.min(queue.length, Math.max(2, availableParallelism())) }, async () => {
    while (queue.length) results.push(await runCheck(queue.shift()))
  }),
)
const failed = results.filter((r) => !r.ok)
if (failed.length) {
  for (const r of failed) console.error(`\n✗ ${r.name} failed`)
  process.exit(failed[0].code ?? 1)
}

for (const [name, cmd, args] of steps) {
  console.log(`\n▶ ${name}`)
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env })
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed`)
    process.exit(result.status ?? 1)
  }
}
console.log('\n✓ all tests passed')
