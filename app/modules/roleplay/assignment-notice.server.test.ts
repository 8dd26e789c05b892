import { and, eq, inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { emails, notifications, users } from '#db/schema'
import { createPerson } from '../../../tests/setup/fixtures'
import { localIn, roleplayCohort, scenarioRow } from '../../../tests/setup/roleplay'
import { scheduleSession } from '../../../tests/setup/sessions'
import { renderNotification } from '~/modules/notifications/inbox.server'
import { assignRoleplay, getRoleplayBoard } from './roleplay.server'

async function noticesOf(userIds: string[]) {
  return db
    .select()
    .from(notifications)
    .where(and(inArray(notifications.userId, userIds), eq(notifications.kind, 'roleplay_assigned')))
}

async function mailsOf(userIds: string[]) {
  return db
    .select()
    .from(emails)
    .where(and(inArray(emails.toUserId, userIds), eq(emails.kind, 'roleplay_assigned')))
}

describe('members are told when their group gets a role-play', () => {
  it('notifies each member in the app and by email in their language, once per scenario', async () => {
    const c = await roleplayCohort()
    const [g1, g2] = c.groups
    const [alice, bob] = g1.members
    await db.update(users).set({ locale: 'en' }).where(eq(users.id, alice.id))
    await db.update(users).set({ locale: 'zh-CN' }).where(eq(users.id, bob.id))
    const input = { intent: 'assign' as const, groupId: g1.id, scenarioId: c.scenario.id, dueAt: localIn(48), cast: { [alice.id]: 'manager' } }
    const first = await assignRoleplay(c.trainer, c.sessionId, input)
    if (!first.ok) throw new Error(JSON.stringify(first.errors))

    const notes = await noticesOf([alice.id, bob.id])
    expect(notes.map((n) => n.userId).sort()).toEqual([alice.id, bob.id].sort())
    expect(notes.every((n) => n.link === `/groups/${g1.id}/roleplay`)).toBe(true)
    expect(renderNotification('en', 'roleplay_assigned', notes[0].params)).toContain(c.scenario.title.en)
    expect(renderNotification('zh-CN', 'roleplay_assigned', notes[0].params)).toContain(c.scenario.title['zh-CN'])

    const mails = await mailsOf([alice.id, bob.id])
    expect(mails).toHaveLength(2)
    const toAlice = mails.find((m) => m.toUserId === alice.id)!
    const toBob = mails.find((m) => m.toUserId === bob.id)!
    expect(toAlice.locale).toBe('en')
    expect(toAlice.subject).toBe(`Your group has a role-play: ${c.scenario.title.en}`)
    expect(toAlice.text).toContain(`/groups/${g1.id}/roleplay`)
    expect(toBob.locale).toBe('zh-CN')
    expect(toBob.subject).toBe(`你的小组分配到了角色扮演：${c.scenario.title['zh-CN']}`)
    // Nobody outside the group hears of it.
    expect(await noticesOf(g2.members.map((m) => m.id))).toEqual([])

    // Re-casting and moving the due time: nothing new.
    expect(await assignRoleplay(c.trainer, c.sessionId, { ...input, dueAt: localIn(72), cast: { [bob.id]: 'manager' } })).toMatchObject({ ok: true })
    expect(await noticesOf([alice.id, bob.id])).toHaveLength(2)
    expect(await mailsOf([alice.id, bob.id])).toHaveLength(2)

    // Another scenario is news: one more notice and email each.
    const other = await scenarioRow()
    expect(await assignRoleplay(c.hr, c.sessionId, { ...input, scenarioId: other.id })).toMatchObject({ ok: true })
    expect(await noticesOf([alice.id, bob.id])).toHaveLength(4)
    expect(await mailsOf([alice.id, bob.id])).toHaveLength(4)
  })

  it('does not write to a member who has left the company', async () => {
    const c = await roleplayCohort()
    const [alice, bob] = c.groups[0].members
    await db.update(users).set({ active: false }).where(eq(users.id, bob.id))
    const r = await assignRoleplay(c.trainer, c.sessionId, {
      intent: 'assign',
      groupId: c.groups[0].id,
      scenarioId: c.scenario.id,
      dueAt: localIn(48),
      cast: {},
    })
    expect(r).toMatchObject({ ok: true })
    expect((await noticesOf([alice.id, bob.id])).map((n) => n.userId)).toEqual([alice.id])
    expect((await mailsOf([alice.id, bob.id])).map((m) => m.toUserId)).toEqual([alice.id])
  })
})

describe('the trainer’s role-play board', () => {
  it('lists every group of the cohort from any of its sessions, with the role-plays given from another session', async () => {
    const c = await roleplayCohort(3, 1)
    const { sessionId: later } = await scheduleSession(c.hr, {
      cohortId: c.cohort.id,
      trainerIds: [c.trainer.id],
      startsAt: new Date(Date.now() + 10 * 86_400_000),
    })
    const [g1] = c.groups
    const r = await assignRoleplay(c.trainer, c.sessionId, { intent: 'assign', groupId: g1.id, scenarioId: c.scenario.id, dueAt: localIn(48), cast: {} })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    for (const sessionId of [c.sessionId, later]) {
      const board = await getRoleplayBoard(c.trainer, sessionId)
      expect(board.groups.map((g) => g.id).sort()).toEqual(c.groups.map((g) => g.id).sort())
      expect(board.groups.find((g) => g.id === g1.id)!.assignment?.id).toBe(r.assignmentId)
      expect(board.groups.every((g) => g.members.length === 1)).toBe(true)
    }
    // A trainer of another cohort sees no board.
    await expect(getRoleplayBoard(c.otherTrainer, later)).rejects.toMatchObject({ status: 403 })
    await expect(getRoleplayBoard(await createPerson({ roles: ['manager'] }), later)).rejects.toMatchObject({ status: 403 })
  })
})
