import { and, eq, isNull } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { authSessions, userRoles, users } from '#db/schema'
import { createPerson, requestAs, TEST_PASSWORD } from '../../../tests/setup/fixtures'
import { auditFor, expectStatus, filters, formOf, hrAdmin } from '../../../tests/setup/people'
import { signIn } from '~/modules/auth/auth.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { getCurrentUser } from '~/modules/auth/session.server'
import { ensureDepartmentPath, listDepartmentTree } from './departments.server'
import { getPerson, invitePerson, listPeople, PAGE_SIZE, setPersonActive, updatePerson } from './people.server'

const APP_URL = 'http://genjin.test'
let unique = 0
/** A department path nobody else in this file uses, so filters see only this test's people. */
const freshDept = (...parts: string[]) => ensureDepartmentPath(db, [`Dept ${++unique}`, ...parts])

describe('listPeople', () => {
  it('searches name, email and employee number, case-insensitively', async () => {
    const hr = await hrAdmin()
    const dept = await freshDept()
    const a = await createPerson({ name: 'Zhao Mingyu', email: `zhao.${unique}@example.test`, employeeNumber: `SRCH-${unique}-A`, departmentId: dept })
    const b = await createPerson({ name: '钱多多', email: `qian.${unique}@corp.test`, employeeNumber: `SRCH-${unique}-B`, departmentId: dept })
    const ids = async (q: string) => (await listPeople(hr, filters({ q, department: dept }))).people.map((p) => p.id)
    expect(await ids('mingYU')).toEqual([a.id])
    expect(await ids('钱多')).toEqual([b.id])
    expect(await ids('@corp.test')).toEqual([b.id])
    expect(await ids(`srch-${unique}-a`)).toEqual([a.id])
    expect((await ids(`SRCH-${unique}`)).sort()).toEqual([a.id, b.id].sort())
  })

  it('treats % and _ in a search as plain characters', async () => {
    const hr = await hrAdmin()
    const dept = await freshDept()
    const plain = await createPerson({ name: 'Plain Name', departmentId: dept })
    const underscored = await createPerson({ name: 'Under_score', departmentId: dept })
    expect((await listPeople(hr, filters({ q: '_', department: dept }))).people.map((p) => p.id)).toEqual([underscored.id])
    expect((await listPeople(hr, filters({ q: '%', department: dept }))).total).toBe(0)
    expect(plain.id).toBeTruthy()
  })

  it('includes the whole subtree of a department, but not a sibling whose name starts the same', async () => {
    const hr = await hrAdmin()
    const root = await freshDept()
    const child = await ensureDepartmentPath(db, [`Dept ${unique}`, 'East'])
    const grandchild = await ensureDepartmentPath(db, [`Dept ${unique}`, 'East', 'Shanghai'])
    const lookalike = await ensureDepartmentPath(db, [`Dept ${unique}x`])
    const top = await createPerson({ departmentId: root })
    const mid = await createPerson({ departmentId: child })
    const low = await createPerson({ departmentId: grandchild })
    await createPerson({ departmentId: lookalike })
    const ids = async (department: string) => (await listPeople(hr, filters({ department }))).people.map((p) => p.id).sort()
    expect(await ids(root)).toEqual([top.id, mid.id, low.id].sort())
    expect(await ids(child)).toEqual([mid.id, low.id].sort())
    expect(await ids(grandchild)).toEqual([low.id])
  })

  it('does not treat _ in a department path as a wildcard', async () => {
    const hr = await hrAdmin()
    const rd = await ensureDepartmentPath(db, [`R_D ${++unique}`])
    const other = await ensureDepartmentPath(db, [`RxD ${unique}`, 'Lab'])
    const inRd = await createPerson({ departmentId: rd })
    await createPerson({ departmentId: other })
    // `R_D n/%` as a LIKE pattern would also match `RxD n/Lab`.
    const sub = await ensureDepartmentPath(db, [`R_D ${unique}`, 'Lab'])
    const inSub = await createPerson({ departmentId: sub })
    expect((await listPeople(hr, filters({ department: rd }))).people.map((p) => p.id).sort()).toEqual([inRd.id, inSub.id].sort())
    const tree = await listDepartmentTree(hr)
    expect(tree.find((d) => d.id === rd)).toMatchObject({ members: 1, subtreeMembers: 2 })
  })

  it('filters by role', async () => {
    const hr = await hrAdmin()
    const dept = await freshDept()
    const trainer = await createPerson({ roles: ['trainer', 'employee'], departmentId: dept })
    await createPerson({ roles: ['employee'], departmentId: dept })
    const result = await listPeople(hr, filters({ department: dept, role: 'trainer' }))
    expect(result.people.map((p) => p.id)).toEqual([trainer.id])
    // Roles come in the order they are declared: the most powerful first.
    expect(result.people[0].roles).toEqual(['trainer', 'employee'])
  })

  it('shows active people by default, deactivated ones or everyone on request', async () => {
    const hr = await hrAdmin()
    const dept = await freshDept()
    const active = await createPerson({ departmentId: dept })
    const gone = await createPerson({ departmentId: dept, active: false })
    const ids = async (status: 'active' | 'inactive' | 'all') => (await listPeople(hr, filters({ department: dept, status }))).people.map((p) => p.id).sort()
    expect(await ids('active')).toEqual([active.id])
    expect(await ids('inactive')).toEqual([gone.id])
    expect(await ids('all')).toEqual([active.id, gone.id].sort())
  })

  it('pages through the results with a total count', async () => {
    const hr = await hrAdmin()
    const dept = await freshDept()
    for (let i = 0; i < PAGE_SIZE + 3; i++) await createPerson({ departmentId: dept, name: `Paged ${String(i).padStart(2, '0')}` })
    const first = await listPeople(hr, filters({ department: dept }))
    const second = await listPeople(hr, filters({ department: dept, page: 2 }))
    expect(first).toMatchObject({ total: PAGE_SIZE + 3, pages: 2 })
    expect(first.people).toHaveLength(PAGE_SIZE)
    expect(second.people.map((p) => p.name)).toEqual([`Paged ${PAGE_SIZE}`, `Paged ${PAGE_SIZE + 1}`, `Paged ${PAGE_SIZE + 2}`])
    expect((await listPeople(hr, filters({ department: dept, page: 9 }))).people).toEqual([])
  })

  it('reports who has not yet accepted their invitation', async () => {
    const hr = await hrAdmin()
    const dept = await freshDept()
    const invited = await invitePerson(hr, { name: 'New Joiner', email: `joiner.${unique}@example.test`, departmentId: dept, roles: ['employee'] }, APP_URL)
    expect(invited.ok).toBe(true)
    const [row] = (await listPeople(hr, filters({ department: dept }))).people
    expect(row).toMatchObject({ name: 'New Joiner', hasPassword: false })
  })
})

