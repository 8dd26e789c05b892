import { makePdf } from '../setup/files/fixtures'
import { expect, signIn, test, DEMO_EMAILS } from './fixtures'

/**
 * Group case analysis, phone to projector: the trainer forms balanced groups for cohort B and
 * assigns a case; a member uploads slides at phone width; the trainer previews, sets the
 * order, presents, grades with the rubric and releases; the member sees the result.
 */
test('case analysis from forming groups to the released grade', async ({ page, browser }) => {
  test.setTimeout(240_000)
  await signIn(page, DEMO_EMAILS.trainer)
  await page.goto('/sessions')
  await page
    .getByRole('link', { name: /案例分析（一）：布置作业 B 班/ })
    .first()
    .click()
  await page.getByRole('link', { name: '学习小组' }).click()
  await expect(page.getByRole('heading', { name: '学习小组', level: 1 })).toBeVisible()

  // Balanced groups: three groups of four, each with people from all three departments.
  await page.locator('select[name="by"]').selectOption('count')
  await page.locator('input[name="value"]').fill('3')
  await page.getByRole('button', { name: '组建小组' }).click()
  const columns = page.locator('[data-group-column]:not([data-group-column="none"])')
  await expect(columns).toHaveCount(3)
  for (let i = 0; i < 3; i++) await expect(columns.nth(i)).toContainText('4 人 · 3 个部门')

  // The same case for every group, due before session 2 (the form proposes the day before).
  await page.locator('select[name="caseId"]').selectOption({ label: '季度末的"意外" (销售)' })
  await page.getByRole('button', { name: '分配', exact: true }).click()
  await expect(page.getByText('已为 3 个小组分配案例')).toBeVisible()

  // A member uploads the analysis from a phone.
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    isMobile: true,
    hasTouch: true,
  })
  const member = await phone.newPage()
  await signIn(member, DEMO_EMAILS.manager)
  await member.goto('/groups')
  await member.getByRole('link', { name: /B 班/ }).click()
  await expect(member.locator('[data-case]')).toContainText('季度末的"意外"')
  await expect(member.locator('[data-trainer-notes]')).toHaveCount(0)
  await member
    .locator('[data-upload-state] input[type="file"]')
    .setInputFiles({ name: 'analysis.pdf', mimeType: 'application/pdf', buffer: await makePdf(3, 'Our analysis') })
  await expect(member.locator('[data-upload-state="done"]')).toBeVisible({ timeout: 30_000 })
  await member.getByRole('button', { name: '作为新版本上传' }).click()
  await expect(member.getByText('第 1 版已保存。')).toBeVisible({ timeout: 60_000 })
  await expect(member.locator('[data-version="1"]')).toContainText('提交版本')
  const groupUrl = member.url()

  // The trainer previews the submission and grades it with the rubric.
  await page.reload()
  await page.getByRole('button', { name: '随机排序' }).click()
  const row = page.locator('tr[data-assignment]', { hasText: '1 个版本' })
  await row.getByRole('link', { name: '预览并评分' }).click()
  await expect(page.locator('[data-pages="3"]')).toBeVisible({ timeout: 30_000 })
  const form = page.locator('[data-grade-form]')
  for (const fieldset of await form.locator('fieldset').all()) await fieldset.locator('input[type="radio"]').nth(2).check()
  await form.locator('textarea[name="comment"]').fill('根因分析清楚，跟进计划具体。')
  await form.getByRole('button', { name: '保存成绩' }).click()
  await expect(page.getByText('成绩已保存：80 / 100。')).toBeVisible()

  // Before release the member sees nothing of the grade.
  await member.goto(groupUrl)
  await expect(member.locator('[data-grade-results]')).toHaveCount(0)

  // Presenting now: slides full-screen with a timer; the clicker's PageDown turns the page; next group.
  await page.goto('/sessions')
  await page
    .getByRole('link', { name: /案例分析（一）：布置作业 B 班/ })
    .first()
    .click()
  await page.getByRole('link', { name: '学习小组' }).click()
  await page.getByRole('link', { name: '开始展示' }).click()
  await expect(page.locator('[data-timer]')).toBeVisible()
  for (let i = 0; i < 3; i++) {
    await expect(page.locator('[data-pages="3"], [data-no-slides]').first()).toBeVisible({ timeout: 30_000 })
    if (await page.locator('[data-pages="3"]').isVisible()) {
      await page.keyboard.press('PageDown')
      await expect(page.locator('[data-page="2"]')).toBeVisible()
    }
    await page.locator('[data-next-group]').click()
    await expect(page.locator('[data-present-position]')).toHaveAttribute('data-present-position', String(i + 2))
  }
  await expect(page.locator('[data-current-group]')).toHaveText('所有小组都已展示')

  // Release, then the member sees the rubric, the comment and their own mark.
  await page.goto('/sessions')
  await page
    .getByRole('link', { name: /案例分析（一）：布置作业 B 班/ })
    .first()
    .click()
  await page.getByRole('link', { name: '学习小组' }).click()
  await page.locator('tr[data-assignment]', { hasText: '80 / 100' }).getByRole('button', { name: '向小组发布' }).click()
  await expect(page.locator('tr[data-assignment]', { hasText: '80 / 100' })).toContainText('已发布')
  await member.goto(groupUrl)
  await expect(member.locator('[data-grade-results]')).toContainText('小组得分 80 / 100')
  await expect(member.locator('[data-own-mark]')).toContainText('80')
  await expect(member.locator('[data-grade-comment]')).toHaveText('根因分析清楚，跟进计划具体。')
  await phone.close()
})
