import type { Browser, Page } from '@playwright/test'
import { chromiumArgs, chromiumExecutable } from './chromium'
import { chooseLanguage, expect, signIn, test, DEMO_EMAILS } from './fixtures'

/**
 * Recording the skit in the browser (MediaRecorder) on a phone, with Chromium's fake camera and
 * microphone: a live view, a timer, a preview, then the same resumable upload and server
 * verification as a chosen file. Without MediaRecorder, or with the camera refused, the page
 * says so and the file upload stays.
 */
test.use({
  launchOptions: {
    executablePath: chromiumExecutable,
    args: [...chromiumArgs, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  },
})

// Screenshots for looking at the pages: set SHOTS_DIR to keep them.
const SHOTS = process.env.SHOTS_DIR

async function phone(browser: Browser, locale: 'zh-CN' | 'en-US') {
  return browser.newContext({ viewport: { width: 390, height: 844 }, locale, timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true })
}

/** Group RP4's page (the demo cohort's next workshop), found from the trainer's board. */
async function rp4Page(browser: Browser) {
  const context = await browser.newContext()
  const page = await context.newPage()
  await signIn(page, DEMO_EMAILS.trainer)
  await page.goto('/sessions')
  await page
    .getByRole('link', { name: /第二次课：小组案例分析汇报/ })
    .first()
    .click()
  await page.waitForURL(/\/sessions\/[^/]+$/)
  await page.goto(`${new URL(page.url()).pathname}/roleplays`)
  const rp4 = page.locator('section[data-group="RP4"]')
  const group = await rp4.getByRole('link', { name: '小组页面' }).getAttribute('href')
  return { trainer: page, context, group: group!, board: page.url() }
}

const submitForm = (page: Page) => page.locator('[data-submit-form]')

test('a member records the skit on a phone, previews it and submits it through the resumable upload', async ({ browser }) => {
  test.setTimeout(240_000)
  const { trainer, context, group, board } = await rp4Page(browser)

  const zh = await phone(browser, 'zh-CN')
  const member = await zh.newPage()
  await signIn(member, 'wu.min@example.com')
  await member.goto(group)
  await chooseLanguage(member, 'zh-CN')
  const form = submitForm(member)
  await form.getByRole('button', { name: '打开摄像头' }).click()
  await expect(form.locator('[data-recorder="live"] video')).toBeVisible()
  await form.getByRole('button', { name: '开始录制' }).click()
  const timer = form.getByRole('timer')
  await expect(timer).toBeVisible()
  // About three seconds of the fake camera: the timer counts up while recording.
  await expect(timer).toHaveAttribute('data-elapsed', '3', { timeout: 20_000 })
  if (SHOTS) await member.screenshot({ path: `${SHOTS}/recording-phone-zh-CN.png`, fullPage: true })
  await form.getByRole('button', { name: '停止' }).click()
  const preview = form.locator('[data-recorder-preview]')
  await expect(preview).toBeVisible()
  await expect(preview).toHaveAttribute('src', /^blob:/)
  if (SHOTS) await member.screenshot({ path: `${SHOTS}/preview-phone-zh-CN.png`, fullPage: true })

  const created = member.waitForRequest((r) => r.method() === 'POST' && r.url().includes('/uploads/tus'))
  await form.getByRole('button', { name: '上传这段录像' }).click()
  const metadata = (await created).headers()['upload-metadata'] ?? ''
  expect(metadata).toContain(`purpose ${Buffer.from('roleplay-video').toString('base64')}`)
  await expect(form.locator('[data-upload-state="done"]')).toBeVisible({ timeout: 60_000 })
  await expect(form.locator('[data-recorder]')).toHaveCount(0)
  await form.getByRole('button', { name: '提交录像' }).click()
  await expect(member.getByText(/第 \d+ 版已提交/)).toBeVisible({ timeout: 60_000 })
  // The server measured the duration from the container (no duration in MediaRecorder's header).
  const version = member.locator('[data-versions] li').first()
  await expect(version.locator('[data-duration]')).toBeVisible()
  expect(Number(await version.locator('[data-duration]').getAttribute('data-duration'))).toBeGreaterThanOrEqual(2)
  if (SHOTS) await member.screenshot({ path: `${SHOTS}/submitted-phone-zh-CN.png`, fullPage: true })
  await zh.close()

  // The trainer plays it: the player is told the recording's type (no "unrecognized type").
  const logged: string[] = []
  trainer.on('console', (m) => logged.push(m.text()))
  await trainer.goto(board)
  await trainer.locator('section[data-group="RP4"]').getByRole('link', { name: '点评录像' }).click()
  await expect(trainer.locator('[data-ready="true"]')).toBeVisible({ timeout: 60_000 })
  expect(logged.filter((l) => /unrecognized/i.test(l))).toEqual([])
  await context.close()
})

test('the recorder in English, and what a phone without recording or with the camera refused sees', async ({ browser }) => {
  test.setTimeout(180_000)
  const { context, group } = await rp4Page(browser)
  await context.close()

  const en = await phone(browser, 'en-US')
  const member = await en.newPage()
  await signIn(member, 'zheng.hao@example.com')
  await member.goto(group)
  await chooseLanguage(member, 'en')
  const form = submitForm(member)
  await form.getByRole('button', { name: 'Turn on the camera' }).click()
  await form.getByRole('button', { name: 'Start recording' }).click()
  await expect(form.getByRole('timer')).toHaveAttribute('data-elapsed', '2', { timeout: 20_000 })
  if (SHOTS) await member.screenshot({ path: `${SHOTS}/recording-phone-en.png`, fullPage: true })
  await form.getByRole('button', { name: 'Stop' }).click()
  await expect(form.locator('[data-recorder-preview]')).toBeVisible()
  if (SHOTS) await member.screenshot({ path: `${SHOTS}/preview-phone-en.png`, fullPage: true })
  await en.close()

  // The camera refused: a clear message; choosing a file still works.
  const refused = await phone(browser, 'zh-CN')
  await refused.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))
  })
  const denied = await refused.newPage()
  await signIn(denied, 'wu.min@example.com')
  await denied.goto(group)
  await chooseLanguage(denied, 'zh-CN')
  await submitForm(denied).getByRole('button', { name: '打开摄像头' }).click()
  await expect(submitForm(denied).getByRole('alert')).toHaveText(/摄像头或麦克风已被阻止/)
  await expect(submitForm(denied).locator('input[type="file"]')).toBeEnabled()
  if (SHOTS) await denied.screenshot({ path: `${SHOTS}/denied-phone-zh-CN.png`, fullPage: true })
  await refused.close()

  // A browser without MediaRecorder: no recorder, a note, the file upload.
  const old = await phone(browser, 'en-US')
  await old.addInitScript(() => {
    delete (window as { MediaRecorder?: unknown }).MediaRecorder
  })
  const legacy = await old.newPage()
  await signIn(legacy, 'zheng.hao@example.com')
  await legacy.goto(group)
  await chooseLanguage(legacy, 'en')
  await expect(submitForm(legacy).locator('[data-recorder="unsupported"]')).toHaveText(/This browser cannot record video/)
  await expect(submitForm(legacy).getByRole('button', { name: 'Turn on the camera' })).toHaveCount(0)
  await expect(submitForm(legacy).locator('input[type="file"]')).toBeEnabled()
  await old.close()
})
