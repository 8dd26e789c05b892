import { DEMO_EMAILS, expect, shanghaiWallTime, signIn, test } from './fixtures'

// Nobody else's spec signs in as this demo person; this spec only invites them.
const INVITEE = 'zheng.hao@example.com'

test('an invitation shows on the bell and on the notifications page; opening it marks it read', async ({ page, browser }) => {
  test.setTimeout(90_000)
  const title = `Notification check ${Date.now().toString(36)}`
  const start = new Date(Date.now() + 3 * 86_400_000)

  // HR schedules a session and invites one person by email (selectors by field name: HR's language may be either).
  await signIn(page, DEMO_EMAILS.hr_admin)
  await page.goto('/sessions/new')
  await page.locator('input[name="title"]').fill(title)
  await page.locator('input[name="startsAt"]').fill(shanghaiWallTime(start))
  await page.locator('input[name="endsAt"]').fill(shanghaiWallTime(new Date(start.getTime() + 2 * 3600_000)))
  await page.locator('input[name="place"]').fill('Shanghai HQ, room 3A')
  await page.locator('form:has(input[name="title"]) button[type="submit"]').last().click()
  await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\?created=1/)
  const invite = page.locator('form:has(textarea[name="emails"])')
  await page.locator('details:has(textarea[name="emails"]) > summary').click()
  await invite.locator('textarea[name="emails"]').fill(INVITEE)
  await invite.locator('button[type="submit"]').last().click()
  await expect(page.getByRole('row', { name: /郑浩/ })).toBeVisible()

  // The invitee sees the unread count on the bell (its name announces it) and the notification on the page.
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const invitee = await context.newPage()
  await signIn(invitee, INVITEE)
  const bell = invitee.getByRole('link', { name: /(\d+) (条未读通知|unread notifications)/ })
  await expect(bell).toBeVisible()
  const before = Number((await bell.getAttribute('aria-label'))!.match(/\d+/)![0])
  expect(before).toBeGreaterThanOrEqual(1)
  await bell.click()
  await expect(invitee).toHaveURL('/notifications')
  const item = invitee.getByRole('listitem').filter({ hasText: title })
  await expect(item).toBeVisible()
  await invitee.screenshot({ path: '/tmp/notifications.png', fullPage: true })

  // Opening it leads to "my sessions" and the count goes down by one.
  await item.getByRole('button', { name: /打开|Open/ }).click()
  await expect(invitee).toHaveURL('/my/sessions')
  if (before === 1) {
    await expect(invitee.getByRole('link', { name: /通知，没有未读|Notifications, none unread/ })).toBeVisible()
  } else {
    await expect(invitee.getByRole('link', { name: new RegExp(`^${before - 1} `) })).toBeVisible()
  }
  await context.close()
})
