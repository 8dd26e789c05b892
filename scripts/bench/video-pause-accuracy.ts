/**
 * Measures how precisely the player stops at breakpoints: runs present mode in Chromium
 * (the same stop logic as the learner's player, without blocking), seeks 1.5 s before each
 * breakpoint of the sample videos, plays, and reads the measurements the page records.
 * Prints per breakpoint: how far past the annotated time the video was when pause() ran
 * (media time) and the wall-clock delay after the playhead crossed it. A measurement, not a test.
 *
 * Usage: npx tsx scripts/bench/video-pause-accuracy.ts [--runs 5] [--rate 1] [--url http://localhost:3000]
 * Without --url it starts the production build (`npm run build` first) on a fresh database.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { chromium } from '@playwright/test'
import { benchArgs } from './args'

const args = benchArgs({ runs: '5', rate: '1', url: '' })
const runs = Number(args.runs)
const rate = Number(args.rate)
let base = args.url
const VIDEOS = ['follow-up-negative', 'follow-up-positive']

type Stop = { id: string; annotated: number; overshootMs: number; wallDelayMs: number; reason: string }

async function startServer(): Promise<ChildProcess> {
  const port = 3460 + Math.floor(Math.random() * 100)
  base = `http://localhost:${port}`
  const child = spawn('node', ['scripts/e2e-server.mjs'], {
    env: { ...process.env, E2E_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  })
  for (let i = 0; i < 120; i++) {
    await new Promise((r) => setTimeout(r, 1000))
    if (
      await fetch(`${base}/healthz`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      return child
  }
  throw new Error('the server did not start')
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2
  return { min: sorted[0], median, max: sorted[sorted.length - 1] }
}
const fmt = (n: number) => n.toFixed(1).padStart(7)

async function main() {
  const server = base ? null : await startServer()
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  })
  try {
    const page = await browser.newPage({ locale: 'zh-CN' })
    await page.goto(`${base}/login`)
    await page.fill('input[name=email]', 'trainer@example.com')
    await page.fill('input[name=password]', 'genjin-demo-2026')
    await page.locator('form button[type=submit]').last().click()
    await page.waitForURL((u) => u.pathname !== '/login')
    console.log(`Pause accuracy, ${runs} run(s) per breakpoint at playback rate ${rate} (ms; overshoot = media time past the annotated time at pause())`)
    console.log(`${'breakpoint'.padEnd(20)} ${'annotated'.padStart(9)} | overshoot min / median / max | wall delay min / median / max`)
    const all: number[] = []
    for (const videoId of VIDEOS) {
      const stopsFor = async (id: string, time: number) => {
        const values: Stop[] = []
        for (let i = 0; i < runs; i++) {
          await page.evaluate(
            ({ t, r }) => {
              const v = (document.querySelector('mux-player') as unknown as { media: { nativeEl: HTMLVideoElement } }).media.nativeEl
              v.muted = true
              v.pause()
              v.playbackRate = r
              v.currentTime = Math.max(0, t - 1.5)
              return new Promise<void>((resolve) => v.addEventListener('seeked', () => void v.play().then(() => resolve()), { once: true }))
            },
            { t: time, r: rate },
          )
          await page
            .getByTestId('present-commentary')
            .and(page.locator(`[data-breakpoint="${id}"]`))
            .waitFor({ timeout: 20_000 })
          await page.waitForTimeout(250)
          const log = (await page.evaluate(() => window.__genjinStops ?? [])) as Stop[]
          const last = [...log].reverse().find((s) => s.id === id && s.reason === 'play')
          if (last) values.push(last)
        }
        return values
      }
      // Breakpoint ids and times from the editor's timeline markers.
      await page.goto(`${base}/videos/${videoId}/edit`)
      await page.getByTestId('breakpoint-editor').and(page.locator('[data-ready=true]')).waitFor({ timeout: 30_000 })
      const markers = await page
        .locator('[data-testid^="marker-"]')
        .evaluateAll((els) =>
          els.map((el) => ({ id: (el as HTMLElement).dataset.testid!.slice('marker-'.length), time: Number((el as HTMLElement).dataset.time) })),
        )
      await page.goto(`${base}/videos/${videoId}/present`)
      await page.getByTestId('present-stage').and(page.locator('[data-ready=true]')).waitFor({ timeout: 30_000 })
      for (const m of markers) {
        const values = await stopsFor(m.id, m.time)
        if (!values.length) continue
        const over = stats(values.map((v) => v.overshootMs))
        const wall = stats(values.map((v) => v.wallDelayMs))
        all.push(...values.map((v) => v.overshootMs))
        console.log(
          `${m.id.padEnd(20)} ${m.time.toFixed(3).padStart(9)} | ${fmt(over.min)} ${fmt(over.median)} ${fmt(over.max)}       | ${fmt(wall.min)} ${fmt(wall.median)} ${fmt(wall.max)}`,
        )
      }
    }
    const total = stats(all)
    console.log(`all ${all.length} stops: overshoot min ${total.min.toFixed(1)} / median ${total.median.toFixed(1)} / max ${total.max.toFixed(1)} ms`)
  } finally {
    await browser.close()
    if (server?.pid) process.kill(-server.pid, 'SIGTERM')
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
