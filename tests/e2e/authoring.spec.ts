import type { Page } from '@playwright/test'
import { pngBytes } from '../setup/png'
import { DEMO_EMAILS, expect, signIn, test } from './fixtures'

// HR writes a course in the browser: a quiz with the structured editor and a lesson with an
// uploaded image. The course is this spec's own; the seeded ones stay untouched.

test.describe.configure({ mode: 'serial' })

const courseKey = `e2e-authoring-${Date.now().toString(36)}`

/** A real PNG (a teal block with a darker band), so the preview has something to show. */
const png = (width = 120, height = 48) => pngBytes(width, height, (y) => (y > height / 3 && y < (2 * height) / 3 ? [15, 80, 90] : [45, 160, 170]))

async function addModule(page: Page, kind: 'quiz' | 'lesson', id: string, titleZh: string, titleEn: string) {
  await page.goto(`/admin/courses/${courseKey}/edit`)
  const form = page.locator('form:has(input[name="intent"][value="add-module"])')
  await form.locator('select[name="kind"]').selectOption(kind)
  await form.locator('input[name="contentId"]').fill(id)
  await form.locator('input[name="titleZh"]').fill(titleZh)
  await form.locator('input[name="titleEn"]').fill(titleEn)
  await form.locator('button[type="submit"]').click()
  await page.waitForURL(`**/admin/courses/${courseKey}/modules/${id}`)
}

test('HR writes a quiz with the structured editor and a lesson with an uploaded image', async ({ page, loginAs }) => {
  test.setTimeout(180_000)
  await loginAs('hr_admin')

  await page.goto('/admin/courses/new')
  await page.locator('input[name="contentId"]').fill(courseKey)
  await page.locator('input[name="titleZh"]').fill('浏览器编写的课程')
  await page.locator('input[name="titleEn"]').fill('A course written in the browser')
  await page.locator('textarea[name="descriptionZh"]').fill('端到端测试用的课程。')
  await page.locator('textarea[name="descriptionEn"]').fill('A course for the end-to-end test.')
  await page.locator('input[name="estimatedMinutes"]').fill('15')
  await page.locator('form button[type="submit"]').last().click()
  await page.waitForURL(`**/admin/courses/${courseKey}/edit`)

  // The quiz: the starter question plus one added with the structured editor.
  await addModule(page, 'quiz', 'check', '小测', 'Check')
  await expect(page.locator('input[name="questions[0].options[0].textEn"]')).toHaveValue('True')
  await page.getByRole('button', { name: /^(Add a question|添加题目)$/ }).click()
  const q2 = page.locator('fieldset[name="questions[1]"]')
  await expect(q2).toBeVisible()
  await expect(q2.locator('legend').first()).toHaveText(/Question 2|第 2 题/)
  await q2.locator('select[name="questions[1].type"]').selectOption('single')
  await q2.locator('textarea[name="questions[1].promptZh"]').fill('员工进度落后时，经理首先应该做什么？')
  await q2.locator('textarea[name="questions[1].promptEn"]').fill('An employee falls behind. What should the manager do first?')
  await q2.locator('input[name="questions[1].options[0].textZh"]').fill('一起找出障碍')
  await q2.locator('input[name="questions[1].options[0].textEn"]').fill('Find the obstacle together')
  await q2.locator('input[name="questions[1].options[1].textZh"]').fill('等到季度末再说')
  await q2.locator('input[name="questions[1].options[1].textEn"]').fill('Wait for the quarter to end')
  await q2.locator('textarea[name="questions[1].explanationZh"]').fill('及时跟进、共同解决问题。')
  await q2.locator('textarea[name="questions[1].explanationEn"]').fill('Follow up promptly and solve the problem together.')
  await page.screenshot({ path: '/tmp/authoring-quiz-editor.png', fullPage: true })

  // No correct option ticked: a localized error at the options, nothing saved.
  await page.getByRole('button', { name: /^(Save|保存)$/ }).click()
  const optionsError = q2.locator('[id$="options-error"]')
  await expect(optionsError).toHaveText(/A single-choice question needs exactly one correct option\.|单选题必须恰好有一个正确选项。/)
  await expect(q2.locator('input[name="questions[1].options[1].textEn"]')).toHaveValue('Wait for the quarter to end')
  await page.screenshot({ path: '/tmp/authoring-quiz-error.png', fullPage: true })

  await q2.locator('input[name="questions[1].options[0].correct"]').check()
  await page.getByRole('button', { name: /^(Save|保存)$/ }).click()
  await expect(page.getByRole('status')).toContainText(/version 2|第 2 版/)
  await page.reload()
  await expect(page.locator('input[name="questions[1].options[0].textEn"]')).toHaveValue('Find the obstacle together')
  await expect(page.locator('input[name="questions[1].options[0].correct"]')).toBeChecked()
  await expect(page.locator('input[name="questions[1].id"]')).toHaveValue('q2')

  // Reordering with the keyboard-reachable buttons.
  await page.getByRole('button', { name: /Move question 2 up|将第 2 题上移/ }).click()
  await expect(page.locator('textarea[name="questions[0].promptEn"]')).toHaveValue('An employee falls behind. What should the manager do first?')

  // A lesson with an uploaded image: progress, Markdown at the cursor, the preview shows it.
  await addModule(page, 'lesson', 'intro', '导言', 'Introduction')
  const body = page.locator('textarea[name="bodyZh"]')
  await body.fill('跟进的节奏要提前约定。\n')
  await body.press('End')
  const zhColumn = page.locator('div.space-y-2:has(textarea[name="bodyZh"])')
  await zhColumn.getByRole('button', { name: /Insert image|插入图片/ }).click()
  await zhColumn.locator('input[type="file"]').setInputFiles({ name: 'rhythm.png', mimeType: 'image/png', buffer: png() })
  await zhColumn.getByRole('button', { name: /Upload and insert|上传并插入/ }).click()
  await expect(zhColumn.getByRole('alert')).toHaveText(/Describe the image|请为看不到图片的人描述图片内容/)
  await zhColumn.getByLabel(/Alt text|替代文字/).fill('每周跟进节奏示意图')
  await zhColumn.getByRole('button', { name: /Upload and insert|上传并插入/ }).click()
  await expect(body).toHaveValue(/!\[每周跟进节奏示意图\]\(\/media\/images\/[0-9a-f-]{36}\)/)
  const image = page.locator('[data-testid="preview-bodyZh"] img')
  await expect(image).toHaveAttribute('alt', '每周跟进节奏示意图')
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(120)
  await page.locator('textarea[name="bodyEn"]').fill('Agree the rhythm of follow-up in advance.\n')
  await page.getByRole('button', { name: /^(Save|保存)$/ }).click()
  await expect(page.getByRole('status').first()).toContainText(/version 2|第 2 版/)
  await page.screenshot({ path: '/tmp/authoring-lesson-image.png', fullPage: true })
})

