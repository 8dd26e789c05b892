import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { loadContent, type LoadedContent, type LoadedCourse } from '../../app/modules/courses/content.server'
import { DEMO_EMAILS, expect, signIn, test } from './fixtures'

// The answer keys come from the content files, as a learner who knows the material would answer.
let content: LoadedContent
const courseById = (id: string) => content.courses.find((c) => c.id === id) as LoadedCourse

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  content = await loadContent('content/courses')
  expect(content.problems).toEqual([])
})

async function readLesson(page: Page, url: string) {
  await page.goto(url)
  await expect(page.locator('article[data-kind="lesson"]')).toBeVisible()
  // Reaching the end marker posts the completion (IntersectionObserver + fetcher).
  await page.locator('[data-end-marker]').scrollIntoViewIfNeeded()
  await expect(page.locator('[data-lesson-read]')).toBeVisible()
}

async function passQuiz(page: Page, url: string, module: LoadedCourse['modules'][number]) {
  if (module.kind !== 'quiz') throw new Error(`${module.id} is not a quiz`)
  await page.goto(url)
  await page.getByRole('button', { name: '开始答题' }).click()
  for (const question of module.questions) {
    for (const answer of question.answer) await page.locator(`input[name="q.${question.id}"][value="${answer}"]`).check()
  }
  await page.getByRole('button', { name: '提交答案' }).click()
  await expect(page.locator('#result [data-score="100"]')).toBeVisible()
  await expect(page.locator('#result-title')).toContainText('已通过')
  await expect(page.locator('[data-feedback="incorrect"]')).toHaveCount(0)
  await expect(page.locator('article')).toHaveAttribute('data-status', 'completed')
}

test('a manager takes the follow-up course end to end and sees it completed', async ({ page }) => {
  test.setTimeout(600_000)
  const course = courseById('managers-follow-up')
  // A manager the demo has not started on this course (the demo manager finished it for the follow-up story).
  await signIn(page, 'liu.qiang@example.com')
  await page.goto('/learn')
  await expect(page.locator(`[data-course="${course.id}"]`)).toContainText('有效的绩效跟进')
  await page.locator(`[data-course="${course.id}"]`).getByRole('link', { name: '开始学习' }).click()
  await expect(page).toHaveURL(`/learn/${course.id}/${course.modules[0].id}`)

  for (const module of course.modules) {
    const url = `/learn/${course.id}/${module.id}`
    if (module.kind === 'lesson') await readLesson(page, url)
    else if (module.kind === 'quiz') await passQuiz(page, url, module)
  }

  await page.goto(`/learn/${course.id}`)
  await expect(page.getByText(/你已于 .+ 完成本课程/)).toBeVisible()
  // Every required module (lessons and quizzes) is done; the optional video and workshop modules need no visit here.
  for (const module of course.modules.filter((m) => m.required)) {
    await expect(page.locator(`[data-module="${module.id}"]`)).toHaveAttribute('data-status', 'completed')
  }
  const certificate = await page.request.get(`/learn/${course.id}/certificate`)
  expect(certificate.headers()['content-type']).toBe('application/pdf')
  expect((await certificate.body()).subarray(0, 5).toString()).toBe('%PDF-')

  await page.goto('/learn')
  await expect(page.locator(`[data-course="${course.id}"]`)).toContainText('已于')
  await expect(page.locator(`[data-course="${course.id}"]`)).toContainText('100%')
})

