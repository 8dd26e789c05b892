import path from 'node:path'
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { courseModules, courses, enrolments, groupAssignments, moduleProgress } from '#db/schema'
import { loadContent } from '~/modules/courses/content.server'
import { importContent } from '~/modules/courses/course-import.server'
import { formGroups, getGroupBoard } from '~/modules/groups/groups.server'
import { caseCohort, localIn, slidesFile } from '../../../tests/setup/case-analysis'
import { addVersion, assignCases, ensureDefaultRubric } from './assignments.server'
import { markPresented } from './grading.server'

describe('course-module kind case-analysis', () => {
  let c: Awaited<ReturnType<typeof caseCohort>>
  beforeAll(async () => {
    c = await caseCohort()
  }, 180_000)

  it('completes for a member when their group has submitted and presented, not before', async () => {
    await importContent(db, { content: await loadContent(path.resolve('tests/fixtures/content/case-analysis')), publishNew: true })
    const [course] = await db.select().from(courses).where(eq(courses.contentId, 'case-course'))
    const [module] = await db.select().from(courseModules).where(eq(courseModules.courseId, course.id))
    const person = c.people[0]
    await db.insert(enrolments).values({ courseId: course.id, userId: person.id })
    await formGroups(c.trainer, c.session1, { intent: 'form', method: 'random', by: 'count', value: 2, seniority: false })
    const group = (await getGroupBoard(c.trainer, c.session1)).groups.find((g) => g.members.some((m) => m.userId === person.id))!
    const [theCase] = await db.query.cases.findMany({ limit: 1 })
    await assignCases(c.trainer, c.session1, {
      intent: 'assign',
      mode: 'same',
      caseId: theCase.id,
      cases: {},
      dueAt: localIn(48),
      rubricId: (await ensureDefaultRubric()).id,
      peerRatings: false,
      contributionRatings: false,
      presentMinutes: 10,
    })
    const [a] = await db.select().from(groupAssignments).where(eq(groupAssignments.groupId, group.id))
    const progress = async () =>
      (
        await db
          .select()
          .from(moduleProgress)
          .where(and(eq(moduleProgress.userId, person.id), eq(moduleProgress.moduleId, module.id)))
      )[0]

    const uploader = c.people.find((p) => p.id === group.members[group.members.length - 1].userId)!
    const file = await slidesFile(uploader)
    await db.transaction((tx) => addVersion(tx, uploader, a.id, file))
    expect((await progress())?.status ?? 'not_started').not.toBe('completed')
    await markPresented(c.trainer, a.id)
    expect((await progress())?.status).toBe('completed')
    const [enrolment] = await db
      .select()
      .from(enrolments)
      .where(and(eq(enrolments.userId, person.id), eq(enrolments.courseId, course.id)))
    expect(enrolment.completedAt).not.toBeNull()
  })
})