test('the quiz editor works without JavaScript: add a question, see the server’s localized error, keep what was typed', async ({ browser }) => {
  test.setTimeout(120_000)
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await signIn(page, DEMO_EMAILS.hr_admin)
  await page.goto(`/admin/courses/${courseKey}/modules/check`)
  await expect(page.locator('fieldset[name="questions[1]"]')).toBeVisible()
  await expect(page.locator('fieldset[name="questions[2]"]')).toHaveCount(0)
  await page.getByRole('button', { name: /^(Add a question|添加题目)$/ }).click()
  const q3 = page.locator('fieldset[name="questions[2]"]')
  await expect(q3).toBeVisible()
  await q3.locator('textarea[name="questions[2].promptEn"]').fill('Typed without JavaScript')
  await page.getByRole('button', { name: /^(Save|保存)$/ }).click()
  await expect(q3.locator('[id$="options-error"]')).toHaveText(/exactly one correct option|恰好有一个正确选项/)
  await expect(q3.locator('[id$="promptZh-error"]')).toHaveText(/The question is missing in Chinese|缺少中文题干/)
  await expect(q3.locator('textarea[name="questions[2].promptEn"]')).toHaveValue('Typed without JavaScript')
  // Removing it again leaves the saved quiz as it was.
  await page.getByRole('button', { name: /^(Remove question 3|删除第 3 题)$/ }).click()
  await expect(page.locator('fieldset[name="questions[2]"]')).toHaveCount(0)
  await context.close()
})
