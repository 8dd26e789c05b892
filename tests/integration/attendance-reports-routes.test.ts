/**
 * The attendance report export through its route: real loader, real cookies, real database.
 */
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { markAttendance } from '~/modules/attendance/attendance.server'
import { inviteAudience } from '~/modules/sessions/invitations.server'
import * as exportRoute from '~/routes/reports.attendance.export'
import { createPerson, requestAs } from '../setup/fixtures'
import { scheduleSession } from '../setup/sessions'

const context = { clientIp: '127.0.0.1' }

async function outcome(run: () => Promise<unknown>) {
  try {
    return (await run()) as Response
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    throw thrown
  }
}

describe('attendance export route', () => {
  it('gives the session’s trainer an Excel file of the session, and refuses a lecturer who does not teach it', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const trainer = await createPerson({ roles: ['trainer'] })
    const lecturer = await createPerson({ roles: ['lecturer'] })
    const people = await Promise.all([createPerson({ name: '王芳 Wang Fang' }), createPerson({ name: 'Zed Absent' })])
    const { sessionId } = await scheduleSession(hr, { trainerIds: [trainer.id] })
    await inviteAudience(hr, sessionId, { userIds: people.map((p) => p.id) })
    await markAttendance(trainer, sessionId, people[0].id, 'present')
    await markAttendance(trainer, sessionId, people[1].id, 'absent', { now: new Date(Date.now() + 7 * 86_400_000) })
    const url = `/reports/attendance/export?view=session&session=${sessionId}&format=xlsx`

    const response = await outcome(async () => exportRoute.loader({ request: await requestAs(trainer, url), params: {}, context }))
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toContain('spreadsheetml')
    expect(response.headers.get('Content-Disposition')).toMatch(/attachment; filename="genjin-attendance-session-[\d-]+\.xlsx"/)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await response.arrayBuffer()) as ArrayBuffer)
    const sheet = workbook.getWorksheet(1)!
    const rows = [2, 3].map((r) => (sheet.getRow(r).values as unknown[]).slice(1))
    expect(rows.map((r) => [r[1], r[5]])).toEqual([
      ['Zed Absent', '缺席'],
      ['王芳 Wang Fang', '出席'],
    ])

    const refused = await outcome(async () => exportRoute.loader({ request: await requestAs(lecturer, url), params: {}, context }))
    expect(refused.status).toBe(403)
  })

  it('writes CSV with a byte-order mark by default', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const response = await outcome(async () =>
      exportRoute.loader({ request: await requestAs(hr, '/reports/attendance/export?view=department'), params: {}, context }),
    )
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  })
})
