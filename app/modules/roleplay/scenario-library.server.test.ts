import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { auditEvents, cohorts, roleplayAssignments, roleplayCastings, roleplayScenarios, studyGroups } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { createPerson, postAs, requestAs, settle } from '../../../tests/setup/fixtures'
import { getScenario, listScenarios, restoreScenario, retireScenario, saveScenario, syncRoleplayScenarios } from './scenario-library.server'
import { ScenarioForm } from './scenarios'

const status = async (run: () => Promise<unknown>) => {
  const outcome = await settle(run)
  return outcome instanceof Response ? outcome.status : 'ok'
}

function form(overrides: Record<string, unknown> = {}) {
  return ScenarioForm.parse({
    intent: 'save',
    keyPoints: ['3', '5'],
    titleEn: 'The quiet quarter',
    titleZh: '安静的季度',
    situationEn: 'A team lead has not held a check-in for a quarter.',
    situationZh: '一位组长一个季度没有做过跟进面谈。',
    roles: [
      { nameEn: 'Lead', nameZh: '组长', briefEn: 'You are busy.', briefZh: '你很忙。' },
      { nameEn: 'Analyst', nameZh: '分析师', briefEn: 'You are stuck and nobody knows.', briefZh: '你卡住了，没人知道。' },
    ],
    notesEn: 'Look for a plan.',
    notesZh: '看是否有计划。',
    ...overrides,
  })
}

