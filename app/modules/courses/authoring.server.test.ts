import { and, asc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { translator } from '~/i18n'
import { courseModules, courses } from '#db/schema'
import { createPerson } from '../../../tests/setup/fixtures'
import { fixtureCourse } from '../../../tests/setup/courses'
import { importSampleVideos } from '~/modules/videos/content.server'
import { addModule, createCourse, getModuleEditor, moveModule, previewMarkdown, setModuleRetired, updateCourse, updateModule } from './authoring.server'
import type { CourseFormValue, ModuleFormValue } from './courses'

const courseForm = (contentId: string): CourseFormValue => ({
  contentId,
  audience: 'managers',
  titleEn: 'Coaching basics',
  titleZh: '辅导基础',
  descriptionEn: 'A short course written in the browser.',
  descriptionZh: '在浏览器里编写的短课程。',
  estimatedMinutes: 30,
})

async function modulesOf(key: string) {
  const [course] = await db.select().from(courses).where(eq(courses.contentId, key))
  return db.select().from(courseModules).where(eq(courseModules.courseId, course.id)).orderBy(asc(courseModules.position))
}

async function editorValues(key: string, moduleKey: string, hr: Awaited<ReturnType<typeof createPerson>>): Promise<ModuleFormValue> {
  const { module } = await getModuleEditor(hr, key, moduleKey)
  return { intent: 'save', ...module.values, ref: module.values.ref || undefined }
}

describe('authoring courses in the browser', () => {
  it('creates a draft course and refuses a taken id', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    expect(await createCourse(hr, courseForm('coaching-basics'))).toEqual({ ok: true, key: 'coaching-basics' })
    const [course] = await db.select().from(courses).where(eq(courses.contentId, 'coaching-basics'))
    expect(course).toMatchObject({ status: 'draft', contentHash: null, title: { en: 'Coaching basics', 'zh-CN': '辅导基础' } })
    expect(await createCourse(hr, courseForm('coaching-basics'))).toEqual({ ok: false, errors: { contentId: ['courses.author.idTaken'] } })
  })

  it('links a video module to a video of the library (its pair comes along) and refuses an unknown one', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    await importSampleVideos(db)
    await createCourse(hr, courseForm('with-video'))
    expect(await addModule(hr, 'with-video', { intent: 'add-module', contentId: 'watch', kind: 'video', titleEn: 'Watch', titleZh: '观看' })).toMatchObject({
      ok: true,
    })
    const values = await editorValues('with-video', 'watch', hr)
    expect(await updateModule(hr, 'with-video', 'watch', { ...values, ref: 'no-such-video' })).toMatchObject({
      ok: false,
      errors: { ref: ['courses.author.unknownVideo'] },
    })
    expect(await updateModule(hr, 'with-video', 'watch', { ...values, ref: 'follow-up-positive' })).toMatchObject({ ok: true })
    const [module] = (await modulesOf('with-video')).filter((m) => m.contentId === 'watch')
    expect(module.settings).toEqual({ ref: 'follow-up-positive', pair: 'follow-up-negative' })
  })

  it('keeps imported courses read-only: the files are their source', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    await fixtureCourse()
    expect(await updateCourse(hr, 'good-course', courseForm('good-course'))).toEqual({ ok: false, errors: { form: ['courses.author.imported'] } })
    expect(await moveModule(hr, 'good-course', 'check', 'up')).toEqual({ ok: false, error: 'courses.author.imported' })
  })

  it('adds modules that already pass the content checks, edits them with a new version, and rejects invalid content per field', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    await createCourse(hr, courseForm('edit-me'))
    expect(await addModule(hr, 'edit-me', { intent: 'add-module', contentId: 'welcome', kind: 'lesson', titleEn: 'Welcome', titleZh: '欢迎' })).toEqual({
      ok: true,
      moduleKey: 'welcome',
    })
    expect(await addModule(hr, 'edit-me', { intent: 'add-module', contentId: 'check', kind: 'quiz', titleEn: 'Check', titleZh: '小测' })).toMatchObject({
      ok: true,
    })
    expect(await addModule(hr, 'edit-me', { intent: 'add-module', contentId: 'welcome', kind: 'lesson', titleEn: 'Again', titleZh: '再来' })).toMatchObject({
      ok: false,
      errors: { contentId: ['courses.author.idTaken'] },
    })

    // Unchanged values save nothing.
    const lesson = await editorValues('edit-me', 'welcome', hr)
    expect(await updateModule(hr, 'edit-me', 'welcome', lesson)).toEqual({ ok: true, version: 1 })
    expect(await updateModule(hr, 'edit-me', 'welcome', { ...lesson, bodyEn: 'Welcome to **coaching**.\n\n## Why\n\nBecause.' })).toEqual({
      ok: true,
      version: 2,
    })
    const bad = await updateModule(hr, 'edit-me', 'welcome', { ...lesson, bodyEn: '# Title\n\n<b>raw</b>', bodyZh: '' })
    expect(bad.ok).toBe(false)
    if (bad.ok) return
    const en = translator('en')
    const zh = translator('zh-CN')
    expect(bad.errors.bodyEn.map((e) => en(e))).toEqual([
      'Line 1: use ## headings; the title comes from the module title.',
      'Line 3: raw HTML is not allowed; use Markdown.',
    ])
    expect(bad.errors.bodyEn.map((e) => zh(e))).toEqual(['第 1 行：请使用 ## 标题；一级标题来自模块标题。', '第 3 行：不能使用 HTML，请使用 Markdown。'])
    expect(zh(bad.errors.bodyZh[0])).toBe('正文为空。')
    expect(await updateModule(hr, 'edit-me', 'welcome', { ...lesson, keyPoints: '3, 11' })).toEqual({
      ok: false,
      errors: { keyPoints: ['authoring.keyPoints.invalid'] },
    })

    const quiz = await editorValues('edit-me', 'check', hr)
    expect(quiz.questions).toEqual([
      expect.objectContaining({
        id: 'q1',
        type: 'true_false',
        options: [expect.objectContaining({ id: 'true', correct: true }), expect.objectContaining({ id: 'false', correct: false })],
      }),
    ])
    expect(await updateModule(hr, 'edit-me', 'check', { ...quiz, passMark: 70 })).toEqual({ ok: true, version: 2 })
    const [, check] = await modulesOf('edit-me')
    expect(check.settings).toMatchObject({ passMark: 70, questions: [{ id: 'q1', answer: ['true'] }] })
  })

  it('reorders and retires modules', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    await createCourse(hr, courseForm('order-me'))
    for (const id of ['one', 'two', 'three']) await addModule(hr, 'order-me', { intent: 'add-module', contentId: id, kind: 'lesson', titleEn: id, titleZh: id })
    await moveModule(hr, 'order-me', 'three', 'up')
    expect((await modulesOf('order-me')).map((m) => m.contentId)).toEqual(['one', 'three', 'two'])
    await moveModule(hr, 'order-me', 'one', 'up')
    expect((await modulesOf('order-me')).map((m) => m.contentId)).toEqual(['one', 'three', 'two'])
    await setModuleRetired(hr, 'order-me', 'three', true)
    const [retired] = await db
      .select()
      .from(courseModules)
      .where(and(eq(courseModules.contentId, 'three')))
    expect(retired.retiredAt).not.toBeNull()
  })

  it('previews Markdown in both locales with the learners’ renderer', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    expect(await previewMarkdown(hr, { en: 'Hello <script>x</script>', zh: '**你好**' })).toEqual({
      en: '<p>Hello &lt;script&gt;x&lt;/script&gt;</p>\n',
      zh: '<p><strong>你好</strong></p>\n',
    })
  })

  it('is for HR admins only', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    expect(((await createCourse(trainer, courseForm('nope')).catch((e: unknown) => e)) as Response).status).toBe(403)
  })
})
