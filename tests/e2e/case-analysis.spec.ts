import type { Browser } from '@playwright/test'
import { makePdf, makePptx } from '../setup/files/fixtures'
import { expect, signIn, test, DEMO_EMAILS } from './fixtures'

const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true }

/** A demo manager's sign-in address from the name the group page shows ('刘强 Liu Qiang' → liu.qiang@example.com, db/seed/demo-company.ts). */
function demoEmail(name: string) {
  return `${name
    .replace(/^\p{Script=Han}+\s*/u, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '.')}@example.com`
}

async function phoneOf(browser: Browser, email: string) {
  const context = await browser.newContext(PHONE)
  const page = await context.newPage()
  await signIn(page, email)
  await page.goto('/groups')
  await page.getByRole('link', { name: /B 班|cohort B/ }).click()
  await expect(page.locator('[data-upload-state] input[type="file"]')).toBeAttached()
  return { context, page }
}

/**
 * Group case analysis, phone to projector: the trainer forms balanced groups for cohort B and
 * assigns a case; two members of a group upload a PDF and then a PPTX at phone width, and both
 * get their versions in order; the trainer previews the PPTX (converted to PDF in the
 * background), sets the order, presents, grades with the rubric and releases; a member sees the result.
 */
test('case analysis from forming groups to the released grade', async ({ page, browser }) => {
  // The PPTX conversion (LibreOffice) alone can take a minute on a loaded machine.
  test.setTimeout(420_000)
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
  const { context: phone, page: member } = await phoneOf(browser, DEMO_EMAILS.manager)
  await expect(member.locator('[data-case]')).toContainText('季度末的"意外"')
  await expect(member.locator('[data-trainer-notes]')).toHaveCount(0)
  await member
    .locator('[data-upload-state] input[type="file"]')
    .setInputFiles({ name: 'analysis.pdf', mimeType: 'application/pdf', buffer: await makePdf(3, 'Our analysis') })
  await expect(member.locator('[data-upload-state="done"]')).toBeVisible({ timeout: 60_000 })
  await member.getByRole('button', { name: '作为新版本上传' }).click()
  await expect(member.getByText('第 1 版已保存。')).toBeVisible({ timeout: 60_000 })
  await expect(member.locator('[data-version="1"]')).toContainText('提交版本')
  const groupUrl = member.url()

  // Another member of the same group, on their own phone (in their own language), uploads a revised PPTX.
  const names = (await member.locator('[data-members]').innerText()).split(' · ').map((n) => n.trim())
  expect(names).toHaveLength(4)
  const other = names.find((n) => !n.includes('Zhang Wei'))!
  const { context: phone2, page: member2 } = await phoneOf(browser, demoEmail(other))
  expect(member2.url()).toBe(groupUrl)
  await expect(member2.locator('[data-version="1"]')).toContainText('张伟')
  await member2.locator('[data-upload-state] input[type="file"]').setInputFiles({
    name: 'analysis-v2.pptx',
    mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    buffer: await makePptx(3, 'Our analysis, revised'),
  })
  await expect(member2.locator('[data-upload-state="done"]')).toBeVisible({ timeout: 60_000 })
  await member2.locator('[data-submit-form] button[type="submit"]').click()
  await expect(member2.locator('[data-version="2"]')).toContainText('analysis-v2.pptx', { timeout: 60_000 })
  await phone2.close()

  // Both versions, newest first, each with its uploader; the PPTX is now the submission.
  await member.reload()
  await expect(member.locator('[data-version]')).toHaveCount(2)
  await expect(member.locator('[data-version]').first()).toHaveAttribute('data-version', '2')
  await expect(member.locator('[data-version="2"]')).toContainText(other)
  await expect(member.locator('[data-version="2"]')).toContainText('提交版本')
  await expect(member.locator('[data-version="1"]')).toContainText('analysis.pdf')
  await expect(member.locator('[data-version="1"]')).not.toContainText('提交版本')

  // The trainer previews the submission and grades it with the rubric.
  await page.reload()
  await page.getByRole('button', { name: '随机排序' }).click()
  const row = page.locator('tr[data-assignment]', { hasText: '2 个版本' })
  await row.getByRole('link', { name: '预览并评分' }).click()
  // The PPTX's slides, converted to PDF by LibreOffice in the background, rendered by pdf.js (the page refreshes itself).
  await expect(page.locator('[data-pages="3"]')).toBeVisible({ timeout: 240_000 })
  await expect(page.locator('[data-pages="3"] nav li canvas')).toHaveCount(3)
  await page.locator('[data-pages="3"] nav li button').nth(2).click()
  await expect(page.locator('[data-pages="3"]')).toHaveAttribute('data-page', '3')
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
