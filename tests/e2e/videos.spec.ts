import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

type Stop = { id: string; annotated: number; stoppedAt: number; overshootMs: number; wallDelayMs: number; rate: number; reason: string; overlayMs?: number }

const overlay = (page: Page) => page.getByTestId('breakpoint-overlay')

/** Runs code against the native <video> inside mux-player. */
async function onVideo<T>(page: Page, fn: string): Promise<T> {
  return page.evaluate(`(() => { const v = document.querySelector('mux-player').media.nativeEl; ${fn} })()`) as Promise<T>
}

async function playFrom(page: Page, time: number | null, rate = 1) {
  await onVideo(page, `v.muted = true; v.playbackRate = ${rate}; ${time === null ? '' : `v.currentTime = ${time};`} return v.play()`)
}

async function waitForStop(page: Page, id: string, timeout = 30_000) {
  await expect(overlay(page)).toHaveAttribute('data-breakpoint', id, { timeout })
  // Focus moves into the overlay (its heading).
  await expect(overlay(page).getByRole('heading', { level: 2 })).toBeFocused()
  expect(await onVideo<boolean>(page, 'return v.paused')).toBe(true)
}

async function lastStop(page: Page, id: string): Promise<Stop> {
  const stops = await page.evaluate(() => window.__genjinStops ?? [])
  const stop = [...stops].reverse().find((s) => s.id === id && s.reason === 'play')
  expect(stop, `a measured stop at ${id}`).toBeTruthy()
  return stop as Stop
}

