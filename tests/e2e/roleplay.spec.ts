import path from 'node:path'
import type { Browser, Page } from '@playwright/test'
import { expect, signIn, test, DEMO_EMAILS } from './fixtures'

/**
 * Role-play in the demo cohort, in the browser: a group records its skit and uploads it from a
 * phone (the connection drops, the upload resumes after a reload); the trainer reviews it with
 * time-coded comments and the rubric and releases it; a member jumps between the comments on the
 * timeline. Then live scoring on a tablet through a simulated offline period.
 */
const SKIT = path.resolve('tests/fixtures/roleplays/skit.mp4')
// Screenshots for looking at the pages: set SHOTS_DIR to keep them.
const SHOTS = process.env.SHOTS_DIR

/** The role-play board of the demo cohort's next workshop (groups RP3 and RP4 play there). */
async function openBoard(page: Page) {
  await page.goto('/sessions')
  await page
    .getByRole('link', { name: /第二次课：小组案例分析汇报/ })
    .first()
    .click()
  await page.waitForURL(/\/sessions\/[^/]+$/)
  await page.goto(`${new URL(page.url()).pathname}/roleplays`)
  await expect(page.getByRole('heading', { name: '角色扮演', level: 1 })).toBeVisible()
}

async function phoneContext(browser: Browser) {
  return browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true })
}

/** The player's position in seconds (the Mux player proxies the media element's currentTime). */
const position = (page: Page) =>
  page
    .locator('[data-ready="true"]')
    .first()
    .evaluate((el) => (el as HTMLMediaElement).currentTime)

test('a recording from a phone, reviewed with time-coded comments and the rubric, replayed by a member', async ({ page, browser }) => {
  test.setTimeout(240_000)
  await signIn(page, DEMO_EMAILS.trainer)
  await openBoard(page)
  const rp3 = page.locator('section[data-group="RP3"]')
  const groupUrl = await rp3.getByRole('link', { name: '小组页面' }).getAttribute('href')
  expect(groupUrl).toBeTruthy()
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/board-desktop.png`, fullPage: true })

  // A member of RP3 uploads the skit from a phone; the connection drops after the first chunk.
  const phone = await phoneContext(browser)
  const member = await phone.newPage()
  await signIn(member, 'zhou.jie@example.com')
  await member.goto(groupUrl!)
  await expect(member.locator('[data-brief]')).toHaveCount(1)
  if (SHOTS) await member.screenshot({ path: `${SHOTS}/group-phone-before.png`, fullPage: true })
  let patches = 0
  await member.route('**/uploads/tus/**', async (route) => {
    if (route.request().method() === 'PATCH' && ++patches > 1) return route.abort('internetdisconnected')
    return route.continue()
  })
  const dropped = member.waitForEvent('requestfailed', (r) => r.method() === 'PATCH' && r.url().includes('/uploads/tus'))
  await member.locator('[data-submit-form] [data-upload-state] input[type="file"]').setInputFiles(SKIT)
  await dropped

  // After a reload the page says the upload can continue; choosing the file again resumes it.
  await member.reload()
  await expect(member.locator('[data-submit-form] [data-upload-state="idle"]')).toContainText('skit.mp4')
  await member.unrouteAll({ behavior: 'wait' })
  const resumed = member.waitForRequest((r) => r.method() === 'PATCH' && r.url().includes('/uploads/tus'))
  await member.locator('[data-submit-form] [data-upload-state] input[type="file"]').setInputFiles(SKIT)
  expect(Number((await resumed).headers()['upload-offset'])).toBeGreaterThan(0)
  await expect(member.locator('[data-submit-form] [data-upload-state="done"]')).toBeVisible({ timeout: 60_000 })
  if (SHOTS) await member.screenshot({ path: `${SHOTS}/group-phone-uploaded.png`, fullPage: true })
  await member.getByRole('button', { name: '提交录像' }).click()
  await expect(member.getByText('第 1 版已提交。')).toBeVisible({ timeout: 60_000 })
  await expect(member.locator('[data-version="1"]')).toBeVisible()
  if (SHOTS) await member.screenshot({ path: `${SHOTS}/group-phone-submitted.png`, fullPage: true })

  // The trainer reviews: comments at the player's moment, the rubric, the summary, release.
  await page.reload()
  await rp3.getByRole('link', { name: '点评录像' }).click()
  await expect(page.locator('[data-ready="true"]')).toBeVisible({ timeout: 60_000 })
  const comment = async (at: number, body: string) => {
    await page
      .locator('[data-ready="true"]')
      .first()
      .evaluate((el, s) => ((el as HTMLMediaElement).currentTime = s), at)
    await page.locator('#comment-body').click()
    await expect(page.locator('label[for="comment-body"]')).toContainText(`0:0${at} 的评论`)
    await page.locator('#comment-body').fill(body)
    await page.locator('[data-comment-form]').getByRole('button', { name: '添加评论' }).click()
    await expect(page.locator('[data-comments] > li', { hasText: body })).toBeVisible()
  }
  await comment(1, '开场说明了目的。')
  await comment(4, '这里先听对方说完。')
  const atOf = async (text: string) => Number(await page.locator('[data-comments] > li', { hasText: text }).getAttribute('data-comment'))
  expect(await atOf('开场说明了目的。')).toBeGreaterThanOrEqual(1000)
  expect(await atOf('这里先听对方说完。')).toBeGreaterThanOrEqual(4000)
  await expect(page.locator('[data-marker]')).toHaveCount(2)
  const rubric = page.locator('[data-rubric]')
  for (const fieldset of await rubric.locator('fieldset').all()) await fieldset.locator('input[type="radio"]').nth(2).check()
  await page.locator('textarea[name="summary"]').fill('目的清楚，倾听还要加强。')
  await page.getByRole('button', { name: '保存评分' }).click()
  await expect(page.locator('[data-score]')).toContainText('67')
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/review-desktop.png`, fullPage: true })
  await page.getByRole('button', { name: '发布给小组' }).click()
  await expect(page.getByText('点评已发布给小组。').first()).toBeVisible()

  // The member sees the review and jumps between the comments.
  await member.goto(groupUrl!)
  const review = member.locator('[data-review]')
  await expect(review.locator('[data-score]')).toContainText('67')
  await expect(review.locator('[data-ready="true"]')).toBeVisible({ timeout: 60_000 })
  await review.locator('[data-marker]').last().click()
  await expect.poll(() => position(member)).toBeGreaterThanOrEqual(4)
  await review.locator('[data-comments] > li', { hasText: '开场说明了目的。' }).getByRole('button', { name: /跳到/ }).click()
  await expect.poll(() => position(member)).toBeLessThan(2)
  if (SHOTS) await member.screenshot({ path: `${SHOTS}/group-phone-review.png`, fullPage: true })

  // The same pages the other way round: the released review at phone width, the group page on a desktop.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.reload()
  await expect(page.locator('[data-score]')).toContainText('67')
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/review-phone.png`, fullPage: true })
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.goto(groupUrl!)
  await expect(page.locator('[data-review] [data-score]')).toContainText('67')
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/group-desktop-review.png`, fullPage: true })
  await phone.close()
})

