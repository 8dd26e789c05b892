#!/usr/bin/env node
// `npm run test:e2e`: production build (skipped when it was made from these sources), then Playwright in Debian's Chromium.
import { spawnSync } from 'node:child_process'
import { buildIfChanged } from './build-stamp.mjs'
import { ensureChromium } from './chromium.mjs'

process.env.CHROMIUM_PATH = ensureChromium()
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
if (!process.argv.includes('--no-build') && !buildIfChanged()) process.exit(1)
run('npx', ['playwright', 'test', '--config', 'tests/e2e/playwright.config.ts', ...process.argv.slice(2).filter((a) => a !== '--no-build')])
