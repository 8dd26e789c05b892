import { randomBytes } from 'node:crypto'
import PDFDocument from 'pdfkit'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

// A real PDF of ~5 MB (an incompressible attachment), so the upload takes several 2 MB PATCHes.
function deck(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape' })
  doc.file(randomBytes(5 * 1024 * 1024), { name: 'notes.bin' })
  for (let i = 1; i <= 3; i++) {
    if (i > 1) doc.addPage()
    doc.fontSize(40).text(`Group 1 — slide ${i}`, 60, 200)
  }
  doc.end()
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  return new Promise((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))))
}

/** The demo manager's study group page (demo seed: group slides), where the slides are uploaded. */
async function openGroupPage(page: Page) {
  await page.goto('/groups')
  await page.locator('a[href^="/groups/"]').first().click()
  await expect(page.locator('[data-upload-state] input[type=file]')).toBeAttached()
  return page.url()
}

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })

test('a phone upload survives a dropped connection and a reload, and continues where it stopped', async ({ page, context, loginAs }) => {
  const file = { name: 'group-1.pdf', mimeType: 'application/pdf', buffer: await deck() }
  await loginAs('manager')
  const groupPage = await openGroupPage(page)
  const upload = page.locator('[data-upload-state]').first()

  // The first chunk arrives; the connection drops as the second one leaves the phone, so the server
  // holds exactly one chunk (going offline after the first answer would race the chunks still in flight).
  let patches = 0
  await page.route('**/*', async (route) => {
    if (route.request().method() !== 'PATCH' || ++patches === 1) return route.fallback()
    await context.setOffline(true)
    await route.abort('internetdisconnected')
  })
  await upload.locator('input[type=file]').setInputFiles(file)
  await expect(upload).toHaveAttribute('data-upload-state', 'paused')
  await expect(upload.locator('label', { hasText: /网络在 \d+% 时中断/ })).toBeVisible()

  // The phone comes back later on a fresh page.
  await page.goto('about:blank')
  await page.unrouteAll()
  await context.setOffline(false)
  await page.goto(groupPage)
  await expect(page.getByText('group-1.pdf 的上传已中断')).toBeVisible()

  // Choosing the same file again asks the server where to continue and sends only the rest.
  const offsets: number[] = []
  page.on('request', (r) => {
    if (r.method() === 'PATCH') offsets.push(Number(r.headers()['upload-offset']))
  })
  const head = page.waitForRequest((r) => r.method() === 'HEAD')
  await upload.locator('input[type=file]').setInputFiles(file)
  await head
  await expect(upload).toHaveAttribute('data-upload-state', 'done', { timeout: 30_000 })
  expect(offsets.length).toBeGreaterThan(0)
  expect(offsets[0]).toBeGreaterThan(0)
  await expect(page.locator('input[name="uploadId"]')).toHaveValue(/^[0-9a-f]{32}$/)
  await expect(upload.locator('p', { hasText: /group-1\.pdf 已上传/ }).first()).toBeVisible()
})

test('a file that is not slides gets a clear message, not a status code', async ({ page, loginAs }) => {
  await loginAs('manager')
  await openGroupPage(page)
  const upload = page.locator('[data-upload-state]').first()
  await upload.locator('input[type=file]').setInputFiles({ name: 'empty.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(0) })
  await expect(upload.getByRole('alert')).toHaveText('文件是空的，请重新选择文件。')
  await upload.locator('input[type=file]').setInputFiles({ name: 'virus.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') })
  await expect(upload.getByRole('alert')).toContainText('PDF 或 PowerPoint')
})