describe('getPerson', () => {
  it('returns 404 for an unknown or malformed id', async () => {
    const hr = await hrAdmin()
    await expectStatus(getPerson(hr, '00000000-0000-4000-8000-000000000000'), 404)
    await expectStatus(getPerson(hr, 'not-a-uuid'), 404)
  })

  it('lists direct reports, deactivated ones included', async () => {
    const hr = await hrAdmin()
    const boss = await createPerson({ name: 'Boss' })
    const r1 = await createPerson({ name: 'Report A', managerId: boss.id })
    const r2 = await createPerson({ name: 'Report B', managerId: boss.id, active: false })
    const person = await getPerson(hr, boss.id)
    expect(person.reports).toEqual([
      { id: r1.id, name: 'Report A', active: true },
      { id: r2.id, name: 'Report B', active: false },
    ])
  })
})

describe('updatePerson', () => {
  it('updates the fields and records what changed', async () => {
    const hr = await hrAdmin()
    const dept = await freshDept()
    const manager = await createPerson()
    const person = await createPerson({ name: 'Old Name', employeeNumber: `UPD-${unique}` })
    const result = await updatePerson(
      hr,
      person.id,
      {
        name: 'New Name',
        email: `new.${unique}@example.test`,
        employeeNumber: `UPD-${unique}-2`,
        departmentId: dept,
        managerId: manager.id,
        locale: 'en',
        roles: ['employee'],
      },
      '10.0.0.5',
    )
    expect(result).toEqual({ ok: true })
    const [row] = await db.select().from(users).where(eq(users.id, person.id))
    expect(row).toMatchObject({
      name: 'New Name',
      email: `new.${unique}@example.test`,
      employeeNumber: `UPD-${unique}-2`,
      departmentId: dept,
      managerId: manager.id,
      locale: 'en',
    })
    const [event] = await auditFor(person.id, 'person.updated')
    expect(event).toMatchObject({ actorId: hr.id, ip: '10.0.0.5' })
    expect(event.before).toMatchObject({ name: 'Old Name', departmentId: null, managerId: null })
    expect(event.after).toMatchObject({ name: 'New Name', departmentId: dept, managerId: manager.id })
    // Unchanged fields are not repeated in the audit entry.
    expect(event.after).not.toHaveProperty('roles')
  })

  it('writes no audit entry when nothing changed', async () => {
    const hr = await hrAdmin()
    const person = await createPerson()
    expect(await updatePerson(hr, person.id, await formOf(person.id))).toEqual({ ok: true })
    expect(await auditFor(person.id)).toEqual([])
  })

  it('clears the employee number, department, manager and language when they are left empty', async () => {
    const hr = await hrAdmin()
    const dept = await freshDept()
    const manager = await createPerson()
    const person = await createPerson({ employeeNumber: `CLR-${unique}`, departmentId: dept, managerId: manager.id })
    await db.update(users).set({ locale: 'en' }).where(eq(users.id, person.id))
    const form = await formOf(person.id)
    expect(await updatePerson(hr, person.id, { ...form, employeeNumber: undefined, departmentId: undefined, managerId: undefined, locale: undefined })).toEqual(
      { ok: true },
    )
    const [row] = await db.select().from(users).where(eq(users.id, person.id))
    expect(row).toMatchObject({ employeeNumber: null, departmentId: null, managerId: null, locale: null })
  })

  it('audits role changes with the roles before and after', async () => {
    const hr = await hrAdmin()
    const person = await createPerson({ roles: ['employee'] })
    expect(await updatePerson(hr, person.id, { ...(await formOf(person.id)), roles: ['manager', 'trainer'] })).toEqual({ ok: true })
    const roles = (await db.select().from(userRoles).where(eq(userRoles.userId, person.id))).map((r) => r.role).sort()
    expect(roles).toEqual(['manager', 'trainer'])
    const [event] = await auditFor(person.id, 'role.changed')
    expect(event).toMatchObject({ actorId: hr.id, before: { roles: ['employee'] } })
    expect((event.after as { roles: string[] }).roles.sort()).toEqual(['manager', 'trainer'])
  })

  it('refuses a reporting cycle and a self-manager as field errors, changing nothing', async () => {
    const hr = await hrAdmin()
    const top = await createPerson()
    const middle = await createPerson({ managerId: top.id })
    const bottom = await createPerson({ managerId: middle.id })
    const form = await formOf(top.id)
    expect(await updatePerson(hr, top.id, { ...form, name: 'Renamed', managerId: bottom.id })).toEqual({
      ok: false,
      errors: { managerId: 'people.managerCycle' },
    })
    expect(await updatePerson(hr, top.id, { ...form, managerId: top.id })).toEqual({ ok: false, errors: { managerId: 'people.selfManager' } })
    const [row] = await db.select().from(users).where(eq(users.id, top.id))
    expect(row).toMatchObject({ name: form.name, managerId: null })
    expect(await auditFor(top.id)).toEqual([])
  })

  it('reports an email or employee number someone else has on the right field', async () => {
    const hr = await hrAdmin()
    const other = await createPerson({ employeeNumber: `TAKEN-${++unique}` })
    const person = await createPerson()
    const form = await formOf(person.id)
    expect(await updatePerson(hr, person.id, { ...form, email: other.email })).toEqual({ ok: false, errors: { email: 'people.emailTaken' } })
    expect(await updatePerson(hr, person.id, { ...form, employeeNumber: `TAKEN-${unique}` })).toEqual({
      ok: false,
      errors: { employeeNumber: 'people.numberTaken' },
    })
    // Keeping one's own email and number is no clash.
    expect(await updatePerson(hr, other.id, await formOf(other.id))).toEqual({ ok: true })
  })

  it('refuses a department or manager that does not exist, and a newly chosen deactivated manager', async () => {
    const hr = await hrAdmin()
    const person = await createPerson()
    const form = await formOf(person.id)
    const nobody = '00000000-0000-4000-8000-000000000001'
    expect(await updatePerson(hr, person.id, { ...form, departmentId: nobody })).toEqual({ ok: false, errors: { departmentId: 'errors.invalid' } })
    expect(await updatePerson(hr, person.id, { ...form, managerId: nobody })).toEqual({ ok: false, errors: { managerId: 'errors.invalid' } })
    const gone = await createPerson({ active: false })
    expect(await updatePerson(hr, person.id, { ...form, managerId: gone.id })).toEqual({ ok: false, errors: { managerId: 'admin.managerInactive' } })
    // Someone whose manager has since left can still be edited without choosing a new one.
    await db.update(users).set({ managerId: gone.id }).where(eq(users.id, person.id))
    expect(await updatePerson(hr, person.id, { ...(await formOf(person.id)), name: 'Still Here' })).toEqual({ ok: true })
  })

  it('returns 404 for someone who does not exist', async () => {
    const hr = await hrAdmin()
    const form = await formOf(hr.id)
    await expectStatus(updatePerson(hr, '00000000-0000-4000-8000-000000000002', form), 404)
    await expectStatus(updatePerson(hr, 'nope', form), 404)
  })
})

