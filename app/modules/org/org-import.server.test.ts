import { readFileSync } from 'node:fs'
import { and, count, eq, inArray, isNull } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { auditEvents, authSessions, departments, emails, orgImports, userRoles, users } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { createSession } from '~/modules/auth/session.server'
import { createPerson } from '../../../tests/setup/fixtures'
import type { ImportRowResult } from './org-import'
import { applyOrgImport, discardOrgImport, getOrgImport, previewOrgImport } from './org-import.server'

const HEADER = ['employee_number', 'name', 'email', 'department', 'manager_number', 'roles']

function csv(rows: string[][], header = HEADER) {
  return { filename: 'org.csv', bytes: new TextEncoder().encode([header, ...rows].map((r) => r.join(',')).join('\n')) }
}

async function preview(actor: CurrentUser, rows: string[][]) {
  const outcome = await previewOrgImport(actor, csv(rows))
  if (!outcome.ok) throw new Error(`file refused: ${JSON.stringify(outcome.errors)}`)
  return outcome.preview
}

const errorKeys = (rows: ImportRowResult[]) => Object.fromEntries(rows.map((r) => [r.row, r.errors.map((e) => e.key)]))

async function personByNumber(number: string) {
  const [person] = await db.select().from(users).where(eq(users.employeeNumber, number))
  return person
}

async function rolesOf(userId: string) {
  return (await db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId))).map((r) => r.role).sort()
}

async function auditCount() {
  return Number((await db.select({ n: count() }).from(auditEvents))[0].n)
}

let admin: CurrentUser

beforeAll(async () => {
  admin = await createPerson({ roles: ['hr_admin'], name: 'Admin' })
})

describe('preview', () => {
  it('names each kind of error on the row where it is, and changes nobody', async () => {
    await createPerson({ employeeNumber: 'DB1', email: 'taken@example.test' })
    const people = await db.select({ n: count() }).from(users)
    const result = await preview(admin, [
      ['P1', 'Valid', 'p1@example.test', 'Sales', '', ''],
      ['P2', '', 'p2@example.test', 'Sales', '', ''],
      ['P3', 'Bad email', 'not-an-email', 'Sales', '', ''],
      ['P4', 'Same email', 'P1@example.test', 'Sales', '', ''],
      ['P1', 'Same number', 'p5@example.test', 'Sales', '', ''],
      ['P6', 'Email of another', 'taken@example.test', 'Sales', '', ''],
      ['P7', 'Unknown manager', 'p7@example.test', 'Sales', 'NOPE', ''],
      ['P8', 'Own manager', 'p8@example.test', 'Sales', 'P8', ''],
      ['P9', 'Unknown role', 'p9@example.test', 'Sales', '', 'manager、老板'],
      ['P10', 'Bad department', 'p10@example.test', 'Sales//East', '', ''],
      ['', 'No number', 'p11@example.test', 'Sales', '', ''],
      ['P12', 'Reports to DB person', 'p12@example.test', '', 'DB1', 'employee'],
    ])
    expect(errorKeys(result.rows)).toEqual({
      2: [],
      3: ['import.err.required'],
      4: ['import.err.email'],
      5: ['import.err.duplicateEmail'],
      6: ['import.err.duplicateNumber'],
      7: ['import.err.emailTaken'],
      8: ['import.err.unknownManager'],
      9: ['import.err.selfManager'],
      10: ['import.err.role'],
      11: ['import.err.department'],
      12: ['import.err.required'],
      13: [],
    })
    expect(result.rows[1].errors[0].vars).toEqual({ column: 'name' })
    expect(result.rows[5].errors[0].vars).toEqual({ value: 'taken@example.test', number: 'DB1' })
    expect(result.rows[8].errors[0].vars).toEqual({ value: '老板' })
    expect(result.summary).toMatchObject({ rows: 12, created: 2, errors: 10 })
    expect(result.status).toBe('previewed')
    expect(await db.select({ n: count() }).from(users)).toEqual(people)

    expect(await applyOrgImport(admin, result.id, { deactivateMissing: false })).toEqual({ ok: false, error: 'import.hasErrors' })
    expect(await personByNumber('P1')).toBeUndefined()
  })

  it('refuses a file without a required column, storing nothing', async () => {
    const before = await db.select({ n: count() }).from(orgImports)
    const outcome = await previewOrgImport(admin, csv([['P1', 'A', 'a@example.test']], ['工号', '姓名', '邮箱']))
    expect(outcome).toEqual({
      ok: false,
      errors: ['department', 'managerNumber'].map((column) => ({ key: 'import.err.missingColumn', vars: { column } })),
    })
    expect(await db.select({ n: count() }).from(orgImports)).toEqual(before)
  })

  it('detects a reporting cycle that runs through people already in Genjin', async () => {
    const top = await createPerson({ employeeNumber: 'C2', name: 'Top' })
    await createPerson({ employeeNumber: 'C1', name: 'Middle', managerId: top.id })
    const result = await preview(admin, [
      ['C2', 'Top', top.email, '', 'C1', ''],
      ['C3', 'Fine', 'c3@example.test', '', 'C2', ''],
    ])
    expect(result.rows[0].errors).toEqual([{ key: 'import.err.cycle', vars: { chain: 'C2 → C1 → C2' } }])
    // Reporting into a cycle is not itself a cycle.
    expect(result.rows[1].errors).toEqual([])
  })

  it('detects a cycle within the file on every row in it', async () => {
    const result = await preview(admin, [
      ['L1', 'One', 'l1@example.test', '', 'L3', ''],
      ['L2', 'Two', 'l2@example.test', '', 'L1', ''],
      ['L3', 'Three', 'l3@example.test', '', 'L2', ''],
    ])
    expect(errorKeys(result.rows)).toEqual({ 2: ['import.err.cycle'], 3: ['import.err.cycle'], 4: ['import.err.cycle'] })
  })
})

