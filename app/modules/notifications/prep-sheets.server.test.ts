import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { emails, notifications } from '#db/schema'
import { fixtureCourse } from '../../../tests/setup/courses'
import { createPerson } from '../../../tests/setup/fixtures'
import { assignCourse } from '~/modules/courses/enrolment.server'
import { sharePrepSheet } from '~/modules/courses/learning.server'
import { renderNotification } from './inbox.server'

describe('a shared prep sheet', () => {
  it('tells the manager, in the app and by email, in their language', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const manager = await createPerson({ roles: ['manager'], name: 'Grace Manager' })
    const employee = await createPerson({ managerId: manager.id, name: 'Leo Report' })
    const { course } = await fixtureCourse()
    await assignCourse(hr, course.id, { userIds: [employee.id] })
    expect(await sharePrepSheet(employee, 'good-course', 'prep', { progress: 'Half done', asks: 'A budget decision' })).toEqual({ ok: true, shared: true })

    const [note] = await db.select().from(notifications).where(eq(notifications.userId, manager.id))
    expect(note).toMatchObject({ kind: 'prep_sheet_shared', link: '/team' })
    expect(renderNotification('en', note.kind, note.params as Record<string, unknown>)).toBe('Leo Report shared a check-in preparation sheet with you.')
    const [mail] = await db.select().from(emails).where(eq(emails.toUserId, manager.id))
    expect(mail).toMatchObject({ kind: 'prep_sheet_shared', locale: 'zh-CN', subject: 'Leo Report与你分享了面谈准备表' })
  })
})
