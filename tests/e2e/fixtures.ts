import { test as base, expect, type Page } from '@playwright/test'
import { instantToZoned } from '../../app/shared/time'

export type DemoRole = 'hr_admin' | 'trainer' | 'lecturer' | 'manager' | 'employee'

export const DEMO_PASSWORD = 'genjin-demo-2026'
export const DEMO_EMAILS: Record<DemoRole, string> = {
  hr_admin: 'hr.admin@example.com',
  trainer: 'trainer@example.com',
  lecturer: 'lecturer@example.com',
  manager: 'manager@example.com',
  employee: 'employee@example.com',
}

/** Signs in through the real sign-in form. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/login')
  await page.locator('input[name="email"]').fill(email)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('form button[type="submit"]').last().click()
  await page.waitForURL((url) => url.pathname !== '/login')
}

/**
 * A signed-in person's saved language wins over the browser's, and other tests may have saved one
 * for the same demo account: choose the language a test reads with the page's own switch.
 */
export async function chooseLanguage(page: Page, lang: 'en' | 'zh-CN') {
  if ((await page.locator('html').getAttribute('lang')) !== lang) {
    await page
      .getByRole('button', { name: lang === 'en' ? 'English' : '中文', exact: true })
      .first()
      .click()
  }
  await expect(page.locator('html')).toHaveAttribute('lang', lang)
}

/**
 * Signs in and makes sure the person reads Chinese: other specs switch demo people to English
 * (the choice is saved on the person), and the specs calling this read the Chinese texts.
 */
export async function signInChinese(page: Page, email: string, password?: string) {
  await signIn(page, email, password)
  // Always choose it: reading the page's language right after sign-in races the navigation.
  await page.getByRole('button', { name: '中文' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()
}

/** "2027-03-04T09:00" in Asia/Shanghai, as the session form's datetime-local inputs take it. */
export function shanghaiWallTime(date: Date) {
  return instantToZoned(date, 'Asia/Shanghai')
}

export const test = base.extend<{ loginAs: (role: DemoRole) => Promise<void> }>({
  loginAs: async ({ page }, use) => {
    await use((role) => signIn(page, DEMO_EMAILS[role]))
  },
})

export { expect }
