import path from 'node:path'
import { eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { courseModules, courses, departments } from '#db/schema'
import { loadContent } from '~/modules/courses/content.server'
import { importContent } from '~/modules/courses/course-import.server'

/** Imports the fixture course (tests/fixtures/content/valid: lesson, quiz, prep sheet, video) once per database. */
export async function fixtureCourse() {
  let [course] = await db.select().from(courses).where(eq(courses.contentId, 'good-course'))
  if (!course) {
    await importContent(db, { content: await loadContent(path.resolve('tests/fixtures/content/valid')), publishNew: true })
    ;[course] = await db.select().from(courses).where(eq(courses.contentId, 'good-course'))
  }
  const rows = await db.select().from(courseModules).where(eq(courseModules.courseId, course.id))
  const modules = Object.fromEntries(rows.map((m) => [m.contentId, m]))
  return { course, modules }
}

/** The real courses from content/courses. */
export async function realCourses() {
  await importContent(db, { publishNew: true })
  const rows = await db.select().from(courses)
  return Object.fromEntries(rows.map((c) => [c.contentId, c]))
}

/** A department (and its parent chain by path), e.g. department('Sales/East'). */
export async function department(pathName: string, parentId?: string) {
  const name = pathName.split('/').pop()!
  const [row] = await db
    .insert(departments)
    .values({ name, path: pathName, parentId: parentId ?? null })
    .returning()
  return row
}