describe('the last active HR admin', () => {
  /** Leaves `keep` as the only active HR admin in this file's database. */
  async function onlyAdmin(keep: CurrentUser) {
    const admins = await db.select({ id: userRoles.userId }).from(userRoles).where(eq(userRoles.role, 'hr_admin'))
    for (const { id } of admins) if (id !== keep.id) await db.update(users).set({ active: false }).where(eq(users.id, id))
  }

  it('cannot lose the role; another admin can once there is a second one', async () => {
    const hr = await hrAdmin(['employee'])
    await onlyAdmin(hr)
    const form = await formOf(hr.id)
    expect(await updatePerson(hr, hr.id, { ...form, roles: ['employee'] })).toEqual({ ok: false, errors: { roles: 'people.lastAdmin' } })
    expect((await db.select().from(userRoles).where(eq(userRoles.userId, hr.id))).map((r) => r.role).sort()).toEqual(['employee', 'hr_admin'])

    const second = await hrAdmin()
    expect(await updatePerson(second, hr.id, { ...form, roles: ['employee'] })).toEqual({ ok: true })
    // Now `second` is the last one.
    expect(await updatePerson(second, second.id, { ...(await formOf(second.id)), roles: ['employee'] })).toEqual({
      ok: false,
      errors: { roles: 'people.lastAdmin' },
    })
  })

  it('survives two admins removing each other at the same moment', async () => {
    const a = await hrAdmin(['employee'])
    await onlyAdmin(a)
    const b = await hrAdmin(['employee'])
    const [formA, formB] = [await formOf(a.id), await formOf(b.id)]
    const results = await Promise.all([updatePerson(a, b.id, { ...formB, roles: ['employee'] }), updatePerson(b, a.id, { ...formA, roles: ['employee'] })])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    const admins = await db
      .select({ id: users.id })
      .from(users)
      .innerJoin(userRoles, eq(userRoles.userId, users.id))
      .where(and(eq(userRoles.role, 'hr_admin'), eq(users.active, true)))
    expect(admins).toHaveLength(1)
  })

  it('may be deactivated by another admin only while one remains', async () => {
    const hr = await hrAdmin()
    await onlyAdmin(hr)
    const other = await hrAdmin()
    expect(await setPersonActive(other, hr.id, false)).toMatchObject({ ok: true })
    // `other` is now the last active admin, and cannot deactivate themselves either.
    expect(await setPersonActive(other, other.id, false)).toEqual({ ok: false, error: 'people.cannotDeactivateSelf' })
  })
})