test('a manager watches the negative example: stops at each breakpoint, required ones block, resume, completion', async ({ page, loginAs }) => {
  test.setTimeout(240_000)
  await loginAs('manager')
  await page.goto('/videos/follow-up-negative')
  await expect(page.getByTestId('learner-player')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 })
  // Six markers on the timeline; captions in the viewer's language only.
  await expect(page.locator('[data-testid^="marker-"]')).toHaveCount(6)
  expect(await onVideo<string[]>(page, "return [...v.textTracks].filter(t => t.mode === 'showing' && t.kind === 'captions').map(t => t.language)")).toEqual([
    'zh-CN',
  ])

  await playFrom(page, 0, 2)
  await waitForStop(page, 'neg-opening')
  // An optional breakpoint: Enter continues.
  await page.keyboard.press('Enter')
  await expect(overlay(page)).toHaveCount(0)

  // Required, with a question: Esc does not continue, nor does pressing play.
  await waitForStop(page, 'neg-facts')
  await page.keyboard.press('Escape')
  await expect(overlay(page)).toHaveAttribute('data-breakpoint', 'neg-facts')
  await onVideo(page, 'return v.play()').catch(() => {})
  await page.waitForTimeout(300)
  expect(await onVideo<boolean>(page, 'return v.paused')).toBe(true)
  await overlay(page).locator('input[value="b"]').check()
  await overlay(page)
    .getByRole('button', { name: /提交答案|Answer/ })
    .click()
  await expect(overlay(page).getByTestId('answer-reveal')).toContainText('回答正确')
  await overlay(page).getByTestId('acknowledge').click()
  await expect(overlay(page)).toHaveCount(0)

  // Predict, then reveal: the commentary shows only after the learner's own answer.
  await waitForStop(page, 'neg-obstacle')
  await expect(overlay(page).getByText(/张伟却打断她/)).toHaveCount(0)
  await overlay(page)
    .getByLabel(/你的预测|Your prediction/)
    .fill('先问她恒达新采购负责人的具体要求，再一起商量对策。')
  await overlay(page)
    .getByRole('button', { name: /保存并查看讲解|Save and reveal/ })
    .click()
  await expect(overlay(page).getByTestId('own-prediction')).toContainText('恒达新采购负责人')
  await expect(overlay(page).getByText(/张伟却打断她/)).toBeVisible()
  await overlay(page).getByTestId('continue').click()
  await waitForStop(page, 'neg-feedback')
  await page.keyboard.press('Escape')
  await expect(overlay(page)).toHaveAttribute('data-breakpoint', 'neg-feedback')
  await overlay(page).getByTestId('acknowledge').click()
  await expect(overlay(page)).toHaveCount(0)
  await page.waitForTimeout(500)

  // Seeking past the unfinished required breakpoint at 79.187 s stops there.
  await onVideo(page, 'v.currentTime = 85')
  await waitForStop(page, 'neg-next-steps')
  await expect(page.getByRole('status').filter({ hasText: /跳过了一个必做|skipped a required/ })).toBeVisible()
  expect(Math.abs((await onVideo<number>(page, 'return v.currentTime')) - 79.187)).toBeLessThan(0.05)

  // Go back to where we were and reload: the player resumes there.
  const saved = page.waitForResponse(
    (r) => /\/videos\/follow-up-negative\/progress(\.data)?(\?|$)/.test(r.url()) && (r.request().postData() ?? '').includes('"position":64'),
  )
  await onVideo(page, 'v.currentTime = 64')
  await expect(overlay(page)).toHaveCount(0)
  await saved
  await page.reload()
  await expect(page.getByTestId('learner-player')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 })
  await expect(page.getByRole('status').filter({ hasText: /继续|Resuming/ })).toBeVisible()
  expect(await onVideo<number>(page, 'return v.currentTime')).toBeGreaterThan(62)

  await playFrom(page, null, 2)
  await waitForStop(page, 'neg-autonomy')
  await page.keyboard.press('Enter')
  await waitForStop(page, 'neg-next-steps')
  for (const id of ['a', 'b', 'c']) await overlay(page).locator(`input[value="${id}"]`).check()
  await overlay(page)
    .getByRole('button', { name: /提交答案|Answer/ })
    .click()
  await expect(overlay(page).getByTestId('answer-reveal')).toBeVisible()
  await overlay(page).getByTestId('acknowledge').click()
  await expect.poll(() => onVideo<boolean>(page, 'return v.ended'), { timeout: 20_000 }).toBe(true)
  // Completion is the server's verdict (shown from its reply to the progress posts).
  await expect(page.getByTestId('progress-summary')).toHaveAttribute('data-completed', 'true', { timeout: 15_000 })
  await page.goto('/videos')
  await expect(page.getByTestId('video-follow-up-negative')).toContainText('已完成')
  // The managers' course has this video as a module: watching it completed the module too.
  await page.goto('/learn/managers-follow-up')
  await expect(page.locator('[data-module="compare-two-follow-ups"]')).toHaveAttribute('data-status', 'completed')
})

test('pause accuracy at normal speed: the video stops within 100 ms of the annotated time', async ({ page, loginAs }) => {
  test.setTimeout(120_000)
  await loginAs('hr_admin')
  await page.goto('/videos/follow-up-positive')
  await expect(page.getByTestId('learner-player')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 })
  // Optional breakpoints only (pos-opening 22.75, pos-obstacle 58.522, pos-autonomy 87.918): nothing blocks the seeks.
  // Seeking past the required ones would stop there, so answer them first by jumping to them.
  const measured: Stop[] = []
  for (const [id, time] of [['pos-opening', 22.75]] as const) {
    await playFrom(page, time - 1.5, 1)
    await waitForStop(page, id)
    measured.push(await lastStop(page, id))
    await page.keyboard.press('Escape')
  }
  // pos-facts (37.989) is required: it stops there at normal speed too.
  await playFrom(page, 36.5, 1)
  await waitForStop(page, 'pos-facts')
  measured.push(await lastStop(page, 'pos-facts'))
  for (const m of measured) {
    expect(m.rate).toBe(1)
    expect(m.overshootMs, `${m.id}: stopped ${m.overshootMs} ms after the annotated time`).toBeLessThanOrEqual(100)
    expect(m.overshootMs).toBeGreaterThan(-50)
    expect(m.wallDelayMs).toBeLessThanOrEqual(100)
  }
  console.log('pause accuracy (ms after annotated time):', measured.map((m) => `${m.id} ${m.overshootMs}`).join(', '))
})

