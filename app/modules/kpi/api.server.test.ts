import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { attendance, departments, invitations, kpiApiTokens, sessions } from '#db/schema'
import { translator } from '~/i18n'
import type { CurrentUser } from '~/modules/auth/permissions'
import { toCsv } from '~/modules/exports/spreadsheet.server'
import { createPerson, postAs, settle } from '../../../tests/setup/fixtures'
import { savedPeriod } from '../../../tests/setup/kpi'
import { action as periodAction } from '../../routes/admin.kpi.$periodId'
import { action as newPeriodAction } from '../../routes/admin.kpi._index'
import { action as tokensAction } from '../../routes/admin.kpi.tokens'
import { loader as scoresLoader } from '../../routes/api.v1.kpi.periods.$periodKey.scores'
import { loader as departmentsLoader } from '../../routes/api.v1.kpi.periods.$periodKey.departments'
import { apiDepartments, apiPeriods, apiScores, createToken, listTokens, revokeToken } from './api.server'
import { publishPeriod } from './periods.server'
import { exportTable, scorecard } from './reports.server'

let hr: CurrentUser
let alice: CurrentUser
let bob: CurrentUser
let periodId: string
const later = { now: new Date('2029-04-05T04:00:00Z') }

async function session(day: string, marks: [CurrentUser, 'present' | 'late' | 'absent'][]) {
  const startsAt = new Date(`${day}T01:00:00Z`)
  const [s] = await db
    .insert(sessions)
    .values({ title: `Class ${day}`, startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000) })
    .returning()
  for (const [p, status] of marks) {
    await db.insert(invitations).values({ sessionId: s.id, userId: p.id, status: 'accepted' })
    await db.insert(attendance).values({ sessionId: s.id, userId: p.id, status, method: 'trainer' })
  }
}

beforeAll(async () => {
  hr = await createPerson({ roles: ['hr_admin'] })
  const [sales] = await db.insert(departments).values({ name: 'Sales', path: 'Sales' }).returning()
  const [ops] = await db.insert(departments).values({ name: 'Ops', path: 'Ops' }).returning()
  alice = await createPerson({ roles: ['manager'], name: '=HYPERLINK("http://x")', departmentId: sales.id })
  bob = await createPerson({ roles: ['manager'], name: 'Bob', departmentId: ops.id })
  await db.execute(sql`update org_history set valid_from = '2028-01-01' where user_id in (${alice.id}, ${bob.id})`)
  await session('2029-01-10', [
    [alice, 'present'],
    [bob, 'late'],
  ])
  await session('2029-02-10', [
    [alice, 'late'],
    [bob, 'absent'],
  ])
  periodId = await savedPeriod(hr, { key: '2029-Q1', startsOn: '2029-01-01', endsOn: '2029-03-31', weights: { attendance: 100 } })
  expect(await publishPeriod(hr, periodId, {}, later)).toEqual({ ok: true, revision: 1 })
})

const bearer = (token: string | null) =>
  new Request('http://localhost/api/v1/kpi/periods/2029-Q1/scores', { headers: token ? { Authorization: `Bearer ${token}` } : {} })

