import { chromium } from '@playwright/test'
const base = 'http://localhost:3414'
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] })
const page = await browser.newPage({ locale: 'en', viewport: { width: 1280, height: 900 } })
await page.goto(base + '/login')
await page.locator('input[name="email"]').fill(process.argv[2] ?? 'hr.admin@example.com')
await page.locator('input[name="password"]').fill('genjin-demo-2026')
await page.locator('form button[type="submit"]').last().click()
await page.waitForURL((u) => u.pathname !== '/login')
const en = page.getByRole('button', { name: 'English' })
if (await en.count()) { await en.click(); await page.waitForTimeout(500) }
await page.goto(base + '/reports/attendance?view=department&rollup=1')
await page.screenshot({ path: '/tmp/att-dept.png', fullPage: true })
await page.goto(base + '/reports/attendance?view=person')
await page.screenshot({ path: '/tmp/att-person.png', fullPage: true })
await page.setViewportSize({ width: 390, height: 844 })
await page.goto(base + '/reports/attendance?view=department')
await page.screenshot({ path: '/tmp/att-dept-phone.png', fullPage: false })
await browser.close()
