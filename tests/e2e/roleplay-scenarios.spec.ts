import { expect, signIn, test, DEMO_EMAILS } from './fixtures'

/**
 * The role-play scenario library: HR finds scenarios by key point, reads one with every role's
 * private brief and the observer notes, edits it (a bad input gets a message in Chinese, nothing is
 * saved), and the library marks it as edited in the browser. Employees cannot open it.
 */
test('HR browses, filters, reads and edits a role-play scenario', async ({ page, browser }) => {
  test.setTimeout(120_000)
  await signIn(page, DEMO_EMAILS.hr_admin)
  await page.goto('/')
  await page.getByRole('link', { name: '角色扮演情境库' }).first().click()
  await expect(page.getByRole('heading', { name: '角色扮演情境库', level: 1 })).toBeVisible()
  const items = page.locator('[data-scenario-item]')
  await expect(items).toHaveCount(6)

  // Filter by key point 9 (care about growth): the high performer and the new hire.
  await page.getByLabel('要点').selectOption('9')
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page).toHaveURL(/keyPoint=9/)
  await expect(items).toHaveCount(2)
  await expect(page.locator('[data-scenario-item="high-performer-growth"]')).toBeVisible()
  await expect(page.locator('[data-scenario-item="new-hire"]')).toBeVisible()
  await page.screenshot({ path: 'test-results/roleplay-scenarios-library.png', fullPage: true })

  // The scenario: situation, three roles with their private briefs, the observer notes.
  await page.getByRole('link', { name: '“我的下一步是什么？”' }).click()
  await expect(page.getByRole('heading', { name: '“我的下一步是什么？”', level: 1 })).toBeVisible()
  await expect(page.locator('[data-situation]')).toContainText('林悦是财务部的高级数据分析师')
  await expect(page.locator('[data-role]')).toHaveCount(3)
  await expect(page.locator('[data-role="employee"]')).toContainText('两周前，一家竞争对手给了你一个组长的职位')
  await expect(page.locator('[data-role="hrbp"]')).toContainText('隔壁的计划团队第二季度会开放一个组长岗位')
  await expect(page.locator('[data-observer-notes]')).toContainText('常见错误')
  await page.screenshot({ path: 'test-results/roleplay-scenarios-detail.png', fullPage: true })
  const detailUrl = page.url()

  // Edit: an empty Chinese title is refused with a message; nothing is saved.
  await page.getByRole('link', { name: '编辑' }).click()
  await expect(page.getByRole('heading', { name: '编辑情境', level: 1 })).toBeVisible()
  const title = page.getByLabel('标题（中文）')
  await title.fill('')
  await page.getByRole('button', { name: '保存情境' }).click()
  await expect(title).toHaveAttribute('aria-invalid', 'true')
  await expect(page.locator(`#${await title.getAttribute('aria-describedby')}`)).toHaveText('必填')
  await expect(page).toHaveURL(/\/edit$/)
  await page.screenshot({ path: 'test-results/roleplay-scenarios-invalid.png', fullPage: true })

  // A real edit: the title back, the observer notes extended, key point 7 added.
  await title.fill('“我的下一步是什么？”')
  const notes = page.getByLabel('观察要点（中文）')
  await notes.fill(`${await notes.inputValue()}\n\n本公司补充：请关注经理是否提到内部导师计划。`)
  await page.getByLabel('7. 用数据和事实说话').check()
  await page.getByRole('button', { name: '保存情境' }).click()
  await expect(page).toHaveURL(detailUrl)
  await expect(page.locator('[data-observer-notes]')).toContainText('本公司补充：请关注经理是否提到内部导师计划。')
  await expect(page.locator('[data-key-points]').first()).toContainText('7. 用数据和事实说话')

  await page.getByRole('link', { name: '角色扮演情境库' }).first().click()
  await expect(page.locator('[data-scenario-item="high-performer-growth"]')).toContainText('在浏览器中编写或修改过')

  // An employee is refused the library (private briefs and observer notes).
  const other = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const employee = await other.newPage()
  await signIn(employee, DEMO_EMAILS.employee)
  await expect(employee.getByRole('link', { name: '角色扮演情境库' })).toHaveCount(0)
  const response = await employee.goto('/roleplays/scenarios')
  expect(response?.status()).toBe(403)
  await other.close()
})
