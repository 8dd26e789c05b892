import { beforeAll, describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { auditEvents, checkIns, ratingPeriods } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { createPerson, settle } from '../../../tests/setup/fixtures'
import { setContentReader } from './access.server'
import { confirmCheckIn, getMyFollowUp } from './employee.server'
import { getEmployeeFollowUp, listManagerCheckIns, listTeamFollowUp, logCheckIn, rollMissedCheckIns, saveCheckInDraft, savePlan } from './plans.server'
import { myTeamMeasures } from './reports.server'

const NOW = new Date('2026-06-15T04:00:00Z')
const text = { progress: '', obstacles: '', agreedActions: '', feedbackGiven: '', employeeInput: '' }
const ratings = { two_way: 4, feedback: 5, obstacles: 3, autonomy: 4 }

let manager: CurrentUser
let otherManager: CurrentUser
let hr: CurrentUser
let hr2: CurrentUser
let team: CurrentUser[]

async function planAndLog(employee: CurrentUser, heldOn = '2026-06-12') {
  await savePlan(manager, { intent: 'plan', employeeId: employee.id, frequencyDays: 14, channel: 'one_on_one', nextDueOn: '2026-06-12', notes: '' })
  const view = await getEmployeeFollowUp(manager, employee.id, NOW)
  const logged = await logCheckIn(manager, view.next!.id, heldOn, { ...text, progress: 'On track' }, NOW)
  expect(logged.ok).toBe(true)
  return view.next!.id
}

beforeAll(async () => {
  manager = await createPerson({ roles: ['manager'] })
  otherManager = await createPerson({ roles: ['manager'] })
  hr = await createPerson({ roles: ['hr_admin'] })
  hr2 = await createPerson({ roles: ['hr_admin'] })
  team = await Promise.all([1, 2, 3, 4].map(() => createPerson({ managerId: manager.id })))
})

describe('plans and check-ins', () => {
  it('creates a plan with its next check-in, autosaves the draft and logs it, opening the next one', async () => {
    const [e] = team
    await savePlan(manager, { intent: 'plan', employeeId: e.id, frequencyDays: 14, channel: 'one_on_one', nextDueOn: '2026-06-10', notes: 'Weekly sales' })
    let view = await getEmployeeFollowUp(manager, e.id, NOW)
    expect(view.plan).toMatchObject({ frequencyDays: 14, channel: 'one_on_one', notes: 'Weekly sales' })
    expect(view.next).toMatchObject({ dueOn: '2026-06-10', overdue: true })
    const saved = await saveCheckInDraft(manager, view.next!.id, { ...text, progress: 'Half typed' })
    expect(saved.ok).toBe(true)
    view = await getEmployeeFollowUp(manager, e.id, NOW)
    expect(view.next!.progress).toBe('Half typed')
    expect((await logCheckIn(manager, view.next!.id, '2026-06-16', { ...text, progress: 'x' }, NOW)).ok).toBe(false) // future
    expect((await logCheckIn(manager, view.next!.id, '2026-06-11', { ...text, progress: 'Done: 3 of 5 accounts' }, NOW)).ok).toBe(true)
    view = await getEmployeeFollowUp(manager, e.id, NOW)
    expect(view.history[0]).toMatchObject({ status: 'held', heldOn: '2026-06-11', progress: 'Done: 3 of 5 accounts' })
    expect(view.next).toMatchObject({ dueOn: '2026-06-25', overdue: false })
    const overview = await listTeamFollowUp(manager, NOW)
    expect(overview.find((r) => r.id === e.id)).toMatchObject({ lastHeld: '2026-06-11', held: 1, next: { dueOn: '2026-06-25' } })
    expect(overview.find((r) => r.id === team[3].id)).toMatchObject({ plan: null, next: null })
  })

  it('marks an unheld check-in missed once the next is due, carrying the draft over', async () => {
    const e = team[3]
    await savePlan(manager, { intent: 'plan', employeeId: e.id, frequencyDays: 7, channel: 'call', nextDueOn: '2026-05-20', notes: '' })
    const view = await getEmployeeFollowUp(manager, e.id, new Date('2026-05-21T04:00:00Z'))
    await saveCheckInDraft(manager, view.next!.id, { ...text, obstacles: 'Typed before a long holiday' })
    await rollMissedCheckIns(db, '2026-06-15')
    const rows = await db.select().from(checkIns).where(eq(checkIns.planId, view.plan!.id))
    // Due 20 May, 27 May, 3 June missed; 10 June is open (the next, 17 June, is not due yet).
    expect(rows.map((r) => [r.dueOn, r.status]).sort()).toEqual([
      ['2026-05-20', 'missed'],
      ['2026-05-27', 'missed'],
      ['2026-06-03', 'missed'],
      ['2026-06-10', 'planned'],
    ])
    expect(rows.find((r) => r.status === 'planned')!.obstacles).toBe('Typed before a long holiday')
  })

  it('refuses plans and check-ins for someone else’s report', async () => {
    const [e] = team
    expect(
      await settle(() => savePlan(otherManager, { intent: 'plan', employeeId: e.id, frequencyDays: 7, channel: 'call', nextDueOn: '2026-06-20', notes: '' })),
    ).toMatchObject({ status: 403 })
    const view = await getEmployeeFollowUp(manager, e.id, NOW)
    expect(await settle(() => saveCheckInDraft(otherManager, view.next!.id, text))).toMatchObject({ status: 403 })
    expect(await settle(() => getEmployeeFollowUp(otherManager, e.id, NOW))).toMatchObject({ status: 403 })
    expect(await settle(() => getEmployeeFollowUp(team[1], e.id, NOW))).toMatchObject({ status: 403 })
  })
})

describe('check-in contents for HR', () => {
  it('are readable only with a grant from another HR admin', async () => {
    expect(await settle(() => getEmployeeFollowUp(hr, team[0].id, NOW))).toMatchObject({ status: 403 })
    expect(await settle(() => listManagerCheckIns(hr, manager.id))).toMatchObject({ status: 403 })
    expect(await setContentReader(hr, hr.id, true)).toEqual({ ok: false, error: 'followup.grants.notSelf' })
    expect(await setContentReader(hr2, manager.id, true)).toEqual({ ok: false, error: 'followup.grants.notHr' })
    expect(await setContentReader(hr2, hr.id, true)).toEqual({ ok: true })
    const view = await getEmployeeFollowUp(hr, team[0].id, NOW)
    // Every reading of contents by HR is in the audit log: a report's page as well as a manager's list.
    const reads = async () =>
      (
        await db
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.actorId, hr.id), eq(auditEvents.action, 'follow_up.contents_read')))
      ).map((e) => e.entityId)
    expect(await reads()).toEqual([team[0].id])
    expect(view.canManage).toBe(false)
    expect(view.prepSheet).toBeNull()
    expect(view.history[0].progress).toBe('Done: 3 of 5 accounts')
    expect((await listManagerCheckIns(hr, manager.id)).checkIns.length).toBeGreaterThan(0)
    expect((await reads()).sort()).toEqual([team[0].id, manager.id].sort())
    // The manager reading their own report's page is not an HR reading.
    await getEmployeeFollowUp(manager, team[0].id, NOW)
    expect(
      await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.actorId, manager.id), eq(auditEvents.action, 'follow_up.contents_read'))),
    ).toEqual([])
    await setContentReader(hr2, hr.id, false)
    expect(await settle(() => listManagerCheckIns(hr, manager.id))).toMatchObject({ status: 403 })
  })
})

