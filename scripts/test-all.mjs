#!/usr/bin/env node
// `npm test`: the whole suite — type check, content check, unit + integration tests (PGlite),
// lint, format and dependency rules, then the end-to-end tests in Chromium against a production build.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

// The format check is enforced once the whole tree has been formatted (`npx prettier --write .`
// after the branches are merged); until then it would fail on every unformatted file.
const FORMAT_ENFORCED = true

const steps = [
  ['type check', 'npx', ['tsc', '--noEmit']],
  ...(existsSync('scripts/content-check.ts') ? [['content check', 'npx', ['tsx', 'scripts/content-check.ts']]] : []),
  ['lint', 'npx', ['eslint', '.']],
  ...(FORMAT_ENFORCED ? [['format check', 'npx', ['prettier', '--check', '.']]] : []),
  ['dependency rules', 'node', ['scripts/check-deps.mjs']],
  // Each rule above (ESLint's form protocol and max-lines, Prettier, the dependency rules) fails on a broken fixture.
  ['rules fail on broken fixtures', 'node', ['tests/lint/check-rules.mjs']],
  ['unit and integration tests', 'npx', ['vitest', 'run']],
  ['end-to-end tests', 'node', ['scripts/e2e.mjs']],
]
for (const [name, cmd, args] of steps) {
  console.log(`\n▶ ${name}`)
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env })
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed`)
    process.exit(result.status ?? 1)
  }
}
console.log('\n✓ all tests passed')
