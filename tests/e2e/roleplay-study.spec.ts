import { expect, signIn, test } from './fixtures'

/**
 * Role-play self-study: the trainer sees the demo cohort's role-play groups, their packs and who
 * opened and finished what, and adds a library video to a pack; a member at phone width opens a
 * lesson and marks the reading as read, and the trainer's grid shows it.
 */
test('self-study pack: trainer grid and a member working through it', async ({ page, browser }) => {
  test.setTimeout(180_000)
  await signIn(page, 'trainer@example.com')
  await page.goto('/sessions')
  await page
    .getByRole('link', { name: /第二次课：小组案例分析汇报/ })
    .first()
    .click()
  await page.getByRole('link', { name: '角色扮演自学' }).click()
  await expect(page.getByRole('heading', { name: '角色扮演自学', level: 1 })).toBeVisible()
  const rp4 = page.locator('section', { has: page.getByRole('heading', { name: 'RP4 组' }) })
  await expect(page.getByRole('heading', { name: /RP\d 组/ })).toHaveCount(4)
  await expect(rp4.getByTestId('study-grid')).toBeVisible()
  await page.screenshot({ path: 'test-results/roleplay-study-trainer.png', fullPage: true })

  // Move the reading to the top of group RP4's pack.
  const items = rp4.locator('ol > li')
  await expect(items).toHaveCount(4)
  await rp4.getByRole('button', { name: /上移/ }).last().click()
  await expect(items.nth(2)).toContainText('Sample analysis.pdf')
  await rp4.getByRole('button', { name: /上移/ }).nth(2).click()
  await expect(items.nth(1)).toContainText('Sample analysis.pdf')
  await rp4.getByRole('button', { name: /上移/ }).nth(1).click()
  await expect(items.first()).toContainText('Sample analysis.pdf')
  const packUrl = await rp4.getByRole('link', { name: '以学员视角查看' }).getAttribute('href')

  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    isMobile: true,
    hasTouch: true,
  })
  const member = await phone.newPage()
  await signIn(member, 'wu.min@example.com')
  await member.goto(packUrl!)
  await expect(member.getByRole('heading', { name: '角色扮演自学', level: 1 })).toBeVisible()
  await expect(member.getByRole('heading', { name: '已完成 0/4' })).toBeVisible()
  const reading = member.getByTestId('study-item').first()
  await reading.getByRole('button', { name: '标记为已读' }).click()
  await expect(member.getByRole('heading', { name: '已完成 1/4' })).toBeVisible()
  await expect(reading).toContainText('已完成')
  // Opening a lesson goes to the course player and is recorded.
  const lesson = member.getByTestId('study-item').filter({ hasText: '课程' }).first()
  await lesson.getByRole('link', { name: '打开' }).click()
  await member.waitForURL(/\/learn\/managers-follow-up\//)
  await member.goto(packUrl!)
  await expect(member.getByTestId('study-item').filter({ hasText: '已打开' })).toHaveCount(1)
  await member.screenshot({ path: 'test-results/roleplay-study-member.png', fullPage: true })

  await page.reload()
  const wu = rp4.getByRole('row', { name: /吴敏/ })
  await expect(wu).toContainText('1/4')
  await expect(wu.getByText(/已完成/)).toHaveCount(1)
  await phone.close()
})