test('an employee completes the managing-up course and shares the prep sheet; the manager sees it', async ({ page, browser }) => {
  test.setTimeout(300_000)
  const course = courseById('employees-managing-up')
  await signIn(page, DEMO_EMAILS.employee)
  for (const module of course.modules) {
    const url = `/learn/${course.id}/${module.id}`
    if (module.kind === 'lesson') {
      if (module === course.modules[0]) {
        // The fallback for keyboard and no-JS readers: the button does what the end marker does.
        // In a tab without IntersectionObserver, so the end marker cannot win the race to the button.
        const fallback = await page.context().newPage()
        await fallback.addInitScript(() => {
          // @ts-expect-error: a browser without IntersectionObserver
          delete window.IntersectionObserver
        })
        await fallback.goto(url)
        await fallback.getByRole('button', { name: '标记为已读' }).click()
        await expect(fallback.locator('[data-lesson-read]')).toBeVisible()
        await fallback.close()
      } else {
        await readLesson(page, url)
      }
    } else if (module.kind === 'quiz') {
      await passQuiz(page, url, module)
    }
  }

  const sheet = course.modules.find((m) => m.kind === 'prep_sheet')!
  if (sheet.kind !== 'prep_sheet') throw new Error('no prep sheet')
  await page.goto(`/learn/${course.id}/${sheet.id}`)
  const answers = Object.fromEntries(sheet.fields.map((f, i) => [f.id, `E2E ${f.id}: 第 ${i + 1} 项，签约 2 家，还差 1 家`]))
  const [first, ...rest] = sheet.fields
  await page.locator(`[name="field.${first.id}"]`).fill(answers[first.id])
  // Autosave after a pause in typing.
  await expect(page.locator('[data-save-status]')).toContainText('已于', { timeout: 15_000 })
  await page.reload()
  await expect(page.locator(`[name="field.${first.id}"]`)).toHaveValue(answers[first.id])
  for (const field of rest) await page.locator(`[name="field.${field.id}"]`).fill(answers[field.id])
  await page.getByRole('button', { name: '分享给我的经理' }).click()
  await expect(page.locator('[data-shared]')).toContainText('张伟')

  await page.goto(`/learn/${course.id}`)
  await expect(page.getByText(/你已于 .+ 完成本课程/)).toBeVisible()

  const managerContext = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const manager = await managerContext.newPage()
  await signIn(manager, DEMO_EMAILS.manager)
  await manager.goto('/team')
  const shared = manager.locator('[data-prep-sheet]').filter({ hasText: '林小雨' })
  await expect(shared).toBeVisible()
  for (const field of sheet.fields) await expect(shared).toContainText(answers[field.id])
  await expect(manager.locator('tr[data-learner="employee@example.com"][data-course="employees-managing-up"]')).toHaveAttribute('data-status', 'completed')
  await managerContext.close()
})

test('HR sees the completions in the progress report and exports them as CSV', async ({ page }) => {
  await signIn(page, DEMO_EMAILS.hr_admin)
  // The demo company has completions of its own; the two this spec made are among them.
  await page.goto('/admin/courses')
  await expect(page.locator('tr[data-course="managers-follow-up"] [data-completed]')).not.toHaveText('0')
  await expect(page.locator('tr[data-course="employees-managing-up"] [data-completed]')).not.toHaveText('0')

  await page.goto('/admin/progress')
  await page.getByLabel('状态').selectOption('completed')
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page).toHaveURL(/status=completed/)
  await expect(page.locator('tr[data-learner="liu.qiang@example.com"][data-course="managers-follow-up"]')).toBeVisible()
  await expect(page.locator('tr[data-learner="employee@example.com"][data-course="employees-managing-up"]')).toBeVisible()
  const shown = await page.locator('tr[data-learner]').count()

  const downloading = page.waitForEvent('download')
  await page.getByRole('link', { name: '导出 CSV' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/^genjin-progress-\d{4}-\d{2}-\d{2}\.csv$/)
  const csv = readFileSync((await download.path())!, 'utf8')
  expect(csv.startsWith('\uFEFF')).toBe(true)
  const lines = csv.slice(1).trim().split('\r\n')
  expect(lines[0].split(',').slice(0, 6)).toEqual(['工号', '姓名', '邮箱', '部门', '课程', '状态'])
  // The export has the filtered rows, no more and no fewer.
  expect(lines).toHaveLength(shown + 1)
  const manager = lines.find((l) => l.includes('liu.qiang@example.com'))!
  expect(manager.split(',')).toEqual(expect.arrayContaining(['E0010', '刘强 Liu Qiang', '有效的绩效跟进', '已完成', '17/17', '100']))
  const employee = lines.find((l) => l.includes('employee@example.com'))!
  expect(employee.split(',')).toEqual(expect.arrayContaining(['林小雨 Lin Xiaoyu', '销售部/华东区', '已完成', '7/7']))
})