describe('KPI API', () => {
  it('returns the published figures with a token, the same as the scorecard, and records the last use', async () => {
    const { token, id } = await createToken(hr, { name: 'HRIS' })
    const response = await apiScores(bearer(token), '2029-Q1')
    const body = (await response.json()) as {
      revision: number
      managers: { managerId: string; score: number; band: string; components: { key: string; score: number }[] }[]
    }
    expect(body.revision).toBe(1)
    const byId = Object.fromEntries(body.managers.map((m) => [m.managerId, m]))
    // alice (1 + 0.5) / 2 → 75.0 B; bob (0.5 + 0) / 2 → 25.0 D
    expect(byId[alice.id]).toMatchObject({ score: 75, band: 'B' })
    expect(byId[bob.id]).toMatchObject({ score: 25, band: 'D' })
    expect(byId[alice.id].components[0]).toMatchObject({ key: 'attendance', score: 75 })
    expect((await scorecard(hr, periodId, alice.id, {}, later)).row.score).toBe(byId[alice.id].score)
    const [row] = await db.select().from(kpiApiTokens).where(eq(kpiApiTokens.id, id))
    expect(row.lastUsedAt).not.toBeNull()
    expect(row.tokenHash).not.toContain(token)
    expect((await listTokens(hr)).find((t) => t.id === id)?.prefix).toBe(token.slice(0, 10))
    const periods = (await (
      await apiPeriods(new Request('http://localhost/api/v1/kpi/periods', { headers: { Authorization: `Bearer ${token}` } }))
    ).json()) as { periods: { key: string }[] }
    expect(periods.periods.map((p) => p.key)).toContain('2029-Q1')
  })

  it('refuses without a token, with a wrong one and with a revoked one (401 through the route)', async () => {
    const { token, id } = await createToken(hr, { name: 'Old' })
    for (const t of [null, 'gkpi_wrong']) {
      const res = (await settle(() => scoresLoader({ request: bearer(t), params: { periodKey: '2029-Q1' }, context: {} }))) as Response
      expect(res.status).toBe(401)
    }
    expect(((await settle(() => scoresLoader({ request: bearer(token), params: { periodKey: '2029-Q1' }, context: {} }))) as Response).status).toBe(200)
    await revokeToken(hr, id)
    expect(((await settle(() => scoresLoader({ request: bearer(token), params: { periodKey: '2029-Q1' }, context: {} }))) as Response).status).toBe(401)
  })

  it('limits a department token to that subtree', async () => {
    const [sales] = await db.select().from(departments).where(eq(departments.path, 'Sales'))
    const { token } = await createToken(hr, { name: 'Sales only', departmentId: sales.id })
    const body = (await (await apiScores(bearer(token), '2029-Q1')).json()) as { managers: { managerId: string }[] }
    expect(body.managers.map((m) => m.managerId)).toEqual([alice.id])
  })

  it('records the last use to the minute: a burst of calls writes it once', async () => {
    const { token, id } = await createToken(hr, { name: 'Burst' })
    const lastUsed = async () => (await db.select().from(kpiApiTokens).where(eq(kpiApiTokens.id, id)))[0].lastUsedAt
    await db.execute(sql`update kpi_api_tokens set last_used_at = now() - interval '10 minutes' where id = ${id}`)
    const before = await lastUsed()
    await apiPeriods(new Request('http://localhost/api/v1/kpi/periods', { headers: { Authorization: `Bearer ${token}` } }))
    const touched = await lastUsed()
    expect(touched!.getTime()).toBeGreaterThan(before!.getTime() + 9 * 60_000)
    await apiScores(bearer(token), '2029-Q1')
    expect(await lastUsed()).toEqual(touched)
  })

  it('only HR admins manage tokens', async () => {
    expect(((await settle(() => createToken(alice, { name: 'x' }))) as Response).status).toBe(403)
  })
})

describe('KPI export', () => {
  it('has the documented columns and neutralises formulas', async () => {
    const t = translator('en')
    const { table } = await exportTable(hr, periodId, {}, t, later)
    expect(table.header.slice(0, 11)).toEqual([
      'Period',
      'Revision',
      t('common.employeeNumber'),
      t('common.name'),
      t('common.email'),
      t('common.department'),
      'Score',
      'Band',
      'Attendance Score',
      'Attendance Weight',
      'Attendance Effective weight',
    ])
    const row = table.body.find((r) => String(r[3]).includes('HYPERLINK'))!
    expect(row[3]).toBe(`'=HYPERLINK("http://x")`)
    expect(row.slice(6, 11)).toEqual([75, 'B', 75, 100, 100])
    expect(toCsv(table)).toContain(`"'=HYPERLINK(""http://x"")"`)
  })
})