test('a trainer adds, moves and deletes a breakpoint in the editor', async ({ page, loginAs }) => {
  test.setTimeout(120_000)
  await loginAs('trainer')
  await page.goto('/videos/follow-up-positive/edit')
  await expect(page.getByTestId('breakpoint-editor')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 })
  await onVideo(page, 'v.currentTime = 10')
  await expect(page.getByTestId('playhead')).toHaveAttribute('data-time', '10.000')
  // The sample is 5 fps: one frame is 0.2 s.
  await page.getByRole('button', { name: /\+ 1 (帧|frame)/ }).click()
  await expect(page.getByTestId('playhead')).toHaveAttribute('data-time', '10.200')
  await page.getByRole('button', { name: /\+ 0\.1/ }).click()
  await expect(page.getByTestId('playhead')).toHaveAttribute('data-time', '10.300')

  await page.getByTestId('add-breakpoint').click()
  const form = page.getByTestId('breakpoint-form')
  await expect(form.locator('input[name="timeSeconds"]')).toHaveValue('10.300')
  await form.locator('input[name="title.zh-CN"]').fill('开场前的沉默')
  // Saving without the English title is refused with a field error; nothing is stored.
  await page.getByTestId('save-breakpoint').click()
  await expect(form.locator('[data-error-for="title.en"]')).toBeVisible()
  await form.locator('input[name="title.en"]').fill('Silence before the start')
  await form.locator('textarea[name="commentary.zh-CN"]').fill('注意李娜进门前的表情。')
  await form.locator('textarea[name="commentary.en"]').fill('Watch Li Na’s face as she comes in.')
  await form.getByLabel(/学员必须确认已阅读|must acknowledge/).check()
  await page.getByTestId('save-breakpoint').click()
  await expect(page.getByTestId('editor-status')).toContainText('开场前的沉默')
  const marker = page.locator('[data-testid^="marker-follow-up-positive-"]')
  await expect(marker).toHaveCount(1)
  await expect(marker).toHaveAttribute('data-time', '10.3')

  // Drag the marker to about 15 s.
  const bar = (await page.getByTestId('timeline').boundingBox())!
  const box = (await marker.boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(bar.x + (bar.width * 15) / 113.4, box.y + box.height / 2, { steps: 8 })
  await page.mouse.up()
  await expect(page.getByTestId('editor-status')).toContainText('开场前的沉默')
  await expect.poll(async () => Number(await marker.getAttribute('data-time'))).toBeGreaterThan(14.3)
  expect(Number(await marker.getAttribute('data-time'))).toBeLessThan(15.7)
  // Stored: still there after a reload.
  await page.reload()
  await expect(page.getByTestId('breakpoint-editor')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 })
  await expect.poll(async () => Number(await marker.getAttribute('data-time'))).toBeGreaterThan(14.3)

  await page.locator('[data-testid^="edit-follow-up-positive-"]').click()
  page.once('dialog', (d) => d.accept())
  await page.getByTestId('delete-breakpoint').click()
  await expect(page.getByTestId('editor-status')).toContainText(/已删除|deleted/)
  await expect(marker).toHaveCount(0)
  await page.reload()
  await expect(page.locator('[data-testid^="marker-"]')).toHaveCount(6)
})

