import { test, expect } from './fixtures'

/*
 * The KPI flow on the demo data (db/seed/demo-kpi.ts): this quarter is in preview with one manager
 * (刘强 Liu Qiang) unmarked at the refresher class. HR sets the policy, previews, fixes the unmarked
 * session, publishes; exports Excel; the API gives the same figure as the manager's scorecard, with a
 * token only, and not once it is revoked.
 */
test('HR sets the policy, fixes an unmarked session and publishes; the manager, the export and the API agree', async ({ page, loginAs, browser }) => {
  // One long story through four screens, two people and the API.
  test.setTimeout(180_000)
  await loginAs('hr_admin')
  // HR's home shows the current period's status.
  await page.goto('/')
  await expect(page.getByText(/场未记录出勤的场次阻止发布/)).toBeVisible()
  await page.getByRole('link', { name: '打开 KPI 政策' }).click()
  await expect(page.getByRole('heading', { level: 1, name: /考核期/ })).toBeVisible()
  const periodUrl = page.url()
  const periodId = periodUrl.split('/').pop()!
  const key = (await page.locator('input[name="key"]').inputValue()).trim()

  // Set the policy: late counts a quarter.
  await page.getByLabel('迟到折算（0–1）').fill('0.25')
  await page.getByRole('button', { name: '保存政策' }).click()
  await expect(page.getByText('政策已保存。')).toBeVisible()
  await expect(page.getByLabel('迟到折算（0–1）')).toHaveValue('0.25')

  // Preview shows the live figures; publishing is blocked by the unmarked session.
  await page.getByRole('link', { name: '打开预览' }).click()
  await expect(page.getByTestId('kpi-source')).toHaveText('预览（实时数据，未发布）')
  await page.goBack()
  await expect(page.getByText('未记录出勤的必修场次阻止发布')).toBeVisible()
  await expect(page.getByRole('button', { name: '发布', exact: true })).toBeDisabled()

  // Fix it on the roster.
  await page.getByRole('link', { name: '记录出勤' }).click()
  const row = page.getByRole('listitem').filter({ hasText: /刘强 Liu Qiang/ })
  await row.getByRole('button', { name: '出席' }).click()
  await expect(row.getByRole('button', { name: '出席' })).toHaveAttribute('aria-pressed', 'true')

  await page.goto(periodUrl)
  await expect(page.getByText('没有阻止发布的事项。')).toBeVisible()
  await page.getByRole('button', { name: '发布', exact: true }).click()
  await expect(page.getByText('已发布第 1 版，已通知经理。')).toBeVisible()

  // Export Excel from the report.
  await page.goto(`/kpi?period=${periodId}`)
  await expect(page.getByTestId('kpi-source')).toHaveText('已发布，第 1 版')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 Excel' }).click()])
  expect(download.suggestedFilename()).toMatch(/^genjin-kpi-.*\.xlsx$/)
  const stream = await download.createReadStream()
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  expect(Buffer.concat(chunks).subarray(0, 2).toString()).toBe('PK')

  // An API token.
  await page.goto('/admin/kpi/tokens')
  await page.getByLabel('名称').fill('HRIS')
  await page.getByRole('button', { name: '创建令牌' }).click()
  const token = (await page.getByTestId('kpi-token').textContent())!.trim()
  expect(token).toMatch(/^gkpi_/)

  // The manager sees their scorecard with evidence and the chart.
  const managerContext = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const manager = await managerContext.newPage()
  await manager.goto('/login')
  await manager.locator('input[name="email"]').fill('manager@example.com')
  await manager.locator('input[name="password"]').fill('genjin-demo-2026')
  await manager.locator('form button[type="submit"]').last().click()
  await manager.waitForURL((url) => url.pathname !== '/login')
  await manager.goto(`/kpi?period=${periodId}`)
  await manager.getByRole('main').getByRole('link', { name: '张伟 Zhang Wei' }).click()
  await expect(manager.getByRole('heading', { name: /计分卡/ })).toBeVisible()
  const shown = Number((await manager.getByTestId('kpi-score').textContent())!.trim())
  await expect(manager.getByRole('heading', { name: '依据' })).toBeVisible()
  await expect(manager.getByRole('cell', { name: /出勤 · 绩效跟进复训/ }).first()).toBeVisible()
  await expect(manager.getByTestId('kpi-chart-trend').locator('svg.recharts-surface')).toBeVisible()
  const managerUrl = manager.url()
  const managerId = managerUrl.split('/managers/')[1].split('?')[0]
  await managerContext.close()

  // The API returns the same figure with the token, and refuses without one.
  const api = `/api/v1/kpi/periods/${encodeURIComponent(key)}/scores`
  const withToken = await page.request.get(api, { headers: { Authorization: `Bearer ${token}` } })
  expect(withToken.status()).toBe(200)
  const body = (await withToken.json()) as { revision: number; managers: { managerId: string; score: number | null }[] }
  expect(body.revision).toBe(1)
  expect(body.managers.find((m) => m.managerId === managerId)?.score).toBe(shown)
  expect((await page.request.get(api)).status()).toBe(401)
  // The department roll-up from the same snapshot: the managers and their bands add up.
  const rollup = await page.request.get(`/api/v1/kpi/periods/${encodeURIComponent(key)}/departments`, { headers: { Authorization: `Bearer ${token}` } })
  expect(rollup.status()).toBe(200)
  const sums = (await rollup.json()) as { revision: number; totals: { managers: number; bands: Record<string, number> } }
  expect(sums.revision).toBe(1)
  expect(sums.totals.managers).toBe(body.managers.length)
  expect(Object.values(sums.totals.bands).reduce((a, b) => a + b, 0)).toBe(body.managers.length)

  // Revoked: refused.
  await page.getByRole('button', { name: '吊销 HRIS' }).click()
  await expect(page.getByText('已吊销')).toBeVisible()
  expect((await page.request.get(api, { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401)
})
