import type { Page } from '@playwright/test'
import { DEMO_EMAILS, expect, shanghaiWallTime, signInChinese, test } from './fixtures'

async function schedule(page: Page, title: string, start: Date, lecturer?: string) {
  await page.goto('/sessions/new')
  await page.getByLabel('标题').fill(title)
  await page.getByLabel('开始时间').fill(shanghaiWallTime(start))
  await page.getByLabel('结束时间').fill(shanghaiWallTime(new Date(start.getTime() + 3 * 3600_000)))
  await page.getByLabel('地点').fill('上海总部 5 楼大会议室')
  if (lecturer) await page.getByLabel(new RegExp(lecturer)).check()
  await page.getByRole('button', { name: '安排', exact: true }).click()
  await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\?created=1/)
  return new URL(page.url()).pathname
}

test('an external lecturer must acknowledge the briefing pack, sees only their session, and loses access after the configured days', async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000)
  const suffix = Date.now().toString(36)
  const name = `Grace Visiting ${suffix}`
  const email = `grace.${suffix}@example.com`
  const password = 'grace-lecturer-pass-1'
  const title = `Performance follow-up masterclass ${suffix}`
  const otherTitle = `内部课次 ${suffix}`

  // HR creates the lecturer's account: an external lecturer who reads English.
  await signInChinese(page, DEMO_EMAILS.hr_admin)
  await page.goto('/admin/people/invite')
  await page.locator('input[name="name"]').fill(name)
  await page.locator('input[name="email"]').fill(email)
  await page.locator('select[name="locale"]').selectOption('en')
  await page.locator('input[name="roles"][value="employee"]').uncheck()
  await page.locator('input[name="roles"][value="lecturer"]').check()
  await page.locator('form button[type="submit"]').last().click()
  await expect(page).toHaveURL(/\/admin\/people\/[0-9a-f-]{36}/)
  const personPath = new URL(page.url()).pathname
  // A new lecturer account already has an end date: N days after its creation.
  await expect(page.getByText(/外部讲师访问期限至/)).toBeVisible()

  // The lecturer sets a password through the emailed link.
  await page.goto('/admin/outbox')
  await page
    .getByRole('row', { name: new RegExp(email) })
    .getByRole('link')
    .first()
    .click()
  const link = await page.locator('a[href*="/invitation/"]').first().getAttribute('href')
  const lecturerContext = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai' })
  const lecturer = await lecturerContext.newPage()
  await lecturer.goto(new URL(link!).pathname)
  await lecturer.locator('input[name="password"]').fill(password)
  await lecturer.locator('input[name="confirm"]').fill(password)
  await lecturer.locator('form button[type="submit"]').last().click()
  await expect(lecturer).toHaveURL('/')

  // HR schedules the lecturer's class, and another one the lecturer does not teach.
  const sessionPath = await schedule(page, title, new Date(Date.now() + 3 * 86_400_000), name)
  await schedule(page, otherTitle, new Date(Date.now() + 4 * 86_400_000))

  // HR writes the briefing pack from the session page and publishes it.
  await page.goto(sessionPath)
  const briefingCard = page.getByRole('region', { name: '讲师简报' })
  await expect(briefingCard).toContainText('还没有讲师简报')
  await briefingCard.getByRole('link', { name: '编写讲师简报' }).click()
  await expect(page.getByLabel('简报语言')).toHaveValue('en')
  await page.getByLabel('公司背景').fill('A **retail chain** with 3,000 staff in 40 stores. Goals are set quarterly; managers hold monthly 1:1s — on paper.')
  await page
    .getByLabel('本公司绩效跟进中的常见问题')
    .fill(
      '- Feedback comes at the year-end review, not when progress drifts\n- Judging by impressions instead of data\n- Store managers over-control their teams',
    )
  await page.getByLabel('课上使用的案例').fill('The East China store case (HR will hand out copies).')
  await page.getByLabel('注意事项（宜与忌）').fill('**Do** use examples from retail.\n\n**Don’t** name individual managers.')
  await page.getByLabel('设备').fill('Projector, whiteboard, 2 microphones')
  await page.getByLabel('当天联系人').fill('Wang Fang, HR, 138-0000-0000')
  await page.getByRole('button', { name: '发布', exact: true }).click()
  await expect(page.getByRole('status')).toContainText('已发布第 1 版，已通知 1 位讲师')
  await page.screenshot({ path: '/tmp/briefing-edit.png', fullPage: true })

  await page.goto(sessionPath)
  await expect(briefingCard.getByRole('row', { name: new RegExp(name) })).toContainText('尚未阅读')

  // The lecturer finds the class on the home page, asked to read the pack first.
  await lecturer.goto('/')
  const teaching = lecturer.getByRole('region', { name: 'Sessions you teach' })
  await expect(teaching.getByRole('listitem').filter({ hasText: title })).toContainText('Briefing to read')
  await expect(teaching).not.toContainText(otherTitle)
  await lecturer.screenshot({ path: '/tmp/briefing-lecturer-home.png' })
  // Only their own session in the list.
  await lecturer.getByRole('navigation').getByRole('link', { name: 'My sessions' }).click()
  // Wait for the list itself: the home page also names the session (in its next action), twice.
  await expect(lecturer).toHaveURL(/\/sessions$/)
  await expect(lecturer.getByRole('link', { name: title, exact: true })).toBeVisible()
  await expect(lecturer.getByText(otherTitle)).toHaveCount(0)

  // Opening the session or its roster leads to the pack until it is acknowledged.
  await lecturer.goto(`${sessionPath}/roster`)
  await expect(lecturer).toHaveURL(`${sessionPath}/briefing`)
  await lecturer.goto(sessionPath)
  await expect(lecturer).toHaveURL(`${sessionPath}/briefing`)
  await expect(lecturer.getByRole('heading', { level: 1 })).toContainText(title)
  await expect(lecturer.getByRole('status')).toContainText('Please read this briefing')
  await expect(lecturer.locator('strong', { hasText: 'retail chain' })).toBeVisible()
  await expect(lecturer.getByText('Projector, whiteboard, 2 microphones')).toBeVisible()
  await lecturer.screenshot({ path: '/tmp/briefing-lecturer.png', fullPage: true })
  // The printable view: the pack without the app's navigation or buttons.
  await lecturer.emulateMedia({ media: 'print' })
  await expect(lecturer.getByRole('navigation')).toBeHidden()
  await expect(lecturer.getByRole('button', { name: 'I have read this briefing' })).toBeHidden()
  await lecturer.screenshot({ path: '/tmp/briefing-print.png', fullPage: true })
  await lecturer.emulateMedia({ media: 'screen' })
  await lecturer.getByRole('button', { name: 'I have read this briefing' }).click()
  await expect(lecturer.getByRole('status')).toContainText('HR can see that you have read the briefing')
  await lecturer.goto(`${sessionPath}/roster`)
  await expect(lecturer).toHaveURL(`${sessionPath}/roster`)

  // HR sees when the lecturer acknowledged which version.
  await page.reload()
  await expect(briefingCard.getByRole('row', { name: new RegExp(name) })).toContainText(/已于 .+ 阅读第 1 版/)
  await page.screenshot({ path: '/tmp/briefing-session-hr.png', fullPage: true })

  // HR moves the class twelve days into the past: more than the 7 days after it have gone by.
  await page.getByText('编辑课次', { exact: true }).click()
  const past = new Date(Date.now() - 12 * 86_400_000)
  await page.getByLabel('开始时间').fill(shanghaiWallTime(past))
  await page.getByLabel('结束时间').fill(shanghaiWallTime(new Date(past.getTime() + 3 * 3600_000)))
  await page.getByRole('button', { name: '保存', exact: true }).click()
  await expect(page.getByRole('status').filter({ hasText: /已保存/ })).toBeVisible()
  await page.goto(personPath)
  await expect(page.getByText(/外部讲师访问已于 .+ 结束/)).toBeVisible()

  // The lecturer's open session ends, and signing in again is refused.
  await lecturer.reload()
  await expect(lecturer).toHaveURL(/\/login\?/)
  await lecturer.locator('input[name="email"]').fill(email)
  await lecturer.locator('input[name="password"]').fill(password)
  await lecturer.locator('form button[type="submit"]').last().click()
  await expect(lecturer.getByText('Your access has ended')).toBeVisible()
  await lecturer.screenshot({ path: '/tmp/briefing-access-ended.png' })
  await lecturerContext.close()
})