describe('confirmations and ratings', () => {
  it('lets the employee confirm and rate once per month per manager; the manager sees the rating only from the third person', async () => {
    const [e1, e2, e3] = team
    const c1 = (await getMyFollowUp(e1, NOW)).checkIns[0]
    expect(c1).toMatchObject({ canRate: true, happened: null })
    expect(await settle(() => confirmCheckIn(e2, { intent: 'confirm', checkInId: c1.id, happened: 'yes', ...ratings }, NOW))).toMatchObject({ status: 403 })
    expect(await confirmCheckIn(e1, { intent: 'confirm', checkInId: c1.id, happened: 'yes', two_way: 4 }, NOW)).toMatchObject({
      ok: false,
      fieldErrors: { feedback: ['followup.errors.rating'] },
    })
    expect(await confirmCheckIn(e1, { intent: 'confirm', checkInId: c1.id, happened: 'yes', ...ratings }, NOW)).toEqual({ ok: true, rated: true })
    expect(await confirmCheckIn(e1, { intent: 'confirm', checkInId: c1.id, happened: 'yes', ...ratings }, NOW)).toMatchObject({
      ok: false,
      error: 'followup.errors.alreadyConfirmed',
    })

    const rating = async () => (await myTeamMeasures(manager, NOW)).measures!.months.at(-1)!.rating
    expect(await rating()).toBeNull()
    await confirmCheckIn(e2, { intent: 'confirm', checkInId: await planAndLog(e2), happened: 'yes', two_way: 2, feedback: 3, obstacles: 3, autonomy: 2 }, NOW)
    expect(await rating()).toBeNull()
    // Confirming "did not happen" is not a rating.
    const c3 = await planAndLog(e3)
    await confirmCheckIn(e3, { intent: 'confirm', checkInId: c3, happened: 'no' }, NOW)
    expect(await rating()).toBeNull()
    // A second check-in for e1 this month: confirmed, but not rated again.
    const again = await planAndLog(e1, '2026-06-13')
    expect((await getMyFollowUp(e1, NOW)).checkIns.find((c) => c.id === again)).toMatchObject({ canRate: false })
    expect(await confirmCheckIn(e1, { intent: 'confirm', checkInId: again, happened: 'yes', ...ratings }, NOW)).toEqual({ ok: true, rated: false })
    expect(await rating()).toBeNull()
    const [period] = await db.select().from(ratingPeriods).where(eq(ratingPeriods.managerId, manager.id))
    expect(period).toMatchObject({ raters: 2, publishedRaters: 0 })
    // e4's check-in: the third person.
    const c4 = await planAndLog(team[3])
    await confirmCheckIn(team[3], { intent: 'confirm', checkInId: c4, happened: 'yes', two_way: 3, feedback: 4, obstacles: 3, autonomy: 3 }, NOW)
    expect(await rating()).toEqual({ raters: 3, two_way: 3, feedback: 4, obstacles: 3, autonomy: 3 })
  })
})