test('a trainer presents with the keyboard; the presenter window follows and saves a live note learners see', async ({ page, context, loginAs }) => {
  test.setTimeout(120_000)
  await loginAs('trainer')
  await page.goto('/videos/follow-up-negative/present')
  const stage = page.getByTestId('present-stage')
  await expect(stage).toHaveAttribute('data-ready', 'true', { timeout: 30_000 })
  const [presenter] = await Promise.all([context.waitForEvent('page'), page.getByTestId('open-presenter').click()])
  await expect(presenter.getByTestId('presenter-view')).toHaveAttribute('data-connected', 'true', { timeout: 30_000 })

  await onVideo(page, 'v.muted = true; v.currentTime = 19')
  await page.keyboard.press('Space')
  await expect(page.getByTestId('present-commentary')).toHaveAttribute('data-breakpoint', 'neg-opening', { timeout: 15_000 })
  await expect(page.getByTestId('present-commentary').getByRole('heading')).toHaveText('临时“突袭”式谈话')
  await expect(presenter.getByTestId('presenter-current')).toContainText('临时“突袭”式谈话')

  await page.keyboard.press('n')
  await expect(page.getByTestId('present-commentary')).toHaveAttribute('data-breakpoint', 'neg-facts')
  await page.keyboard.press('p')
  await expect(page.getByTestId('present-commentary')).toHaveAttribute('data-breakpoint', 'neg-opening')
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('present-commentary')).toHaveCount(0)
  expect(await onVideo<boolean>(page, 'return v.paused')).toBe(false)
  await page.keyboard.press('n')
  await expect(page.getByTestId('present-commentary')).toHaveAttribute('data-breakpoint', 'neg-facts')
  // ← replays the lead-in to the previous breakpoint, which stops there again.
  await page.keyboard.press('ArrowLeft')
  await expect(page.getByTestId('present-commentary')).toHaveCount(0)
  expect(await onVideo<number>(page, 'return v.currentTime')).toBeLessThan(20)
  await expect(page.getByTestId('present-commentary')).toHaveAttribute('data-breakpoint', 'neg-opening', { timeout: 15_000 })
  await expect(presenter.getByTestId('presenter-time')).toHaveAttribute('data-breakpoint', 'neg-opening')

  // A live note typed in the presenter window at this moment.
  await presenter.getByRole('textbox').fill('问问大家：你们上一次临时叫人谈话是什么时候？')
  await presenter.getByRole('button', { name: /保存笔记|Save note/ }).click()
  await expect(presenter.getByTestId('note-saved')).toContainText('0:20.91')
  await expect(presenter.getByTestId('presenter-notes')).toContainText('临时叫人谈话')

  await page.goto('/videos/follow-up-negative')
  await expect(page.getByTestId('trainer-notes')).toContainText('临时叫人谈话')
})

test('a trainer uploads a video in chunks; a non-video named .mp4 is refused', async ({ page, loginAs }, testInfo) => {
  test.setTimeout(120_000)
  await loginAs('trainer')
  await page.goto('/videos/new')
  const fake = testInfo.outputPath('not-a-video.mp4')
  const { writeFileSync } = await import('node:fs')
  writeFileSync(fake, Buffer.alloc(200_000, 'A'))
  await page.locator('input[type=file]').first().setInputFiles(fake)
  await expect(page.getByTestId('upload-error')).toContainText(/不是视频|not a video/)

  await page.goto('/videos/new')
  await page.locator('input[type=file]').first().setInputFiles('content/videos/follow-up-sample/negative.mp4')
  await expect(page.getByTestId('upload-done')).toBeVisible({ timeout: 30_000 })
  // Duration and poster come from the browser's own decoding of the file.
  await expect(page.getByTestId('measured-duration')).toHaveAttribute('data-duration', /^88\.\d/)
  await page.locator('input[name="title.zh-CN"]').fill('角色扮演录像')
  await page.locator('input[name="title.en"]').fill('Role-play recording')
  await page.locator('#vtt-en').fill('not a caption file')
  await expect(page.getByRole('alert').filter({ hasText: /WEBVTT/ })).toBeVisible()
  await page.locator('#vtt-en').fill('WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n')
  await page.getByTestId('create-video').click()
  await expect(page).toHaveURL(/\/videos\/upload-[a-f0-9]+\/edit$/)
  await expect(page.getByTestId('breakpoint-editor')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 })
})