describe('role-play scenario library', () => {
  let hr: CurrentUser
  let trainer: CurrentUser
  beforeAll(async () => {
    await syncRoleplayScenarios()
    hr = await createPerson({ roles: ['hr_admin'] })
    trainer = await createPerson({ roles: ['trainer'] })
  })

  it('lets HR and trainers read the library and filter it by key point; managers, employees and lecturers are refused', async () => {
    const all = await listScenarios(trainer)
    expect(all.map((s) => s.contentId)).toEqual(expect.arrayContaining(['behind-plan', 'manager-of-managers']))
    const growth = await listScenarios(hr, { keyPoint: 9 })
    expect(growth.map((s) => s.contentId).sort()).toEqual(['high-performer-growth', 'new-hire'])
    expect(growth.every((s) => s.keyPoints.includes(9))).toBe(true)

    const scenario = all.find((s) => s.contentId === 'defensive-employee')!
    const full = await getScenario(trainer, scenario.id)
    expect(full.roles.map((r) => r.id)).toEqual(['manager', 'employee'])
    expect(full.observerNotes['zh-CN']).toContain('观察要点')

    for (const roles of [['manager'], ['employee'], ['lecturer']] as const) {
      const person = await createPerson({ roles: [...roles] })
      expect(await status(() => listScenarios(person))).toBe(403)
      expect(await status(() => getScenario(person, scenario.id))).toBe(403)
      expect(await status(() => saveScenario(person, null, form()))).toBe(403)
      expect(await status(() => retireScenario(person, scenario.id))).toBe(403)
    }
    // Trainers read, only HR writes.
    expect(await status(() => saveScenario(trainer, scenario.id, form()))).toBe(403)
    expect(await status(() => retireScenario(trainer, scenario.id))).toBe(403)
  })

  it('HR writes a scenario in the browser with generated role ids; the change is audited', async () => {
    const saved = await saveScenario(hr, null, form())
    if (!saved.ok) throw new Error('not saved')
    const row = await getScenario(trainer, saved.scenarioId)
    expect(row).toMatchObject({ source: 'browser', keyPoints: [3, 5], editedBy: hr.id })
    expect(row.roles.map((r) => r.id)).toEqual(['role-1', 'role-2'])
    expect(row.contentId).toMatch(/^browser-/)
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, saved.scenarioId), eq(auditEvents.action, 'roleplay-scenario.created')))
    expect(events).toHaveLength(1)
  })

  it('keeps a role that group members play, refusing an edit that removes it, and retires a scenario for good', async () => {
    const saved = await saveScenario(
      hr,
      null,
      form({
        roles: [
          { nameEn: 'Lead', nameZh: '组长', briefEn: 'You are busy.', briefZh: '你很忙。' },
          { nameEn: 'Analyst', nameZh: '分析师', briefEn: 'Stuck.', briefZh: '卡住了。' },
          { nameEn: 'Peer', nameZh: '同事', briefEn: 'You know why.', briefZh: '你知道原因。' },
        ],
      }),
    )
    if (!saved.ok) throw new Error('not saved')
    const [cohort] = await db.insert(cohorts).values({ name: 'Role-play cohort' }).returning()
    const [group] = await db.insert(studyGroups).values({ cohortId: cohort.id, name: 'Group 1', position: 1 }).returning()
    const [assignment] = await db
      .insert(roleplayAssignments)
      .values({ cohortId: cohort.id, groupId: group.id, scenarioId: saved.scenarioId, dueAt: new Date(Date.now() + 86_400_000) })
      .returning()
    const member = await createPerson({ roles: ['manager'] })
    await db.insert(roleplayCastings).values({ assignmentId: assignment.id, userId: member.id, roleId: 'role-3' })

    const withoutPeer = form({
      roles: [
        { id: 'role-1', nameEn: 'Lead', nameZh: '组长', briefEn: 'Busy.', briefZh: '忙。' },
        { id: 'role-2', nameEn: 'Analyst', nameZh: '分析师', briefEn: 'Stuck.', briefZh: '卡住了。' },
      ],
    })
    expect(await saveScenario(hr, saved.scenarioId, withoutPeer)).toEqual({ ok: false, errors: { roles: ['roleplays.editor.roleCast'] } })
    expect((await getScenario(hr, saved.scenarioId)).castRoleIds).toEqual(['role-3'])

    // Reordering keeps the ids; an id the scenario does not have becomes a new one, never the id of the
    // role it replaces (role-2), so nobody cast for an old role silently plays a different character.
    const reordered = form({
      roles: [
        { id: 'role-3', nameEn: 'Peer', nameZh: '同事', briefEn: 'Why.', briefZh: '原因。' },
        { id: 'role-1', nameEn: 'Lead', nameZh: '组长', briefEn: 'Busy.', briefZh: '忙。' },
        { id: 'manager', nameEn: 'New', nameZh: '新', briefEn: 'New.', briefZh: '新的。' },
      ],
    })
    expect(await saveScenario(hr, saved.scenarioId, reordered)).toEqual({ ok: true, scenarioId: saved.scenarioId })
    expect((await getScenario(hr, saved.scenarioId)).roles.map((r) => r.id)).toEqual(['role-3', 'role-1', 'role-4'])

    await retireScenario(hr, saved.scenarioId)
    expect((await listScenarios(hr)).some((s) => s.id === saved.scenarioId)).toBe(false)
    expect(await status(() => saveScenario(hr, saved.scenarioId, reordered))).toBe(404)
    expect(await status(() => retireScenario(hr, saved.scenarioId))).toBe(404)

    // HR can bring it back; trainers cannot.
    expect(await status(() => restoreScenario(trainer, saved.scenarioId))).toBe(403)
    await restoreScenario(hr, saved.scenarioId)
    expect((await listScenarios(hr)).some((s) => s.id === saved.scenarioId)).toBe(true)
    expect(await status(() => restoreScenario(hr, saved.scenarioId))).toBe(404)
  })

  it('a retired imported scenario stays retired when the files are synced again', async () => {
    const [row] = await db.select().from(roleplayScenarios).where(eq(roleplayScenarios.contentId, 'new-hire'))
    await retireScenario(hr, row.id)
    await syncRoleplayScenarios()
    const [after] = await db.select().from(roleplayScenarios).where(eq(roleplayScenarios.id, row.id))
    expect(after.retiredAt).not.toBeNull()
  })

  it('the editor route answers a bad input with localized field errors (400) and keeps the third role optional', async () => {
    const route = await import('~/routes/roleplays.scenarios.$scenarioId_.edit')
    const [row] = await db.select().from(roleplayScenarios).where(eq(roleplayScenarios.contentId, 'behind-plan'))
    const url = `/roleplays/scenarios/${row.id}/edit`
    const fields = {
      intent: 'save',
      keyPoints: ['2', '7'],
      titleEn: row.title.en,
      titleZh: '',
      situationEn: row.situation.en,
      situationZh: row.situation['zh-CN'],
      'roles[0].id': 'manager',
      'roles[0].nameEn': 'Zhou Min',
      'roles[0].nameZh': '周敏',
      'roles[0].briefEn': 'Brief',
      'roles[0].briefZh': '说明',
      'roles[1].id': 'employee',
      'roles[1].nameEn': 'Chen Hao',
      'roles[1].nameZh': '陈浩',
      'roles[1].briefEn': 'Brief',
      'roles[1].briefZh': '说明',
      'roles[2].id': '',
      'roles[2].nameEn': '',
      'roles[2].nameZh': '',
      'roles[2].briefEn': '',
      'roles[2].briefZh': '',
      notesEn: 'Notes',
      notesZh: '备注',
    }
    const bad = (await settle(async () =>
      route.action({ request: await postAs(hr, url, fields), params: { scenarioId: row.id }, context: { clientIp: '127.0.0.1' } }),
    )) as { data: { result: { error: Record<string, string[]> } }; init: { status: number } }
    expect(bad.init.status).toBe(400)
    expect(bad.data.result.error).toEqual({ titleZh: ['errors.required'] })

    const good = await settle(async () =>
      route.action({ request: await postAs(hr, url, { ...fields, titleZh: '新标题' }), params: { scenarioId: row.id }, context: { clientIp: '127.0.0.1' } }),
    )
    expect(good).toBeInstanceOf(Response)
    expect((good as Response).headers.get('Location')).toBe(`/roleplays/scenarios/${row.id}`)
    const saved = await getScenario(hr, row.id)
    expect(saved.title['zh-CN']).toBe('新标题')
    expect(saved.roles).toHaveLength(2)
    expect(saved.keyPoints).toEqual([2, 7])

    const loader = await settle(async () =>
      route.loader({ request: await requestAs(trainer, url), params: { scenarioId: row.id }, context: { clientIp: '127.0.0.1' } }),
    )
    expect((loader as Response).status).toBe(403)
  })
})