test('live scoring on a tablet keeps what was typed while offline and syncs it', async ({ page, browser }) => {
  test.setTimeout(180_000)
  await signIn(page, DEMO_EMAILS.trainer)
  await openBoard(page)
  const liveUrl = await page.locator('section[data-group="RP4"]').getByRole('link', { name: '现场评分表' }).getAttribute('href')
  const tablet = await browser.newContext({ viewport: { width: 820, height: 1180 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', hasTouch: true })
  const sheet = await tablet.newPage()
  await signIn(sheet, DEMO_EMAILS.trainer)
  await sheet.goto(liveUrl!)
  const live = sheet.locator('[data-live-sheet]')
  const level = (k: number, l: number) => live.locator(`fieldset[data-key-point="${k}"] input[value="${l}"]`)
  await level(1, 2).check()
  await level(2, 3).check()
  await expect(live).toHaveAttribute('data-save-state', 'saved')

  await tablet.setOffline(true)
  await level(3, 1).check()
  await live.locator('textarea').first().fill('冷静，先倾听。')
  await expect(live).toHaveAttribute('data-save-state', 'offline')
  if (SHOTS) await sheet.screenshot({ path: `${SHOTS}/live-tablet-offline.png`, fullPage: true })
  const kept = await sheet.evaluate((key) => window.localStorage.getItem(key), `genjin.roleplay-score.${liveUrl!.split('/')[2]}`)
  expect(JSON.parse(kept!)).toMatchObject({ levels: { '1': 2, '2': 3, '3': 1 }, summary: '冷静，先倾听。' })

  await tablet.setOffline(false)
  await expect(live).toHaveAttribute('data-save-state', 'saved')
  expect(await sheet.evaluate((key) => window.localStorage.getItem(key), `genjin.roleplay-score.${liveUrl!.split('/')[2]}`)).toBeNull()
  await sheet.reload()
  await expect(level(1, 2)).toBeChecked()
  await expect(level(2, 3)).toBeChecked()
  await expect(level(3, 1)).toBeChecked()
  await expect(live.locator('textarea').first()).toHaveValue('冷静，先倾听。')
  if (SHOTS) await sheet.screenshot({ path: `${SHOTS}/live-tablet-synced.png`, fullPage: true })
  await tablet.close()
})
