import { DEMO_EMAILS, expect, signIn, test, type DemoRole } from './fixtures'

const landmarks: Record<DemoRole, { sees: string[]; doesNotSee: string[] }> = {
  hr_admin: { sees: ['/admin/people', '/admin/import', '/admin/outbox'], doesNotSee: [] },
  trainer: { sees: [], doesNotSee: ['/admin/people'] },
  lecturer: { sees: [], doesNotSee: ['/admin/people', '/team'] },
  manager: { sees: ['/team'], doesNotSee: ['/admin/people'] },
  employee: { sees: [], doesNotSee: ['/admin/people', '/team'] },
}

for (const role of Object.keys(DEMO_EMAILS) as DemoRole[]) {
  test(`${role} signs in with email and password and sees the navigation for that role`, async ({ page }) => {
    await signIn(page, DEMO_EMAILS[role])
    await expect(page).toHaveURL('/')
    const nav = page.getByRole('navigation')
    for (const href of landmarks[role].sees) await expect(nav.locator(`a[href="${href}"]`)).toBeVisible()
    for (const href of landmarks[role].doesNotSee) await expect(nav.locator(`a[href="${href}"]`)).toHaveCount(0)
  })
}

test('a wrong password is refused with a message and the form keeps the email', async ({ page }) => {
  await page.goto('/login')
  await page.locator('input[name="email"]').fill(DEMO_EMAILS.employee)
  await page.locator('input[name="password"]').fill('not-the-password')
  await page.locator('form button[type="submit"]').last().click()
  await expect(page.getByRole('alert')).toContainText('邮箱或密码不正确')
  await expect(page.locator('input[name="email"]')).toHaveValue(DEMO_EMAILS.employee)
})

test('signing out ends the session; the back button does not bring the page back', async ({ page }) => {
  await signIn(page, DEMO_EMAILS.manager)
  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page).toHaveURL(/\/login/)
  await page.goto('/team')
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fteam/)
})

// A person no other spec signs in as: the choice is saved on the person.
const LANGUAGE_TESTER = 'li.na@example.com'

test('the language switch changes the page and is remembered for the person', async ({ page, context }) => {
  await signIn(page, LANGUAGE_TESTER)
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
  // A fresh browser (no language cookie) for the same person still gets English after sign-in.
  await context.clearCookies()
  await signIn(page, LANGUAGE_TESTER)
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  // Leave the shared demo data as it was.
  await page.getByRole('button', { name: '中文' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
})

test('a first visit follows Accept-Language', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US' })
  const page = await context.newPage()
  await page.goto('/login')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(page.getByRole('heading', { name: 'Sign in to Genjin' })).toBeVisible()
  await context.close()
})

// The reset changes a password, so it uses a person no other spec signs in as.
const RESET_TESTER = 'sun.yue@example.com'

test('password reset by an emailed one-time link read from the outbox', async ({ page, browser }) => {
  await page.goto('/forgot-password')
  await page.locator('input[name="email"]').fill(RESET_TESTER)
  await page.locator('form button[type="submit"]').last().click()
  await expect(page.getByRole('status')).toBeVisible()

  // HR reads the outbox (development mail) in another browser.
  const hr = await browser.newContext({ locale: 'zh-CN' })
  const hrPage = await hr.newPage()
  await signIn(hrPage, DEMO_EMAILS.hr_admin)
  await hrPage.goto('/admin/outbox')
  await hrPage
    .getByRole('link', { name: /重置你的跟进平台密码/ })
    .first()
    .click()
  const link = await hrPage.locator('a[href*="/reset-password/"]').first().getAttribute('href')
  await hr.close()
  expect(link).toBeTruthy()

  await page.goto(new URL(link!).pathname)
  await page.locator('input[name="password"]').fill('a-new-trainer-password')
  await page.locator('input[name="confirm"]').fill('a-new-trainer-password')
  await page.locator('form button[type="submit"]').last().click()
  await expect(page).toHaveURL(/\/login\?reset=1/)
  await signIn(page, RESET_TESTER, 'a-new-trainer-password')
  await expect(page).toHaveURL('/')
  // The link works once.
  await page.getByRole('button', { name: '退出登录' }).click()
  await page.goto(new URL(link!).pathname)
  await expect(page.getByRole('alert')).toBeVisible()
})

test('every page carries an enforced nonce-based Content-Security-Policy', async ({ page }) => {
  const response = await page.goto('/login')
  const csp = response!.headers()['content-security-policy']
  expect(csp).toMatch(/script-src [^;]*'nonce-[A-Za-z0-9+/=]+'/)
  expect(response!.headers()['content-security-policy-report-only']).toBeUndefined()
  const nonce = csp.match(/'nonce-([^']+)'/)![1]
  // Every script the page carries has the nonce; hydration works (the client-side form validation runs).
  const scripts = await page.locator('script').evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce))
  expect(scripts.length).toBeGreaterThan(0)
  for (const n of scripts) expect(n).toBe(nonce)
})

test('the demo page signs in with one click per role', async ({ page }) => {
  await page.goto('/demo')
  await page.locator('button[data-role="manager"]').click()
  await expect(page).toHaveURL('/')
  await expect(page.getByRole('navigation').locator('a[href="/team"]')).toBeVisible()
})
