#!/usr/bin/env node
// Screenshots of every demo role's home, at desktop and phone width, in both languages (issue 11's
// closing note). It starts nothing: point it at a running demo (`npm start`, demo mode on).
//
// Usage: node scripts/screenshots.mjs --base-url http://localhost:3000 [--out shots] [--path /]
// Writes <out>/<role>-<locale>-<width>.png (full page) and prints one line per file.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { chromium } from '@playwright/test'
import { tsImport } from 'tsx/esm/api'

const { chromiumArgs, chromiumExecutable } = await tsImport('../tests/e2e/chromium.ts', import.meta.url)

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}
const base = arg('base-url', process.env.BASE_URL)
if (!base) {
  console.error('genjin: give the demo to photograph: node scripts/screenshots.mjs --base-url http://localhost:3000 [--out shots]')
  process.exit(2)
}
const out = path.resolve(arg('out', 'shots'))
const home = arg('path', '/')
const ROLES = ['hr_admin', 'trainer', 'lecturer', 'manager', 'employee']
const LOCALES = ['zh-CN', 'en']
const WIDTHS = [
  { width: 1280, height: 800, isMobile: false },
  { width: 390, height: 844, isMobile: true },
]

mkdirSync(out, { recursive: true })
const browser = await chromium.launch({ executablePath: chromiumExecutable, args: chromiumArgs })
let failures = 0
try {
  for (const role of ROLES) {
    for (const locale of LOCALES) {
      for (const size of WIDTHS) {
        // A fresh browser per picture: the phone's layout from its first paint, no state carried over.
        const context = await browser.newContext({
          baseURL: base,
          viewport: { width: size.width, height: size.height },
          isMobile: size.isMobile,
          hasTouch: size.isMobile,
          locale,
          timezoneId: 'Asia/Shanghai',
        })
        const page = await context.newPage()
        const file = path.join(out, `${role}-${locale}-${size.width}.png`)
        try {
          await page.goto('/demo')
          await page.locator(`button[data-role="${role}"]`).click()
          await page.waitForURL((url) => url.pathname !== '/demo')
          // A full load of the home first: right after the sign-in's client navigation, <html lang>
          // can still be the sign-in page's (the browser's language), not the person's.
          await page.goto(home, { waitUntil: 'networkidle' })
          // The person's saved language wins over the browser's: choose it with the page's own switch.
          if ((await page.locator('html').getAttribute('lang')) !== locale) {
            await page.locator(`form[action="/locale"] button[value="${locale}"]`).first().click()
            await page.waitForFunction((lang) => document.documentElement.lang === lang, locale)
          }
          await page.goto(home, { waitUntil: 'networkidle' })
          await page.screenshot({ path: file, fullPage: true })
          console.log(`${file}  ${page.url()}`)
        } catch (error) {
          failures++
          console.error(`${role} ${locale} ${size.width}px: ${error instanceof Error ? error.message.split('\n')[0] : error}`)
        } finally {
          await context.close()
        }
      }
    }
  }
} finally {
  await browser.close()
}
process.exit(failures ? 1 : 0)