describe('apply', () => {
  const chart = [
    ['M1', '夏知秋', 'xia.zhiqiu@example.test', '市场部', '', '经理'],
    ['M2', '宁远航', 'ning.yuanhang@example.test', '市场部/品牌组', 'M1', '经理、培训师'],
    ['M3', '乔语桐', 'qiao.yutong@example.test', '市场部 / 品牌组', 'M2', ''],
    ['M4', '裴书言', 'pei.shuyan@example.test', '市场部/品牌组/设计', 'M2', 'employee'],
  ]

  it('creates departments, people without passwords, managers and roles; sends no email', async () => {
    const result = await preview(admin, chart)
    expect(result.summary).toMatchObject({ rows: 4, created: 4, updated: 0, unchanged: 0, errors: 0 })
    const outcome = await applyOrgImport(admin, result.id, { deactivateMissing: false }, '10.0.0.1')
    expect(outcome).toMatchObject({ ok: true, summary: { created: 4, updated: 0, unchanged: 0, deactivated: 0 } })

    const depts = await db
      .select()
      .from(departments)
      .where(inArray(departments.path, ['市场部', '市场部/品牌组', '市场部/品牌组/设计']))
    const idOf = (path: string) => depts.find((d) => d.path === path)!.id
    expect(depts).toHaveLength(3)
    expect(depts.find((d) => d.path === '市场部/品牌组')!.parentId).toBe(idOf('市场部'))
    expect(depts.find((d) => d.path === '市场部/品牌组/设计')!.parentId).toBe(idOf('市场部/品牌组'))

    const [m1, m2, m3, m4] = await Promise.all(['M1', 'M2', 'M3', 'M4'].map(personByNumber))
    expect(m1).toMatchObject({ name: '夏知秋', departmentId: idOf('市场部'), managerId: null, passwordHash: null, active: true })
    expect(m2).toMatchObject({ departmentId: idOf('市场部/品牌组'), managerId: m1.id })
    expect(m3).toMatchObject({ departmentId: idOf('市场部/品牌组'), managerId: m2.id })
    expect(m4).toMatchObject({ departmentId: idOf('市场部/品牌组/设计'), managerId: m2.id })
    expect(await rolesOf(m1.id)).toEqual(['manager'])
    expect(await rolesOf(m2.id)).toEqual(['manager', 'trainer'])
    expect(await rolesOf(m3.id)).toEqual(['employee'])

    expect(
      await db
        .select()
        .from(emails)
        .where(inArray(emails.toUserId, [m1.id, m2.id, m3.id, m4.id])),
    ).toEqual([])
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'org.import_applied'), eq(auditEvents.entityId, result.id)))
    expect(event).toMatchObject({ actorId: admin.id, ip: '10.0.0.1', after: { created: 4, updated: 0, deactivated: 0 } })
    const stored = await getOrgImport(admin, result.id)
    expect(stored).toMatchObject({ status: 'applied', summary: { created: 4, deactivated: 0 } })
    expect(stored.appliedAt).toBeInstanceOf(Date)

    expect(await applyOrgImport(admin, result.id, { deactivateMissing: false })).toEqual({ ok: false, error: 'import.alreadyApplied' })
  })

  it('changes nothing when the same file is imported again', async () => {
    const before = await Promise.all(['M1', 'M2', 'M3', 'M4'].map(personByNumber))
    const result = await preview(admin, chart)
    expect(result.summary).toMatchObject({ rows: 4, created: 0, updated: 0, unchanged: 4, errors: 0 })
    const events = await auditCount()
    const outcome = await applyOrgImport(admin, result.id, { deactivateMissing: false })
    expect(outcome).toMatchObject({ ok: true, summary: { created: 0, updated: 0, unchanged: 4, deactivated: 0 } })
    // Only the import itself is recorded: no entry for people who did not change.
    expect(await auditCount()).toBe(events + 1)
    expect(await Promise.all(['M1', 'M2', 'M3', 'M4'].map(personByNumber))).toEqual(before)
  })

  it('updates a changed person matched by employee number, auditing the change', async () => {
    const m3 = await personByNumber('M3')
    await db.update(users).set({ active: false, deactivatedAt: new Date() }).where(eq(users.id, m3.id))
    const changed = chart.map((r) => (r[0] === 'M3' ? ['M3', '乔语桐 Qiao', 'qiao@example.test', '销售部/华东区', 'M1', '员工|经理'] : r))
    const result = await preview(admin, changed)
    expect(result.summary).toMatchObject({ created: 0, updated: 1, unchanged: 3 })
    expect(result.rows[2]).toMatchObject({ change: 'update', changes: ['name', 'email', 'department', 'manager', 'roles', 'reactivate'] })

    expect(await applyOrgImport(admin, result.id, { deactivateMissing: false })).toMatchObject({ ok: true, summary: { updated: 1 } })
    const [after] = await db.select().from(users).where(eq(users.id, m3.id))
    const [east] = await db.select().from(departments).where(eq(departments.path, '销售部/华东区'))
    expect(after).toMatchObject({ name: '乔语桐 Qiao', email: 'qiao@example.test', departmentId: east.id, active: true, deactivatedAt: null })
    expect(after.managerId).toBe((await personByNumber('M1')).id)
    expect(await rolesOf(m3.id)).toEqual(['employee', 'manager'])
    const actions = (await db.select().from(auditEvents).where(eq(auditEvents.entityId, m3.id))).map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['person.updated', 'person.reactivated', 'role.changed']))
  })

  it('checks the rows again at apply time and changes nothing if they no longer fit', async () => {
    const result = await preview(admin, [['R1', 'Late', 'late@example.test', '', '', '']])
    await createPerson({ employeeNumber: 'R9', email: 'late@example.test' })
    expect(await applyOrgImport(admin, result.id, { deactivateMissing: false })).toEqual({ ok: false, error: 'import.changedSincePreview' })
    expect(await personByNumber('R1')).toBeUndefined()
    const stored = await getOrgImport(admin, result.id)
    expect(stored.status).toBe('previewed')
    expect(stored.rows[0].errors.map((e) => e.key)).toEqual(['import.err.emailTaken'])
  })

  it('discards a preview so that it can no longer be applied', async () => {
    const result = await preview(admin, [['D1', 'Dropped', 'dropped@example.test', '', '', '']])
    expect(await discardOrgImport(admin, result.id)).toEqual({ ok: true })
    expect(await applyOrgImport(admin, result.id, { deactivateMissing: false })).toEqual({ ok: false, error: 'import.alreadyApplied' })
    expect(await personByNumber('D1')).toBeUndefined()
  })
})

