import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { auditEvents, departments } from '#db/schema'
import { createPerson } from '../../../tests/setup/fixtures'
import { createDepartment, ensureDepartmentPath, listDepartmentOptions, listDepartmentTree } from './departments.server'

describe('listDepartmentTree', () => {
  it('counts active people in each department and in its whole subtree', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const sales = await ensureDepartmentPath(db, ['Sales'])
    const east = await ensureDepartmentPath(db, ['Sales', 'East'])
    const shanghai = await ensureDepartmentPath(db, ['Sales', 'East', 'Shanghai'])
    const salesOps = await ensureDepartmentPath(db, ['Sales Ops'])
    await createPerson({ departmentId: sales })
    await createPerson({ departmentId: east })
    await createPerson({ departmentId: east, active: false })
    await createPerson({ departmentId: shanghai })
    await createPerson({ departmentId: shanghai })
    await createPerson({ departmentId: salesOps })
    const tree = await listDepartmentTree(hr)
    const byId = new Map(tree.map((d) => [d.id, d]))
    expect(byId.get(sales)).toMatchObject({ name: 'Sales', depth: 0, members: 1, subtreeMembers: 4, parentId: null })
    expect(byId.get(east)).toMatchObject({ depth: 1, members: 1, subtreeMembers: 3, parentId: sales })
    expect(byId.get(shanghai)).toMatchObject({ depth: 2, members: 2, subtreeMembers: 2 })
    expect(byId.get(salesOps)).toMatchObject({ members: 1, subtreeMembers: 1 })
    // Each department is followed by its whole subtree, whatever characters sibling names contain.
    expect(tree.map((d) => d.path).filter((p) => p.startsWith('Sales'))).toEqual(['Sales', 'Sales/East', 'Sales/East/Shanghai', 'Sales Ops'])
    expect((await listDepartmentOptions(hr)).map((d) => d.id)).toEqual(tree.map((d) => d.id))
  })
})

describe('createDepartment', () => {
  it('adds a department under a parent and audits it', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const parent = await ensureDepartmentPath(db, ['Research'])
    const result = await createDepartment(hr, { name: 'Lab', parentId: parent }, '10.0.0.1')
    expect(result).toMatchObject({ ok: true, name: 'Lab' })
    const [row] = await db.select().from(departments).where(eq(departments.path, 'Research/Lab'))
    expect(row).toMatchObject({ name: 'Lab', parentId: parent })
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.entityId, row.id))
    expect(event).toMatchObject({ action: 'department.created', actorId: hr.id, after: { path: 'Research/Lab' } })
  })

  it('refuses a name already used at that level, but allows it elsewhere', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const a = await ensureDepartmentPath(db, ['North'])
    const b = await ensureDepartmentPath(db, ['South'])
    expect(await createDepartment(hr, { name: 'Support', parentId: a })).toMatchObject({ ok: true })
    expect(await createDepartment(hr, { name: 'Support', parentId: a })).toEqual({ ok: false, errors: { name: 'departments.nameTaken' } })
    expect(await createDepartment(hr, { name: 'Support', parentId: b })).toMatchObject({ ok: true })
    expect(await createDepartment(hr, { name: 'North' })).toEqual({ ok: false, errors: { name: 'departments.nameTaken' } })
  })

  it('refuses a parent that does not exist', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    expect(await createDepartment(hr, { name: 'Orphan', parentId: '00000000-0000-4000-8000-000000000009' })).toEqual({
      ok: false,
      errors: { parentId: 'errors.invalid' },
    })
  })
})
