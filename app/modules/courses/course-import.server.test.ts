import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { courseModules, courses, enrolments, moduleProgress } from '#db/schema'
import { createPerson } from '../../../tests/setup/fixtures'
import { loadContent } from './content.server'
import { ContentProblemsError, importContent } from './course-import.server'

/** A private copy of the fixture course that a test may edit. */
function fixtureCopy() {
  const dir = mkdtempSync(path.join(tmpdir(), 'genjin-content-'))
  cpSync(path.resolve('tests/fixtures/content/valid'), dir, { recursive: true })
  return dir
}

async function modulesOf(contentId: string) {
  const [course] = await db.select().from(courses).where(eq(courses.contentId, contentId))
  const rows = await db.select().from(courseModules).where(eq(courseModules.courseId, course.id))
  return { course, modules: new Map(rows.map((m) => [m.contentId, m])) }
}

describe('importContent', () => {
  it('imports the real courses once; a second run with unchanged files changes nothing', async () => {
    const first = await importContent(db, { publishNew: true })
    expect(first.courses).toEqual({ created: 2, updated: 0, unchanged: 0, retired: 0 })
    expect(first.modules.created).toBe(26)
    const { course, modules } = await modulesOf('managers-follow-up')
    expect(course.status).toBe('published')
    expect(modules.size).toBe(19)
    const quiz = modules.get('quiz-key-points-1-3')!
    expect(quiz.kind).toBe('quiz')
    expect(quiz.settings.questions?.length).toBeGreaterThan(0)
    expect(quiz.settings.passMark).toBe(80)
    expect(modules.get('compare-two-follow-ups')).toMatchObject({ kind: 'video', settings: { ref: 'follow-up-negative', pair: 'follow-up-positive' } })
    expect(modules.get('classroom-workshop')).toMatchObject({ kind: 'session', settings: { ref: 'follow-up-workshop' } })

    const before = await db.select({ id: courseModules.id, updatedAt: courseModules.updatedAt, version: courseModules.version }).from(courseModules)
    const second = await importContent(db, { publishNew: true })
    expect(second.courses).toEqual({ created: 0, updated: 0, unchanged: 2, retired: 0 })
    expect(second.modules).toEqual({ created: 0, updated: 0, unchanged: 26, retired: 0 })
    const after = await db.select({ id: courseModules.id, updatedAt: courseModules.updatedAt, version: courseModules.version }).from(courseModules)
    expect(after).toEqual(expect.arrayContaining(before))
  })

  it('updates an edited lesson in place with a new version, keeping everyone’s progress', async () => {
    const dir = fixtureCopy()
    try {
      await importContent(db, { content: await loadContent(dir) })
      const { course, modules } = await modulesOf('good-course')
      const lesson = modules.get('welcome')!
      const learner = await createPerson()
      const [enrolment] = await db.insert(enrolments).values({ courseId: course.id, userId: learner.id }).returning()
      await db
        .insert(moduleProgress)
        .values({ enrolmentId: enrolment.id, userId: learner.id, moduleId: lesson.id, status: 'completed', completedAt: new Date(), completedVersion: 1 })

      writeFileSync(path.join(dir, 'good-course/modules/01-welcome/en.md'), 'An opening paragraph, now rewritten.\n')
      const summary = await importContent(db, { content: await loadContent(dir) })
      expect(summary.modules).toEqual({ created: 0, updated: 1, unchanged: 3, retired: 0 })

      const edited = (await modulesOf('good-course')).modules.get('welcome')!
      expect(edited.id).toBe(lesson.id)
      expect(edited.version).toBe(2)
      expect(edited.body?.en).toBe('An opening paragraph, now rewritten.\n')
      const [progress] = await db.select().from(moduleProgress).where(eq(moduleProgress.userId, learner.id))
      expect(progress).toMatchObject({ moduleId: lesson.id, status: 'completed', completedVersion: 1 })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('retires a module removed from the files and brings it back when it returns', async () => {
    const dir = fixtureCopy()
    const held = mkdtempSync(path.join(tmpdir(), 'genjin-held-'))
    try {
      await importContent(db, { content: await loadContent(dir) })
      const quizId = (await modulesOf('good-course')).modules.get('check')!.id
      cpSync(path.join(dir, 'good-course/modules/02-check'), path.join(held, '02-check'), { recursive: true })
      rmSync(path.join(dir, 'good-course/modules/02-check'), { recursive: true })

      const summary = await importContent(db, { content: await loadContent(dir) })
      expect(summary.modules.retired).toBe(1)
      const retired = (await modulesOf('good-course')).modules.get('check')!
      expect(retired.id).toBe(quizId)
      expect(retired.retiredAt).not.toBeNull()

      cpSync(path.join(held, '02-check'), path.join(dir, 'good-course/modules/02-check'), { recursive: true })
      await importContent(db, { content: await loadContent(dir) })
      const back = (await modulesOf('good-course')).modules.get('check')!
      expect(back).toMatchObject({ id: quizId, retiredAt: null, version: 1 })
    } finally {
      rmSync(dir, { recursive: true, force: true })
      rmSync(held, { recursive: true, force: true })
    }
  })

  it('refuses to import anything when the files have problems', async () => {
    const dir = fixtureCopy()
    try {
      await importContent(db, { content: await loadContent(dir) })
      writeFileSync(path.join(dir, 'good-course/modules/01-welcome/module.yaml'), 'id: welcome\nkind: lesson\n')
      writeFileSync(path.join(dir, 'good-course/modules/03-prep/en.md'), 'Changed, but must not be imported.\n')
      const content = await loadContent(dir)
      expect(content.problems.length).toBeGreaterThan(0)
      await expect(importContent(db, { content })).rejects.toThrow(ContentProblemsError)
      const { modules } = await modulesOf('good-course')
      expect(modules.get('welcome')!.retiredAt).toBeNull()
      expect(modules.get('prep')!.version).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('imports placeholders as optional unless the file requires them', async () => {
    const dir = fixtureCopy()
    try {
      await importContent(db, { content: await loadContent(dir) })
      const video = (await modulesOf('good-course')).modules.get('video')!
      expect(video).toMatchObject({ kind: 'video', required: false, settings: { ref: 'follow-up-positive', pair: 'follow-up-negative' } })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