describe('setPersonActive', () => {
  it('deactivation ends every session at once, and reactivation does not bring them back', async () => {
    const hr = await hrAdmin()
    const person = await createPerson()
    const phone = await requestAs(person, '/')
    const laptop = await requestAs(person, '/')
    expect(await getCurrentUser(phone)).not.toBeNull()

    expect(await setPersonActive(hr, person.id, false, '10.0.0.7')).toEqual({ ok: true, name: person.name })
    expect(await getCurrentUser(phone)).toBeNull()
    expect(await getCurrentUser(laptop)).toBeNull()
    const open = await db
      .select()
      .from(authSessions)
      .where(and(eq(authSessions.userId, person.id), isNull(authSessions.revokedAt)))
    expect(open).toEqual([])
    expect(await signIn({ email: person.email, password: TEST_PASSWORD, ip: '10.0.0.7' })).toEqual({ ok: false, reason: 'inactive' })

    expect(await setPersonActive(hr, person.id, true)).toEqual({ ok: true, name: person.name })
    expect(await getCurrentUser(phone)).toBeNull()
    expect(await signIn({ email: person.email, password: TEST_PASSWORD, ip: '10.0.0.7' })).toMatchObject({ ok: true })
    const [row] = await db.select().from(users).where(eq(users.id, person.id))
    expect(row).toMatchObject({ active: true, deactivatedAt: null })
    expect((await auditFor(person.id)).map((e) => e.action).filter((a) => a.startsWith('person.'))).toEqual(['person.deactivated', 'person.reactivated'])
  })

  it('keeps the person, their roles and their place in the organisation', async () => {
    const hr = await hrAdmin()
    const dept = await freshDept()
    const boss = await createPerson()
    const person = await createPerson({ roles: ['manager', 'employee'], departmentId: dept, managerId: boss.id })
    await setPersonActive(hr, person.id, false)
    const [row] = await db.select().from(users).where(eq(users.id, person.id))
    expect(row).toMatchObject({ active: false, departmentId: dept, managerId: boss.id })
    expect(row.deactivatedAt).toBeInstanceOf(Date)
    expect((await db.select().from(userRoles).where(eq(userRoles.userId, person.id))).length).toBe(2)
  })

  it('will not let an HR admin deactivate themselves', async () => {
    const hr = await hrAdmin()
    await hrAdmin()
    expect(await setPersonActive(hr, hr.id, false)).toEqual({ ok: false, error: 'people.cannotDeactivateSelf' })
    const [row] = await db.select().from(users).where(eq(users.id, hr.id))
    expect(row.active).toBe(true)
  })

  it('returns 404 for someone who does not exist', async () => {
    const hr = await hrAdmin()
    await expectStatus(setPersonActive(hr, '00000000-0000-4000-8000-000000000003', false), 404)
  })
})
