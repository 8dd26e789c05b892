import { defineConfig, devices } from '@playwright/test'
import { chromiumArgs, chromiumExecutable } from './chromium'

const port = Number(process.env.E2E_PORT ?? 3300)

/** End-to-end tests against a production build, in Debian's Chromium (never a downloaded browser). */
export default defineConfig({
  testDir: '.',
  outputDir: '../../test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: chromiumExecutable, args: chromiumArgs },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: {
    command: `node scripts/e2e-server.mjs`,
    cwd: '../..',
    url: `http://localhost:${port}/healthz`,
    reuseExistingServer: false,
    // Migrating and seeding the demo company (through the domain modules) takes minutes on a loaded machine.
    timeout: 600_000,
    env: { E2E_PORT: String(port) },
    stdout: 'pipe',
    stderr: 'pipe',
  },
})