describe('the end-to-end fixture files', () => {
  const fixture = (name: string) => ({ filename: name, bytes: new Uint8Array(readFileSync(`tests/fixtures/${name}`)) })

  it('show errors on exactly rows 4, 6 and 9 of the broken GB18030 file', async () => {
    const outcome = await previewOrgImport(admin, fixture('org-chart-gb18030-errors.csv'))
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors))
    const withErrors = outcome.preview.rows.filter((r) => r.errors.length)
    expect(withErrors.map((r) => [r.row, r.errors.map((e) => e.key)])).toEqual([
      [4, ['import.err.email']],
      [6, ['import.err.unknownManager']],
      [9, ['import.err.duplicateNumber']],
    ])
  })

  it('apply cleanly: the valid GB18030 file and the XLSX file', async () => {
    for (const [name, created] of [
      ['org-chart-gb18030.csv', 8],
      ['org-chart.xlsx', 4],
    ] as const) {
      const outcome = await previewOrgImport(admin, fixture(name))
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors))
      expect(outcome.preview.summary).toMatchObject({ created, errors: 0 })
      expect(await applyOrgImport(admin, outcome.preview.id, { deactivateMissing: false })).toMatchObject({ ok: true, summary: { created } })
    }
    expect(await personByNumber('M2008')).toMatchObject({ name: '贺锦年', managerId: (await personByNumber('M2007')).id })
    expect(await personByNumber('30003')).toMatchObject({ email: 'nora.fischer@example.com', managerId: (await personByNumber('30002')).id })
  })
})

