import { count, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { departments, userRoles, users } from '#db/schema'
import { demoPeople, seedDemoCompany } from './demo-company'
import { DEMO_ACCOUNTS } from './demo-accounts'

describe('demo company seed', () => {
  it('seeds an empty database once, with the promised shape', async () => {
    expect(await seedDemoCompany(db)).toBe(true)
    expect(await seedDemoCompany(db)).toBe(false)

    const depts = await db.select().from(departments)
    expect(depts.length).toBeGreaterThanOrEqual(6)
    expect(depts.some((d) => d.parentId === null)).toBe(true)
    expect(depts.some((d) => d.parentId !== null)).toBe(true)

    const roleCounts = Object.fromEntries(
      (await db.select({ role: userRoles.role, n: count() }).from(userRoles).groupBy(userRoles.role)).map((r) => [r.role, Number(r.n)]),
    )
    expect(roleCounts.hr_admin).toBe(1)
    expect(roleCounts.trainer).toBe(2)
    expect(roleCounts.lecturer).toBe(1)
    expect(roleCounts.manager).toBeGreaterThanOrEqual(12)
    expect(roleCounts.employee).toBeGreaterThanOrEqual(60)

    // Some managers manage managers, and every employee-only person has a manager.
    const managersOfManagers = parseRows(
      z.object({ n: column.number }),
      await db.execute(
        sql`select count(distinct m.id)::int as n from users m join users r on r.manager_id = m.id join user_roles ur on ur.user_id = r.id and ur.role = 'manager'`,
      ),
    )
    expect(managersOfManagers[0].n).toBeGreaterThanOrEqual(2)
    const [{ orphans }] = parseRows(
      z.object({ orphans: column.number }),
      await db.execute(
        sql`select count(*)::int as orphans from users u where u.manager_id is null and exists (select 1 from user_roles r where r.user_id = u.id and r.role = 'employee') and not exists (select 1 from user_roles r where r.user_id = u.id and r.role <> 'employee')`,
      ),
    )
    expect(orphans).toBe(0)

    // Chinese and English names; every demo account exists.
    const names = (await db.select({ name: users.name }).from(users)).map((u) => u.name)
    expect(names.some((n) => /[\u4e00-\u9fff]/.test(n))).toBe(true)
    expect(names.some((n) => /^[A-Za-z ]+$/.test(n))).toBe(true)
    for (const account of DEMO_ACCOUNTS) {
      const [row] = await db.select().from(users).where(eq(users.email, account.email))
      expect(row?.name).toBe(account.name)
    }
  })

  it('is deterministic', () => {
    expect(demoPeople()).toEqual(demoPeople())
    expect(demoPeople().map((p) => p.email)).toMatchSnapshot()
  })
})
