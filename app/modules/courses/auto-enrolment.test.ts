import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { departments, enrolments, users } from '#db/schema'
import { applyOrgImport, previewOrgImport } from '~/modules/org/org-import.server'
import { invitePerson, updatePerson } from '~/modules/org/people.server'
import { department, fixtureCourse } from '../../../tests/setup/courses'
import { createPerson } from '../../../tests/setup/fixtures'
import { assignCourse } from './enrolment.server'

async function enrolled(email: string, courseId: string) {
  const [person] = await db.select().from(users).where(eq(users.email, email))
  if (!person) return false
  const rows = await db
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.userId, person.id), eq(enrolments.courseId, courseId)))
  return rows.length === 1
}

describe('people who join an audience later are enrolled automatically', () => {
  it('enrols a newly imported person, an invited person and a person moved into the department', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const { course } = await fixtureCourse()
    const sales = await department('销售部')
    const assigned = await assignCourse(hr, course.id, { departmentId: sales.id })
    expect(assigned.ok).toBe(true)

    // Imported from an org chart into the department.
    const csv = ['工号,姓名,邮箱,部门,上级工号,角色', 'N100,新人甲,new.a@example.test,销售部/华东区,,员工'].join('\n')
    const preview = await previewOrgImport(hr, { filename: 'org.csv', bytes: new TextEncoder().encode(csv) })
    if (!preview.ok) throw new Error('preview failed')
    const applied = await applyOrgImport(hr, preview.preview.id, { deactivateMissing: false })
    expect(applied.ok).toBe(true)
    expect(await enrolled('new.a@example.test', course.id)).toBe(true)

    // Invited by HR straight into the department.
    const invited = await invitePerson(hr, { name: '新人乙', email: 'new.b@example.test', departmentId: sales.id, roles: ['employee'] }, 'http://genjin.test')
    expect(invited.ok).toBe(true)
    expect(await enrolled('new.b@example.test', course.id)).toBe(true)

    // Moved into the department by an edit.
    const mover = await createPerson({ email: 'mover@example.test' })
    expect(await enrolled('mover@example.test', course.id)).toBe(false)
    const moved = await updatePerson(hr, mover.id, { name: mover.name, email: mover.email, departmentId: sales.id, roles: ['employee'] })
    expect(moved.ok).toBe(true)
    expect(await enrolled('mover@example.test', course.id)).toBe(true)
  })

  it('withdraws people who leave the audience through an org import, and reactivates them when they come back', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const { course } = await fixtureCourse()
    const [support] = await db.select().from(departments).where(eq(departments.path, '客服部'))
    const service = support ?? (await department('客服部'))
    expect((await assignCourse(hr, course.id, { departmentId: service.id })).ok).toBe(true)
    const importRows = async (dept: string) => {
      const csv = ['工号,姓名,邮箱,部门,上级工号,角色', `N200,来回者,back.forth@example.test,${dept},,员工`].join('\n')
      const preview = await previewOrgImport(hr, { filename: 'org.csv', bytes: new TextEncoder().encode(csv) })
      if (!preview.ok) throw new Error('preview failed')
      expect((await applyOrgImport(hr, preview.preview.id, { deactivateMissing: false })).ok).toBe(true)
    }
    const enrolment = async () => {
      const [person] = await db.select().from(users).where(eq(users.email, 'back.forth@example.test'))
      const [row] = await db
        .select()
        .from(enrolments)
        .where(and(eq(enrolments.userId, person.id), eq(enrolments.courseId, course.id)))
      return row
    }
    await importRows('客服部/一组')
    const first = await enrolment()
    expect(first.unenrolledAt).toBeNull()
    await importRows('财务部')
    expect((await enrolment()).unenrolledAt).not.toBeNull()
    await importRows('客服部')
    expect(await enrolment()).toMatchObject({ id: first.id, unenrolledAt: null })
  })
})
