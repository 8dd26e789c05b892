import { beforeAll, describe, expect, it } from 'vitest'
import type { CurrentUser } from '~/modules/auth/permissions'
import { getEmployeeFollowUp, savePlan } from '~/modules/followup/plans.server'
import * as adminRoute from '~/routes/admin.follow-up._index'
import * as myRoute from '~/routes/my.follow-up'
import * as draftRoute from '~/routes/team_.follow-up.draft'
import * as employeeRoute from '~/routes/team_.follow-up.$employeeId'
import { createPerson, postAs, requestAs, settle } from '../setup/fixtures'

let manager: CurrentUser
let employee: CurrentUser
let hr: CurrentUser
let openId: string

const context = { clientIp: '127.0.0.1' }
const status = (r: unknown) => (r instanceof Response ? r.status : 200)

beforeAll(async () => {
  manager = await createPerson({ roles: ['manager'] })
  employee = await createPerson({ managerId: manager.id })
  hr = await createPerson({ roles: ['hr_admin'] })
  await savePlan(manager, { intent: 'plan', employeeId: employee.id, frequencyDays: 14, channel: 'one_on_one', nextDueOn: '2026-01-05', notes: '' })
  openId = (await getEmployeeFollowUp(manager, employee.id)).next!.id
})

describe('follow-up actions refuse malformed input with 400', () => {
  const url = () => `/team/follow-up/${employee.id}`
  const postPlan = async (fields: Record<string, string>) =>
    settle(async () => employeeRoute.action({ request: await postAs(manager, url(), fields), params: { employeeId: employee.id }, context }))

  it('on the manager’s page', async () => {
    expect(status(await postPlan({ intent: 'bogus' }))).toBe(400)
    expect(status(await postPlan({ intent: 'plan', frequencyDays: 'abc', channel: 'call', nextDueOn: '2026-02-01' }))).toBe(400)
    expect(status(await postPlan({ intent: 'plan', frequencyDays: '7', channel: 'fax', nextDueOn: '2026-02-30' }))).toBe(400)
    expect(status(await postPlan({ intent: 'log', checkInId: 'nope', heldOn: '2026-01-05', progress: 'x' }))).toBe(400)
    expect(status(await postPlan({ intent: 'log', checkInId: openId, heldOn: '2026-01-05', progress: 'a\u0000b' }))).toBe(400)
    expect(status(await postPlan({ intent: 'log', checkInId: openId, heldOn: '2026-01-05', progress: 'x'.repeat(5001) }))).toBe(400)
    expect(status(await postPlan({ intent: 'log', checkInId: openId, heldOn: '2026-01-05', progress: '' }))).toBe(400)
    expect(status(await postPlan({ intent: 'archive', planId: '1' }))).toBe(400)
    // And a well-formed log goes through.
    expect(status(await postPlan({ intent: 'log', checkInId: openId, heldOn: '2026-01-05', progress: 'Done' }))).toBe(200)
  })

  it('in the autosave', async () => {
    const post = async (body: string, contentType = 'application/json') =>
      settle(async () =>
        draftRoute.action({
          request: await requestAs(manager, '/team/follow-up/draft', { method: 'POST', body, headers: { 'Content-Type': contentType } }),
          params: {},
          context,
        }),
      )
    expect(status(await post('not json'))).toBe(400)
    expect(status(await post('"a string"'))).toBe(400)
    expect(status(await post(JSON.stringify({ checkInId: 'x', progress: 'a' })))).toBe(400)
    expect(status(await post(JSON.stringify({ checkInId: openId, progress: 42 })))).toBe(400)
    // The same JSON boundary as every resource route (readJson): JSON only, and bounded.
    expect(status(await post(JSON.stringify({ checkInId: openId, progress: 'a' }), 'text/plain'))).toBe(415)
    expect(status(await post(JSON.stringify({ checkInId: openId, progress: 'x'.repeat(2_000_000) })))).toBe(413)
  })

  it('on the employee’s page and HR’s page', async () => {
    const confirm = async (fields: Record<string, string>) =>
      settle(async () => myRoute.action({ request: await postAs(employee, '/my/follow-up', fields), params: {}, context }))
    expect(status(await confirm({ intent: 'confirm', checkInId: openId }))).toBe(400)
    expect(status(await confirm({ intent: 'confirm', checkInId: openId, happened: 'yes', two_way: '9', feedback: '1', obstacles: '1', autonomy: '1' }))).toBe(
      400,
    )
    expect(status(await confirm({ intent: 'confirm', checkInId: 'x', happened: 'no' }))).toBe(400)
    const grant = async (fields: Record<string, string>) =>
      settle(async () => adminRoute.action({ request: await postAs(hr, '/admin/follow-up', fields), params: {}, context }))
    expect(status(await grant({ intent: 'grant', userId: 'x' }))).toBe(400)
    expect(status(await grant({ intent: 'import' }))).toBe(400)
  })
})

describe('HR’s follow-up measures page', () => {
  it('shows one manager’s months as a before/after chart when chosen from the table', async () => {
    const load = async (query: string) => adminRoute.loader({ request: await requestAs(hr, `/admin/follow-up${query}`), params: {}, context })
    const chosen = await load(`?manager=${manager.id}`)
    expect(chosen.chart).toMatchObject({ managerId: manager.id, name: manager.name })
    expect(chosen.chart!.months).toHaveLength(12)
    expect((await load('')).chart).toBeNull()
    // Someone who is not a manager in the table (here: the employee) gives no chart.
    expect((await load(`?manager=${employee.id}`)).chart).toBeNull()
  })
})
