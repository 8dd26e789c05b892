import { DEMO_EMAILS, expect, shanghaiWallTime, signInChinese, test } from './fixtures'

// Seeded managers no other spec uses: they attend this spec's own session.
const ATTENDEE = 'zhou.jie@example.com'
const ATTENDEE_NAME = '周杰'
const SILENT_ATTENDEE = 'wu.min@example.com'

test('an attendee answers the reaction survey anonymously on a phone; HR sees the averages without the name', async ({ page, browser }) => {
  test.setTimeout(120_000)
  const title = `跟进反馈课 ${Date.now().toString(36)}`
  // Ended an hour ago: the survey is open.
  const start = new Date(Date.now() - 3 * 3600_000)

  // HR schedules the session (a new one cannot start in the past), moves it to three hours ago,
  // and marks two people present on the roster.
  await signInChinese(page, DEMO_EMAILS.hr_admin)
  await page.goto('/sessions/new')
  const tomorrow = new Date(Date.now() + 86_400_000)
  await page.getByLabel('标题').fill(title)
  await page.getByLabel('开始时间').fill(shanghaiWallTime(tomorrow))
  await page.getByLabel('结束时间').fill(shanghaiWallTime(new Date(tomorrow.getTime() + 2 * 3600_000)))
  await page.getByLabel('地点').fill('上海总部 5 楼培训室')
  await page.getByLabel(/陈静/).check()
  await page.getByRole('button', { name: '安排', exact: true }).click()
  await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\?created=1/)
  const sessionPath = new URL(page.url()).pathname
  await page.getByText('编辑课次', { exact: true }).click()
  await page.getByLabel('开始时间').fill(shanghaiWallTime(start))
  await page.getByLabel('结束时间').fill(shanghaiWallTime(new Date(start.getTime() + 2 * 3600_000)))
  await page.getByRole('button', { name: '保存', exact: true }).click()
  await expect(page.getByRole('status').filter({ hasText: /已保存/ })).toBeVisible()
  await page.goto(`${sessionPath}/roster`)
  for (const email of [ATTENDEE, SILENT_ATTENDEE]) {
    // The walk-in form folds away; it may still be open after the first addition.
    if (!(await page.getByLabel('邮箱').isVisible())) await page.getByText('添加到场但不在名单中的人员').click()
    await page.getByLabel('邮箱').fill(email)
    await page.getByRole('button', { name: '添加并记为出席' }).click()
    await expect(page.getByRole('status').filter({ hasText: email === ATTENDEE ? ATTENDEE_NAME : '吴敏' })).toBeVisible()
  }

  // The attendee, on a phone, finds the survey under "My sessions".
  const phone = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  })
  const attendee = await phone.newPage()
  await signInChinese(attendee, ATTENDEE)
  await attendee.goto('/my/sessions')
  const card = attendee.getByRole('listitem').filter({ hasText: title })
  await card.getByRole('link', { name: /填写反馈/ }).click()
  await expect(attendee.getByRole('heading', { name: '课次反馈' })).toBeVisible()

  // Sending without ratings: a clear message per question, in Chinese.
  await attendee.getByRole('button', { name: '提交反馈' }).click()
  await expect(attendee.getByText('请选择 1 到 5 的评分')).toHaveCount(3)

  const content = attendee.getByRole('group', { name: '课程内容' })
  await content.getByText('很好', { exact: true }).click()
  await expect(content.getByRole('radio', { name: /^4/ })).toBeChecked()
  // The radio group works from the keyboard: the arrow moves the choice to 5.
  await content.getByRole('radio', { name: /^4/ }).focus()
  await attendee.keyboard.press('ArrowRight')
  await expect(content.getByRole('radio', { name: /^5/ })).toBeChecked()
  await attendee.getByRole('group', { name: '培训师' }).getByText('很好', { exact: true }).click()
  await attendee.getByRole('group', { name: '对我工作的帮助' }).getByText('好', { exact: true }).click()
  await expect(attendee.getByText('请选择 1 到 5 的评分')).toHaveCount(0)
  await attendee.getByLabel('评论（可选）').fill('案例很实用，希望多一些角色扮演。')
  await attendee.getByLabel('匿名提交').check()
  await attendee.screenshot({ path: '/tmp/survey-form-phone.png', fullPage: true })
  await attendee.getByRole('button', { name: '提交反馈' }).click()
  await expect(attendee.getByRole('status')).toHaveText('谢谢！您的反馈已提交。')

  // "My sessions" now says it is sent; opening the survey again does not take a second answer.
  await attendee.goto('/my/sessions')
  await expect(attendee.getByRole('listitem').filter({ hasText: title }).getByText('已提交反馈')).toBeVisible()
  await attendee.goto(`${sessionPath}/survey`)
  await expect(attendee.getByText('您已经对本课次提交过反馈')).toBeVisible()
  await expect(attendee.getByRole('button', { name: '提交反馈' })).toHaveCount(0)
  await phone.close()

  // HR opens the survey results from the navigation.
  await page.getByRole('navigation').getByRole('link', { name: '反馈结果' }).click()
  await expect(page.getByRole('heading', { name: '反馈结果', level: 1 })).toBeVisible()
  await page.getByRole('link', { name: title }).click()
  await expect(page.getByRole('heading', { name: `反馈结果：${title}` })).toBeVisible()
  await expect(page.getByText('2 名出席者中 1 人作答（50%）')).toBeVisible()
  await expect(page.getByTestId('average-content')).toHaveText('5.0')
  await expect(page.getByTestId('average-trainer')).toHaveText('4.0')
  await expect(page.getByTestId('average-usefulness')).toHaveText('3.0')
  const comments = page.getByRole('region', { name: '评论' })
  await expect(comments).toContainText('案例很实用，希望多一些角色扮演。')
  await expect(comments).toContainText('匿名')
  await expect(page.locator('main')).not.toContainText(ATTENDEE_NAME)
  await page.screenshot({ path: '/tmp/survey-results.png', fullPage: true })

  // The session page links to the results as well.
  await page.goto(sessionPath)
  await expect(page.getByRole('link', { name: '反馈结果' }).last()).toBeVisible()
})