describe('KPI actions refuse malformed input with a 400', () => {
  it('policy form, publish and token forms', async () => {
    const bad = (await settle(async () =>
      newPeriodAction({ request: await postAs(hr, '/admin/kpi', { intent: 'save', key: '', weight: 'x' }), params: {}, context: {} }),
    )) as { init?: { status?: number } }
    expect(bad.init?.status).toBe(400)
    const weights = (await settle(async () =>
      newPeriodAction({
        request: await postAs(hr, '/admin/kpi', {
          intent: 'save',
          key: 'W',
          startsOn: '2030-01-01',
          endsOn: '2030-03-31',
          lateFraction: '0.5',
          courseLateFraction: '0.5',
          excused: 'exclude',
          bandA: '90',
          bandB: '75',
          bandC: '60',
          'weight.attendance': '60',
          'enabled.attendance': 'on',
        }),
        params: {},
        context: {},
      }),
    )) as { init?: { status?: number }; data: { result: { error: Record<string, string[]> } } }
    expect(weights.init?.status).toBe(400)
    expect(weights.data.result.error.weight).toEqual(['kpi.errors.weights'])
    const intent = (await settle(async () =>
      periodAction({ request: await postAs(hr, `/admin/kpi/${periodId}`, { intent: 'nonsense' }), params: { periodId }, context: {} }),
    )) as { init?: { status?: number } }
    expect(intent.init?.status).toBe(400)
    const twice = (await settle(async () =>
      periodAction({ request: await postAs(hr, `/admin/kpi/${periodId}`, { intent: 'publish' }), params: { periodId }, context: {} }),
    )) as { init?: { status?: number }; data: { error: string } }
    expect(twice.init?.status).toBe(400)
    expect(twice.data.error).toBe('kpi.errors.alreadyPublished')
    const noReason = (await settle(async () =>
      periodAction({ request: await postAs(hr, `/admin/kpi/${periodId}`, { intent: 'correct', reason: '' }), params: { periodId }, context: {} }),
    )) as { init?: { status?: number } }
    expect(noReason.init?.status).toBe(400)
    const token = (await settle(async () =>
      tokensAction({ request: await postAs(hr, '/admin/kpi/tokens', { intent: 'revoke', tokenId: 'nope' }), params: {}, context: {} }),
    )) as { init?: { status?: number } }
    expect(token.init?.status).toBe(400)
    const denied = (await settle(async () =>
      tokensAction({ request: await postAs(alice, '/admin/kpi/tokens', { intent: 'create', name: 'x' }), params: {}, context: {} }),
    )) as Response
    expect(denied.status).toBe(403)
  })
})

const rollupRequest = (token: string, query = '') =>
  new Request(`http://localhost/api/v1/kpi/periods/2029-Q1/departments${query}`, { headers: { Authorization: `Bearer ${token}` } })

type Rollup = {
  revision: number
  department: { id: string; path: string } | null
  totals: { managers: number; average: number | null; bands: Record<string, number> }
  departments: { path: string; managers: number; average: number | null; bands: Record<string, number> }[]
}

describe('KPI API: department roll-up', () => {
  it('sums the published snapshot: the whole organisation, then one department by path or id', async () => {
    const { token } = await createToken(hr, { name: 'BI' })
    const whole = (await (await apiDepartments(rollupRequest(token), '2029-Q1')).json()) as Rollup
    // alice 75.0 (B) in Sales, bob 25.0 (D) in Ops: average (75 + 25) / 2 = 50.0
    expect(whole).toMatchObject({ revision: 1, department: null, totals: { managers: 2, average: 50, bands: { A: 0, B: 1, C: 0, D: 1, none: 0 } } })
    expect(whole.departments).toEqual([
      { path: 'Ops', managers: 1, average: 25, bands: { A: 0, B: 0, C: 0, D: 1, none: 0 } },
      { path: 'Sales', managers: 1, average: 75, bands: { A: 0, B: 1, C: 0, D: 0, none: 0 } },
    ])
    const [sales] = await db.select().from(departments).where(eq(departments.path, 'Sales'))
    for (const query of ['?department=Sales', `?department=${sales.id}`]) {
      const body = (await (await apiDepartments(rollupRequest(token, query), '2029-Q1')).json()) as Rollup
      expect(body.department).toEqual({ id: sales.id, path: 'Sales' })
      expect(body.totals).toEqual({ managers: 1, average: 75, bands: { A: 0, B: 1, C: 0, D: 0, none: 0 } })
    }
  })

  it("keeps a department token inside its subtree, and answers problems for what doesn't exist", async () => {
    const [sales] = await db.select().from(departments).where(eq(departments.path, 'Sales'))
    const { token } = await createToken(hr, { name: 'Sales BI', departmentId: sales.id })
    const own = (await (await apiDepartments(rollupRequest(token), '2029-Q1')).json()) as Rollup
    expect(own.department?.path).toBe('Sales')
    expect(own.totals.managers).toBe(1)
    const status = async (query: string, key = '2029-Q1') =>
      ((await settle(() => departmentsLoader({ request: rollupRequest(token, query), params: { periodKey: key }, context: {} }))) as Response).status
    expect(await status('?department=Ops')).toBe(403)
    expect(await status('?department=Nowhere')).toBe(404)
    expect(await status('', '2031-Q1')).toBe(404)
    expect(await status('?revision=9')).toBe(404)
    const none = new Request('http://localhost/api/v1/kpi/periods/2029-Q1/departments')
    expect(((await settle(() => departmentsLoader({ request: none, params: { periodKey: '2029-Q1' }, context: {} }))) as Response).status).toBe(401)
  })
})
