import { and, eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { emails, notifications, teamResults, users } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { listNotifications } from '~/modules/notifications/inbox.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { getEmployeeFollowUp, savePlan } from './plans.server'
import { planCalendarFor, sendFollowUpReminders } from './reminders.server'
import { importTeamResults } from './results-import.server'

let manager: CurrentUser
let employee: CurrentUser
let hr: CurrentUser

beforeAll(async () => {
  manager = await createPerson({ roles: ['manager'], name: 'Grace Manager', employeeNumber: 'M-100' })
  await db.update(users).set({ locale: 'en' }).where(eq(users.id, manager.id))
  manager = { ...manager, locale: 'en' }
  employee = await createPerson({ managerId: manager.id, name: '李雷' })
  await db.update(users).set({ locale: 'zh-CN' }).where(eq(users.id, employee.id))
  hr = await createPerson({ roles: ['hr_admin'] })
})

const mailsTo = (userIds: string[]) => db.select().from(emails).where(inArray(emails.toUserId, userIds))

describe('follow-up reminders and calendar', () => {
  it('reminds the manager (with the .ics) and the employee the day before, once, in their languages; then overdue', async () => {
    await savePlan(manager, { intent: 'plan', employeeId: employee.id, frequencyDays: 14, channel: 'one_on_one', nextDueOn: '2026-06-16', notes: '' })
    const dayBefore = new Date('2026-06-15T04:00:00Z')
    expect(await sendFollowUpReminders(new Date('2026-06-13T04:00:00Z'))).toEqual({ sent: 0 })
    expect(await sendFollowUpReminders(dayBefore)).toEqual({ sent: 2 })
    expect(await sendFollowUpReminders(dayBefore)).toEqual({ sent: 0 })
    const mails = await mailsTo([manager.id, employee.id])
    const toManager = mails.find((m) => m.toUserId === manager.id)!
    expect(toManager).toMatchObject({ kind: 'follow_up_due', locale: 'en' })
    expect(toManager.subject).toBe('Check-in with 李雷 on June 16, 2026')
    const ics = toManager.attachments![0].content
    const { next, plan } = await getEmployeeFollowUp(manager, employee.id, dayBefore)
    expect(ics).toContain(`UID:follow-up-plan-${plan!.id}@genjin`)
    expect(ics).toContain('DTSTART;TZID=Asia/Shanghai:20260616T100000')
    expect(ics).toContain('SEQUENCE:1')
    const toEmployee = mails.find((m) => m.toUserId === employee.id)!
    expect(toEmployee).toMatchObject({ kind: 'follow_up_prepare', locale: 'zh-CN' })
    expect(toEmployee.subject).toContain('Grace Manager')
    expect(next!.dueOn).toBe('2026-06-16')
    // In the app too, each in their own language, the date written as that language writes dates.
    expect((await listNotifications(manager, { locale: 'en' })).items.map((n) => [n.text, n.link])).toEqual([
      ['Check-in with 李雷 is due on Jun 16, 2026.', `/team/follow-up/${employee.id}`],
    ])
    expect((await listNotifications(employee, { locale: 'zh-CN' })).items.map((n) => [n.text, n.link])).toEqual([
      ['你与 Grace Manager 的面谈在 2026年6月16日：请用面谈准备表做准备。', '/my/follow-up'],
    ])

    // Past the grace days: overdue, to the manager only, once.
    const late = new Date('2026-06-19T04:00:00Z')
    expect(await sendFollowUpReminders(late)).toEqual({ sent: 1 })
    expect(await sendFollowUpReminders(late)).toEqual({ sent: 0 })
    const inApp = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, manager.id)))
    expect(inApp.map((n) => n.kind).sort()).toEqual(['follow_up_due', 'follow_up_overdue'])
  })

  it('moves the calendar entry with a rising SEQUENCE and the same UID', async () => {
    const before = await planCalendarFor(manager, employee.id)
    await savePlan(manager, { intent: 'plan', employeeId: employee.id, frequencyDays: 14, channel: 'one_on_one', nextDueOn: '2026-06-20', notes: '' })
    const after = await planCalendarFor(manager, employee.id)
    expect(before).toContain('SEQUENCE:1')
    expect(after).toContain('SEQUENCE:2')
    expect(after).toContain('DTSTART;TZID=Asia/Shanghai:20260620T100000')
    expect(after.match(/UID:.*/)![0]).toBe(before.match(/UID:.*/)![0])
    expect(await planCalendarFor(employee, employee.id).catch((r: Response) => r.status)).toBe(403)
  })
})

describe('level-4 import', () => {
  const csv = (text: string) => ({ filename: 'results.csv', bytes: new TextEncoder().encode(text) })

  it('imports a team figure per manager and month, all or nothing', async () => {
    const bad = await importTeamResults(hr, csv(`经理工号,月份,团队绩效\nM-100,2026-03,91.5\nnobody,2026-13,abc\n`))
    expect(bad).toEqual({
      ok: false,
      errors: [
        { key: 'followup.import.unknownManager', vars: { row: 3, value: 'nobody' } },
        { key: 'followup.import.badPeriod', vars: { row: 3, value: '2026-13' } },
        { key: 'followup.import.badValue', vars: { row: 3, value: 'abc' } },
      ],
    })
    expect(await db.select().from(teamResults)).toEqual([])
    expect(await importTeamResults(hr, csv(`manager,period,value\nM-100,2026年3月,91.5\n${manager.email},2026/04,"1,002"\n`))).toEqual({
      ok: true,
      imported: 2,
    })
    const rows = await db.select({ period: teamResults.period, value: teamResults.value }).from(teamResults).orderBy(teamResults.period)
    expect(rows).toEqual([
      { period: '2026-03-01', value: '91.50' },
      { period: '2026-04-01', value: '1002.00' },
    ])
    expect(await importTeamResults(manager, csv('manager,period,value\n')).catch((r: Response) => r.status)).toBe(403)
  })

  it('imports an Excel workbook, where a month typed as 2026-05 has become a date cell', async () => {
    const { default: ExcelJS } = await import('exceljs')
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('绩效')
    sheet.addRow(['2026 年团队绩效']) // a title above the header, as exports have
    sheet.addRow(['经理工号', '月份', '团队绩效'])
    sheet.addRow(['M-100', new Date(Date.UTC(2026, 4, 1)), 88.25]).getCell(2).numFmt = 'yyyy-mm'
    sheet.addRow(['M-100', '2026-06', 90])
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer())
    expect(await importTeamResults(hr, { filename: 'results.xlsx', bytes })).toEqual({ ok: true, imported: 2 })
    const rows = await db
      .select({ period: teamResults.period, value: teamResults.value })
      .from(teamResults)
      .where(inArray(teamResults.period, ['2026-05-01', '2026-06-01']))
      .orderBy(teamResults.period)
    expect(rows).toEqual([
      { period: '2026-05-01', value: '88.25' },
      { period: '2026-06-01', value: '90.00' },
    ])
  })
})