describe('people missing from the file', () => {
  it('are deactivated (sessions ended) only when asked; never the acting admin or external lecturers', async () => {
    const leaver = await createPerson({ employeeNumber: 'GONE1', name: 'Leaver' })
    const lecturer = await createPerson({ roles: ['lecturer'], name: 'Visiting lecturer' })
    await createSession(leaver.id, { ip: '127.0.0.1' })
    const file = [['K1', 'Keeper', 'keeper@example.test', '', '', '']]
    const activeOthers = await db.select({ id: users.id }).from(users).where(eq(users.active, true))
    const expectedMissing = activeOthers.length - 2 // the admin and the lecturer

    const first = await preview(admin, file)
    expect(first.summary.missing).toBe(expectedMissing)
    expect(await applyOrgImport(admin, first.id, { deactivateMissing: false })).toMatchObject({ ok: true, summary: { deactivated: 0 } })
    expect((await personByNumber('GONE1')).active).toBe(true)

    const second = await preview(admin, file)
    expect(await applyOrgImport(admin, second.id, { deactivateMissing: true })).toMatchObject({ ok: true, summary: { deactivated: expectedMissing } })
    const gone = await personByNumber('GONE1')
    expect(gone).toMatchObject({ active: false })
    expect(gone.deactivatedAt).toBeInstanceOf(Date)
    expect(
      await db
        .select()
        .from(authSessions)
        .where(and(eq(authSessions.userId, leaver.id), isNull(authSessions.revokedAt))),
    ).toEqual([])
    const [me] = await db.select().from(users).where(eq(users.id, admin.id))
    const [visitor] = await db.select().from(users).where(eq(users.id, lecturer.id))
    expect(me.active).toBe(true)
    expect(visitor.active).toBe(true)
    // Never deleted: the person is still there.
    expect(await db.select({ n: count() }).from(users).where(eq(users.id, leaver.id))).toEqual([{ n: 1 }])
  })
})

describe('permissions', () => {
  it('refuses people who are not HR admins with 403, recording the denial', async () => {
    for (const roles of [['employee'], ['manager'], ['trainer'], ['lecturer']] as const) {
      const someone = await createPerson({ roles: [...roles] })
      const attempt = previewOrgImport(someone, csv([['X1', 'X', 'x@example.test', '', '', '']]))
      await expect(attempt).rejects.toSatisfy((e) => e instanceof Response && e.status === 403)
      await expect(applyOrgImport(someone, crypto.randomUUID(), { deactivateMissing: true })).rejects.toSatisfy(
        (e) => e instanceof Response && e.status === 403,
      )
      const denials = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.actorId, someone.id), eq(auditEvents.action, 'access.denied')))
      expect(denials).toHaveLength(2)
      expect(denials[0].details).toMatchObject({ permission: 'import:org:all' })
    }
    expect(await personByNumber('X1')).toBeUndefined()
  })

  it('answers 404 for an unknown import', async () => {
    await expect(getOrgImport(admin, crypto.randomUUID())).rejects.toSatisfy((e) => e instanceof Response && e.status === 404)
    await expect(getOrgImport(admin, 'not-a-uuid')).rejects.toSatisfy((e) => e instanceof Response && e.status === 404)
  })
})
