import { DEMO_EMAILS, expect, signIn, test } from './fixtures'

test('HR searches and filters people, invites a newcomer who sets a password from the emailed link, then deactivates them', async ({ page, browser }) => {
  await signIn(page, DEMO_EMAILS.hr_admin)

  // Search by name and filter by a department subtree.
  await page.goto('/admin/people?q=Michael')
  await expect(page.getByRole('link', { name: 'Michael Brown' })).toBeVisible()
  const department = page.locator('select[name="department"]')
  const sales = await department.locator('option', { hasText: '销售部' }).first().getAttribute('value')
  await page.goto(`/admin/people?department=${sales}`)
  await expect(page.getByRole('link', { name: /张伟 Zhang Wei/ })).toBeVisible()
  await expect(page.getByRole('link', { name: /周杰 Zhou Jie/ })).toHaveCount(0)

  // Invite a newcomer.
  await page.goto('/admin/people/invite')
  await page.locator('input[name="name"]').fill('何佳 He Jia')
  await page.locator('input[name="email"]').fill('he.jia@example.com')
  await page.locator('input[name="employeeNumber"]').fill('E9001')
  await page.locator('input[name="roles"][value="employee"]').check()
  await page.locator('form button[type="submit"]').last().click()
  await expect(page).toHaveURL(/\/admin\/people\/[0-9a-f-]{36}/)
  await expect(page.getByText('he.jia@example.com').first()).toBeVisible()
  const personUrl = page.url().split('?')[0]

  // The invitation email in the outbox carries a one-time link.
  await page.goto('/admin/outbox')
  await page
    .getByRole('link', { name: /邀请你加入跟进平台/ })
    .first()
    .click()
  const link = await page.locator('a[href*="/invitation/"]').first().getAttribute('href')
  expect(link).toBeTruthy()

  const invitee = await browser.newContext({ locale: 'zh-CN' })
  const inviteePage = await invitee.newPage()
  await inviteePage.goto(new URL(link!).pathname)
  await expect(inviteePage.getByText('he.jia@example.com')).toBeVisible()
  await inviteePage.locator('input[name="password"]').fill('he-jia-password-1')
  await inviteePage.locator('input[name="confirm"]').fill('he-jia-password-1')
  await inviteePage.locator('form button[type="submit"]').last().click()
  await expect(inviteePage).toHaveURL('/')
  await expect(inviteePage.getByRole('heading', { level: 1 })).toContainText('何佳')

  // HR deactivates the newcomer (confirmation step), whose session ends at once.
  await page.goto(personUrl)
  await page.locator('a[href*="confirm=deactivate"]').click()
  await page.locator('button[name="intent"][value="deactivate"]').click()
  await expect(page.locator('button[name="intent"][value="reactivate"]')).toBeVisible()
  await inviteePage.reload()
  await expect(inviteePage).toHaveURL(/\/login/)
  await invitee.close()
})
