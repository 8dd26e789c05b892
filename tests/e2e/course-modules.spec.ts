import { DEMO_EMAILS, expect, shanghaiWallTime, signInChinese, test } from './fixtures'

// A demo manager no other spec uses (all demo people share the demo password), enrolled in the
// managers' course by the demo assignment (every manager).
const LEARNER = 'zheng.hao@example.com'
const COURSE = 'managers-follow-up'
const VIDEO_MODULE = 'compare-two-follow-ups'
const SESSION_MODULE = 'classroom-workshop'

test.describe.configure({ mode: 'serial' })

test('a manager opens the video module of the course: the player is there and plays', async ({ page }) => {
  await signInChinese(page, LEARNER)
  await page.goto(`/learn/${COURSE}`)
  await page.locator(`[data-module="${VIDEO_MODULE}"] a`).first().click()
  await expect(page).toHaveURL(`/learn/${COURSE}/${VIDEO_MODULE}`)
  await expect(page.locator('article[data-kind="video"]')).toBeVisible()
  await expect(page.getByRole('heading', { name: '观看：同一场跟进的反面示范' })).toBeVisible()
  // The module's Markdown introduction, the completion rule and the comparison link.
  await expect(page.getByText('销售经理张伟就一个落后于计划的重点客户目标')).toBeVisible()
  await expect(page.locator('[data-rule="video"]')).toContainText('90%')
  await expect(page.getByRole('link', { name: /与正面示范对比/ })).toHaveAttribute('href', '/videos/compare/follow-up-negative')

  // The player loads on the client and its media is playable.
  const section = page.locator('[data-video-module="follow-up-negative"]')
  await expect(section).toBeVisible()
  const media = section.locator('mux-player, video').first()
  await expect(media).toBeAttached({ timeout: 30_000 })
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const host = document.querySelector('[data-video-module] mux-player') as (HTMLElement & { media?: { nativeEl?: HTMLVideoElement } }) | null
          const video = host?.media?.nativeEl ?? (document.querySelector('[data-video-module] video') as HTMLVideoElement | null)
          return video ? { duration: Math.round(video.duration || 0), ready: video.readyState } : null
        }),
      { timeout: 30_000 },
    )
    .toMatchObject({ duration: 89 })
  await page.screenshot({ path: '/tmp/video-module.png', fullPage: true })
})

test('HR schedules a workshop for the session module; the manager answers the invitation on the module page', async ({ page, browser }) => {
  test.setTimeout(120_000)
  const title = `跟进面谈工作坊 ${Date.now().toString(36)}`
  const start = new Date(Date.now() + 3 * 86400_000)

  await signInChinese(page, DEMO_EMAILS.hr_admin)
  await page.goto('/sessions/new')
  await page.getByLabel('标题').fill(title)
  // The session form offers the course's session module.
  await page.getByLabel('课程单元').selectOption('follow-up-workshop')
  await page.getByLabel('开始时间').fill(shanghaiWallTime(start))
  await page.getByLabel('结束时间').fill(shanghaiWallTime(new Date(start.getTime() + 2 * 3600_000)))
  await page.getByLabel('地点').fill('上海总部 5 楼培训室')
  await page.getByRole('button', { name: '安排', exact: true }).click()
  await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\?created=1/)
  await page.getByText('邀请人员', { exact: true }).click()
  await page.getByLabel('指定人员（邮箱，每行一个）').fill(LEARNER)
  await page.getByRole('button', { name: '发送邀请' }).click()
  await expect(page.getByRole('status').filter({ hasText: /已邀请 1 人/ })).toBeVisible()

  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const learner = await context.newPage()
  await signInChinese(learner, LEARNER)
  await learner.goto(`/learn/${COURSE}/${SESSION_MODULE}`)
  await expect(learner.locator('article[data-kind="session"]')).toBeVisible()
  await expect(learner.locator('[data-rule="session"]')).toContainText('请假')
  const item = learner.locator('li[data-session]').filter({ hasText: title })
  await expect(item).toHaveAttribute('data-invitation', 'invited')
  await expect(item).toContainText('上海总部 5 楼培训室')
  await item.getByRole('button', { name: '我会参加' }).click()
  await expect(item.getByRole('status')).toContainText('报名成功')
  await expect(item).toHaveAttribute('data-invitation', 'accepted')
  await learner.screenshot({ path: '/tmp/session-module.png', fullPage: true })
  await context.close()
})
