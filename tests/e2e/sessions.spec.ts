import { readFileSync } from 'node:fs'
import type { Browser, Page } from '@playwright/test'
import { DEMO_EMAILS, DEMO_PASSWORD, expect, shanghaiWallTime, signIn, signInChinese, test } from './fixtures'

async function signedInPage(browser: Browser, email: string) {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await context.newPage()
  await signInChinese(page, email)
  return { context, page }
}

// The password-reset spec changes the demo trainer's password; this spec's class is taught by the other trainer.
const TRAINER = 'emily.carter@example.com'

/** The answer link from the invitation email, read in the outbox; null where the outbox pages are not there. */
async function invitationLinkFromOutbox(hrPage: Page, title: string) {
  const response = await hrPage.goto('/admin/outbox')
  if (!response || response.status() === 404) return null
  await hrPage
    .getByRole('link', { name: new RegExp(`培训邀请：${title}`) })
    .first()
    .click()
  return hrPage.locator('a[href*="/invitations/"]').first().getAttribute('href')
}

test('HR schedules and invites a department; an invitee accepts by the emailed link and checks in by code; the trainer marks the rest', async ({
  page,
  browser,
}) => {
  // Four people in four browsers, then the export and the reports: more than the default minute on a slow machine.
  test.setTimeout(240_000)
  const title = `绩效跟进实战 ${Date.now().toString(36)}`
  // Starts in 5 minutes: check-in (from 15 minutes before the start) is already open.
  const start = new Date(Date.now() + 5 * 60_000)

  // HR schedules the session, taught by the demo trainer.
  await signInChinese(page, DEMO_EMAILS.hr_admin)
  await page.getByRole('navigation').getByRole('link', { name: '培训课次' }).click()
  await page.getByRole('link', { name: '安排课次' }).click()
  await page.getByLabel('标题').fill(title)
  await page.getByLabel('开始时间').fill(shanghaiWallTime(start))
  await page.getByLabel('结束时间').fill(shanghaiWallTime(new Date(start.getTime() + 2 * 3600_000)))
  await page.getByLabel('地点').fill('上海总部 3 楼培训室 A')
  await page.getByLabel('名额').fill('30')
  await page.getByLabel(/Emily Carter/).check()
  await page.getByRole('button', { name: '安排', exact: true }).click()
  await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\?created=1/)
  const sessionPath = new URL(page.url()).pathname
  await expect(page.getByRole('heading', { name: title })).toBeVisible()

  // … and invites the East China sales department (its whole subtree, every role).
  await page.getByText('邀请人员', { exact: true }).click()
  await page.getByLabel('部门', { exact: true }).selectOption({ label: '销售部/华东区' })
  await page.getByRole('button', { name: '发送邀请' }).click()
  await expect(page.getByRole('status').filter({ hasText: /已邀请 \d+ 人/ })).toBeVisible()
  await expect(page.getByRole('row', { name: /林小雨/ })).toContainText('未回复')

  // The invitee answers through the emailed link (no password needed), read from the outbox.
  const employee = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const employeePage = await employee.newPage()
  const link = await invitationLinkFromOutbox(page, title)
  if (link) {
    await employeePage.goto(new URL(link).pathname)
    await expect(employeePage.getByText(title)).toBeVisible()
    await employeePage.getByRole('button', { name: '我会参加' }).click()
    await expect(employeePage.getByRole('status')).toContainText(`你已报名「${title}」`)
    // The link works once.
    await employeePage.goto(new URL(link).pathname)
    await expect(employeePage.getByRole('alert')).toBeVisible()
    await signInChinese(employeePage, DEMO_EMAILS.employee)
  } else {
    test.info().annotations.push({
      type: 'skipped step',
      description: '/admin/outbox is not in this branch: the invitee accepts in the app instead of by the emailed link',
    })
    await signInChinese(employeePage, DEMO_EMAILS.employee)
    await employeePage.goto('/my/sessions')
    await employeePage.getByRole('listitem').filter({ hasText: title }).getByRole('button', { name: '我会参加' }).click()
    await expect(employeePage.getByRole('status')).toContainText('报名成功')
  }

  // The trainer opens the check-in screen; the invitee types the short code shown there.
  const trainer = await signedInPage(browser, TRAINER)
  await trainer.page.goto(`${sessionPath}/check-in-screen`)
  const codeLabel = await trainer.page.getByLabel(/^签到码 /).getAttribute('aria-label')
  const code = codeLabel!.replace(/\D/g, '')
  expect(code).toMatch(/^\d{6}$/)
  await expect(trainer.page.getByRole('img', { name: '签到二维码' }).locator('svg')).toBeVisible()

  // A second invitee scans the QR code while signed out: sign-in comes first, and the check-in
  // still works although the 30-second code has rotated by the time they are back.
  const qrUrl = await trainer.page.getByRole('img', { name: '签到二维码' }).getAttribute('data-check-in-url')
  const manager = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const managerPage = await manager.newPage()
  await managerPage.goto(new URL(qrUrl!).pathname)
  await expect(managerPage).toHaveURL(/\/login\?redirectTo=%2Fcheck-in%2Fg\./)
  await managerPage.locator('input[name="email"]').fill(DEMO_EMAILS.manager)
  await managerPage.locator('input[name="password"]').fill(DEMO_PASSWORD)
  await managerPage.locator('form button[type="submit"]').last().click()
  await expect(managerPage.getByText(title)).toBeVisible()
  // Whatever language this person reads.
  await managerPage.getByRole('button', { name: /^(签到|Check in)$/ }).click()
  await expect(managerPage.getByRole('status')).toContainText(title)
  await expect(managerPage.getByRole('status')).toContainText(/出席|Present/)
  await manager.close()

  await employeePage.goto('/check-in')
  await employeePage.getByLabel('签到码').fill(code)
  await employeePage.getByRole('button', { name: '签到', exact: true }).click()
  await expect(employeePage.getByRole('status')).toContainText(`你已签到「${title}」：出席`)

  // The trainer's roster shows the self check-in, then marks everyone else present and one person
  // excused (the session has not started: nobody can be absent or late yet).
  await trainer.page.goto(`${sessionPath}/roster`)
  const row = (name: RegExp) => trainer.page.getByRole('listitem').filter({ hasText: name })
  await expect(row(/林小雨/)).toContainText('通过签到码签到')
  await expect(row(/张伟 Zhang Wei/)).toContainText('通过扫码签到')
  await expect(row(/林小雨/).getByRole('button', { name: '出席' })).toHaveAttribute('aria-pressed', 'true')
  trainer.page.once('dialog', (dialog) => dialog.accept())
  await trainer.page.getByRole('button', { name: /将未记录的 \d+ 人记为出席/ }).click()
  await expect(trainer.page.getByText('未记录: 0')).toBeVisible()
  const other = row(/Michael Brown/)
  await other.getByRole('button', { name: '请假' }).click()
  await expect(other.getByRole('button', { name: '请假' })).toHaveAttribute('aria-pressed', 'true')
  await trainer.page.reload()
  await expect(row(/Michael Brown/).getByRole('button', { name: '请假' })).toHaveAttribute('aria-pressed', 'true')
  await expect(row(/林小雨/).getByRole('button', { name: '出席' })).toHaveAttribute('aria-pressed', 'true')

  // The attendance export matches the roster: the same people with the same statuses, the same counts.
  const statuses = ['出席', '迟到', '请假', '缺席', '未记录']
  const tally: Record<string, number> = {}
  for (const label of statuses) tally[label] = Number((await trainer.page.getByText(new RegExp(`^${label}: \\d+$`)).textContent())!.replace(/\D/g, ''))
  const rosterRows = trainer.page.locator('ul.divide-y > li')
  const roster: string[] = []
  for (const item of await rosterRows.all()) {
    roster.push(
      `${(await item.locator('span.font-medium').first().textContent())!.trim()} → ${(await item.locator('span.ml-auto .badge').textContent())!.trim()}`,
    )
  }
  expect(roster.length).toBeGreaterThanOrEqual(3)
  const [download] = await Promise.all([trainer.page.waitForEvent('download'), trainer.page.getByRole('link', { name: '导出 CSV' }).click()])
  const csv = readFileSync((await download.path())!, 'utf8')
  expect(csv.charCodeAt(0)).toBe(0xfeff)
  const [header, ...lines] = csv.slice(1).trim().split('\r\n').map(parseCsvLine)
  const name = header.indexOf('姓名')
  const status = header.indexOf('出勤')
  expect(name).toBeGreaterThanOrEqual(0)
  expect(status).toBeGreaterThanOrEqual(0)
  expect(lines.map((cells) => `${cells[name]} → ${cells[status]}`).sort()).toEqual([...roster].sort())
  for (const label of statuses) expect(lines.filter((cells) => cells[status] === label).length, label).toBe(tally[label])
  expect(tally['请假']).toBe(1)

  // The session page links its report; the trainer sees the same people there.
  await trainer.page.goto(sessionPath)
  await trainer.page.getByRole('link', { name: '本课次出勤报表' }).click()
  await expect(trainer.page.getByRole('heading', { name: '出勤报表', level: 1 })).toBeVisible()
  await expect(trainer.page.locator('tr[data-status]')).toHaveCount(roster.length)
  await expect(trainer.page.locator('tr[data-status="excused"]')).toContainText('Michael Brown')
  await trainer.page.screenshot({ path: '/tmp/attendance-report-session.png', fullPage: true })

  // HR finds the reports in the navigation; the department view keeps its filters in the URL. The
  // session has not started yet, so nobody counts as required there so far (fixed denominator).
  await page.getByRole('navigation').getByRole('link', { name: '出勤报表' }).click()
  await page.getByRole('link', { name: '按部门' }).click()
  await page.getByLabel('包含下级部门').check()
  await page.getByRole('button', { name: '筛选' }).click()
  await expect(page).toHaveURL(/view=department.*rollup=1/)
  await expect(page.getByLabel('包含下级部门')).toBeChecked()
  await page.screenshot({ path: '/tmp/attendance-report-departments.png', fullPage: true })

  await trainer.context.close()
  await employee.close()
})

