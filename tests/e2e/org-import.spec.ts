import { fileURLToPath } from 'node:url'
import { expect, test } from './fixtures'

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))

// Names in both languages: the page follows the account's or the browser's language.
const fileInput = /^(CSV 或 XLSX 文件|CSV or XLSX file)$/
const previewButton = /^(预览|Preview)$/
const applyButton = /^(确认导入|Apply the import)$/

test('an HR admin sees row errors in a GB18030 file, then imports a valid one', async ({ page, loginAs }) => {
  await loginAs('hr_admin')
  await page.goto('/admin/import')

  await page.getByLabel(fileInput).setInputFiles(fixture('org-chart-gb18030-errors.csv'))
  await page.getByRole('button', { name: previewButton }).click()
  await expect(page).toHaveURL(/[?&]import=/)

  const summary = page.getByTestId('import-summary')
  await expect(summary).toHaveAttribute('data-rows', '8')
  await expect(summary).toHaveAttribute('data-errors', '3')
  // Spreadsheet row numbers: the header is row 1.
  await expect(page.getByTestId('import-row-4')).toHaveAttribute('data-change', 'error')
  await expect(page.getByTestId('import-row-4').getByTestId('import-row-errors')).toContainText('qiao.yutong#example.com')
  await expect(page.getByTestId('import-row-6')).toHaveAttribute('data-change', 'error')
  await expect(page.getByTestId('import-row-6').getByTestId('import-row-errors')).toContainText('M2999')
  await expect(page.getByTestId('import-row-9')).toHaveAttribute('data-change', 'error')
  await expect(page.getByTestId('import-row-9').getByTestId('import-row-errors')).toContainText('M2007')
  await expect(page.locator('[data-change="error"]')).toHaveCount(3)
  await expect(page.getByRole('button', { name: applyButton })).toHaveCount(0)

  // The page offers the upload again right under the errors.
  await page.getByLabel(fileInput).setInputFiles(fixture('org-chart-gb18030.csv'))
  await page.getByRole('button', { name: previewButton }).click()
  await expect(summary).toHaveAttribute('data-rows', '8')
  await expect(summary).toHaveAttribute('data-errors', '0')
  await page.getByRole('button', { name: applyButton }).click()

  // Also passes on a database where this file was applied before (then nothing is new).
  await expect(page.getByTestId('import-applied')).toBeVisible()
  await expect(page.getByRole('button', { name: applyButton })).toHaveCount(0)

  for (const name of ['夏知秋', '贺锦年']) {
    await page.goto(`/admin/people?q=${encodeURIComponent(name)}`)
    await expect(page.getByText(name).first()).toBeVisible()
  }
})

test('people who are not HR admins cannot open the import', async ({ page, loginAs }) => {
  await loginAs('manager')
  const response = await page.goto('/admin/import')
  expect(response?.status()).toBe(403)
  await expect(page.getByLabel(fileInput)).toHaveCount(0)
})
