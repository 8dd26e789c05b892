/**
 * The person and session views of the attendance report come a page at a time (issue 10 item 8:
 * rendering thousands of rows held the event loop), through the real route loaders; the exports
 * still have everyone. 100 people in one department (exactly two pages), 3 in another.
 */
import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { sessions, userRoles, users } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { markAttendance } from '~/modules/attendance/attendance.server'
import { REPORT_PAGE_SIZE } from '~/modules/attendance/reports.server'
import { ensureDepartmentPath } from '~/modules/org/departments.server'
import { inviteAudience } from '~/modules/sessions/invitations.server'
import * as exportRoute from '~/routes/reports.attendance.export'
import * as reportRoute from '~/routes/reports.attendance._index'
import { createPerson, requestAs } from '../setup/fixtures'
import { scheduleSession } from '../setup/sessions'

const context = { clientIp: '127.0.0.1' }

let hr: CurrentUser
let sessionId: string
let bigDepartment: string
let bigNames: string[]
const BIG = 2 * REPORT_PAGE_SIZE

async function page(url: string) {
  const data = await reportRoute.loader({ request: await requestAs(hr, url), params: {}, context })
  return data as Exclude<Awaited<ReturnType<typeof reportRoute.loader>>, Response>
}

beforeAll(async () => {
  hr = await createPerson({ roles: ['hr_admin'] })
  const trainer = await createPerson({ roles: ['trainer'] })
  const tag = randomUUID().slice(0, 8)
  bigDepartment = await ensureDepartmentPath(db, [`Paging ${tag}`, 'Sales'])
  const smallDepartment = await ensureDepartmentPath(db, [`Paging ${tag}`, 'Legal'])
  // Names that sort differently from insertion order, and two people with the same name (the email breaks the tie).
  const big = await db
    .insert(users)
    .values(
      Array.from({ length: BIG }, (_, i) => ({
        name: i === 7 || i === 8 ? '同名 Same Name' : `员工 ${String((i * 37) % BIG).padStart(3, '0')}`,
        email: `paging-${tag}-${i}@example.test`,
        departmentId: bigDepartment,
      })),
    )
    .returning({ id: users.id, name: users.name, email: users.email })
  const small = await db
    .insert(users)
    .values(Array.from({ length: 3 }, (_, i) => ({ name: `Legal ${i}`, email: `paging-${tag}-legal-${i}@example.test`, departmentId: smallDepartment })))
    .returning({ id: users.id })
  await db.insert(userRoles).values([...big, ...small].map((p) => ({ userId: p.id, role: 'employee' as const })))
  bigNames = big.sort((a, b) => (a.name === b.name ? (a.email < b.email ? -1 : 1) : a.name < b.name ? -1 : 1)).map((p) => p.email)
  ;({ sessionId } = await scheduleSession(hr, { trainerIds: [trainer.id] }))
  await inviteAudience(hr, sessionId, { userIds: [...big, ...small].map((p) => p.id) })
  // Invited while it was ahead; the reports count it once it has started, so it moves to yesterday.
  const startsAt = new Date(Date.now() - 86_400_000)
  await db
    .update(sessions)
    .set({ startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000) })
    .where(eq(sessions.id, sessionId))
  for (const p of big.slice(0, 5)) await markAttendance(trainer, sessionId, p.id, 'present')
  await markAttendance(trainer, sessionId, small[0].id, 'late')
})

describe('the person view, a page at a time', () => {
  it('counts everyone in the filter, shows the page size on each page, and the pages together are everyone once, in order', async () => {
    const base = `/reports/attendance?view=person&department=${bigDepartment}`
    const first = await page(base)
    expect(first.paging).toEqual({ page: 1, pageSize: REPORT_PAGE_SIZE, total: BIG, pages: 2 })
    expect(first.people).toHaveLength(REPORT_PAGE_SIZE)
    const second = await page(`${base}&page=2`)
    expect(second.paging).toMatchObject({ page: 2, total: BIG, pages: 2 })
    expect(second.people).toHaveLength(REPORT_PAGE_SIZE)
    // The filter holds on every page: nobody from the other department, nobody twice, sorted by name then email.
    expect([...first.people!, ...second.people!].map((p) => p.email)).toEqual(bigNames)
    expect(second.filters).toMatchObject({ view: 'person', department: bigDepartment, page: 2 })
  })

  it('shows the last page for a page past the end, and page 1 for a page that is no number', async () => {
    const base = `/reports/attendance?view=person&department=${bigDepartment}`
    const beyond = await page(`${base}&page=3`)
    expect(beyond.paging).toMatchObject({ page: 2, total: BIG, pages: 2 })
    expect(beyond.people?.at(-1)?.email).toBe(bigNames.at(-1))
    const huge = await page(`${base}&page=100000000000000000000`)
    expect(huge.paging).toMatchObject({ page: 1 })
    const garbage = await page(`${base}&page=abc`)
    expect(garbage.paging).toMatchObject({ page: 1, total: BIG })
  })

  it('exports everyone, whatever page the screen was on', async () => {
    const request = await requestAs(hr, `/reports/attendance/export?view=person&department=${bigDepartment}&page=2&format=csv`)
    const response = (await exportRoute.loader({ request, params: {}, context })) as Response
    const lines = (await response.text()).trim().split('\r\n')
    expect(lines).toHaveLength(1 + BIG)
  })
})

describe('the session view, a page at a time', () => {
  it('tallies everyone on every page, and the last page holds the rest', async () => {
    const base = `/reports/attendance?view=session&session=${sessionId}`
    const first = await page(base)
    expect(first.paging).toEqual({ page: 1, pageSize: REPORT_PAGE_SIZE, total: BIG + 3, pages: 3 })
    expect(first.report?.people).toHaveLength(REPORT_PAGE_SIZE)
    const last = await page(`${base}&page=3`)
    expect(last.report?.people).toHaveLength(3)
    const expected = { present: 5, late: 1, excused: 0, absent: 0, unmarked: BIG + 3 - 6 }
    expect(first.report?.tally).toEqual(expected)
    expect(last.report?.tally).toEqual(expected)
    const all = [first, await page(`${base}&page=2`), last].flatMap((p) => p.report!.people.map((r) => r.userId))
    expect(new Set(all).size).toBe(BIG + 3)
  })

  it('exports the whole session', async () => {
    const request = await requestAs(hr, `/reports/attendance/export?view=session&session=${sessionId}&page=3&format=csv`)
    const response = (await exportRoute.loader({ request, params: {}, context })) as Response
    expect((await response.text()).trim().split('\r\n')).toHaveLength(1 + BIG + 3)
  })
})