/** One CSV line as written by the export (fields quoted when they hold a comma or a quote). */
function parseCsvLine(line: string) {
  const cells: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      cells.push(cell)
      cell = ''
    } else cell += c
  }
  cells.push(cell)
  return cells
}

test('a lecturer sees only the sessions they teach, and is refused another session’s roster', async ({ page, browser }) => {
  // HR schedules a session the lecturer does not teach.
  const hr = await signedInPage(browser, DEMO_EMAILS.hr_admin)
  await hr.page.goto('/sessions/new')
  await hr.page.getByLabel('标题').fill('Not the lecturer’s class')
  await hr.page.getByLabel('开始时间').fill(shanghaiWallTime(new Date(Date.now() + 86_400_000)))
  await hr.page.getByLabel('结束时间').fill(shanghaiWallTime(new Date(Date.now() + 90_000_000)))
  await hr.page.getByLabel('线上链接').fill('https://meet.example.com/genjin')
  await hr.page.getByRole('button', { name: '安排', exact: true }).click()
  await expect(hr.page).toHaveURL(/\/sessions\/[0-9a-f-]{36}/)
  const sessionPath = new URL(hr.page.url()).pathname
  await hr.context.close()

  await signIn(page, DEMO_EMAILS.lecturer)
  const nav = page.getByRole('navigation')
  await nav.getByRole('link', { name: 'My sessions' }).click()
  await expect(page).toHaveURL('/sessions')
  await expect(page.getByText('Not the lecturer’s class')).toHaveCount(0)
  await expect(nav.locator('a[href="/sessions/new"]')).toHaveCount(0)
  await page.goto(`${sessionPath}/roster`)
  await expect(page.getByRole('alert')).toContainText('403')
})
