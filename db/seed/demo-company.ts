import { count, eq } from 'drizzle-orm'
import type { Database } from '../client.server'
import { departments, userRoles, users } from '../schema'
import type { Role } from '../schema/org'
import { hashPassword } from '../../app/modules/auth/password.server'
import { DEMO_PASSWORD } from './demo-accounts'

export { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts'

type Person = { number: string; name: string; email: string; dept: string; manager?: string; roles: Role[]; locale?: 'zh-CN' | 'en' }

const DEPARTMENTS = ['人力资源部', '销售部', '销售部/华东区', '销售部/华南区', '研发部', '研发部/平台组', '研发部/产品组', '运营部', '运营部/客户服务']

const LEADERS: Person[] = [
  { number: 'E0001', name: '王丽 Wang Li', email: 'hr.admin@example.com', dept: '人力资源部', roles: ['hr_admin', 'manager'] },
  { number: 'E0002', name: '陈静 Chen Jing', email: 'trainer@example.com', dept: '人力资源部', manager: 'E0001', roles: ['trainer', 'employee'] },
  {
    number: 'E0003',
    name: 'Emily Carter',
    email: 'emily.carter@example.com',
    dept: '人力资源部',
    manager: 'E0001',
    roles: ['trainer', 'employee'],
    locale: 'en',
  },
  { number: 'X0001', name: 'David Miller', email: 'lecturer@example.com', dept: '人力资源部', roles: ['lecturer'], locale: 'en' },
  { number: 'E0010', name: '刘强 Liu Qiang', email: 'liu.qiang@example.com', dept: '销售部', roles: ['manager'] },
  { number: 'E0011', name: '张伟 Zhang Wei', email: 'manager@example.com', dept: '销售部/华东区', manager: 'E0010', roles: ['manager'] },
  { number: 'E0012', name: 'Michael Brown', email: 'michael.brown@example.com', dept: '销售部/华东区', manager: 'E0010', roles: ['manager'], locale: 'en' },
  { number: 'E0013', name: '李娜 Li Na', email: 'li.na@example.com', dept: '销售部/华南区', manager: 'E0010', roles: ['manager'] },
  { number: 'E0014', name: 'James Wilson', email: 'james.wilson@example.com', dept: '销售部/华南区', manager: 'E0010', roles: ['manager'], locale: 'en' },
  { number: 'E0020', name: 'Sarah Lin', email: 'sarah.lin@example.com', dept: '研发部', roles: ['manager'], locale: 'en' },
  { number: 'E0021', name: '周杰 Zhou Jie', email: 'zhou.jie@example.com', dept: '研发部/平台组', manager: 'E0020', roles: ['manager'] },
  { number: 'E0022', name: 'Anna Schmidt', email: 'anna.schmidt@example.com', dept: '研发部/产品组', manager: 'E0020', roles: ['manager'], locale: 'en' },
  { number: 'E0023', name: '黄磊 Huang Lei', email: 'huang.lei@example.com', dept: '研发部/产品组', manager: 'E0020', roles: ['manager'] },
  { number: 'E0030', name: '孙悦 Sun Yue', email: 'sun.yue@example.com', dept: '运营部', roles: ['manager'] },
  { number: 'E0031', name: '吴敏 Wu Min', email: 'wu.min@example.com', dept: '运营部/客户服务', manager: 'E0030', roles: ['manager'] },
  { number: 'E0032', name: '郑浩 Zheng Hao', email: 'zheng.hao@example.com', dept: '运营部/客户服务', manager: 'E0030', roles: ['manager'] },
]

// Team leads who get employees, in turn.
const TEAM_LEADS = ['E0011', 'E0012', 'E0013', 'E0014', 'E0021', 'E0022', 'E0023', 'E0031', 'E0032']

const SURNAMES = [
  ['林', 'Lin'],
  ['赵', 'Zhao'],
  ['钱', 'Qian'],
  ['孙', 'Sun'],
  ['杨', 'Yang'],
  ['朱', 'Zhu'],
  ['何', 'He'],
  ['高', 'Gao'],
  ['马', 'Ma'],
  ['罗', 'Luo'],
  ['梁', 'Liang'],
  ['宋', 'Song'],
] as const
const GIVEN = [
  ['小雨', 'Xiaoyu'],
  ['建国', 'Jianguo'],
  ['海燕', 'Haiyan'],
  ['志强', 'Zhiqiang'],
  ['雪', 'Xue'],
  ['晨', 'Chen'],
  ['佳怡', 'Jiayi'],
  ['子涵', 'Zihan'],
  ['浩然', 'Haoran'],
  ['思远', 'Siyuan'],
] as const
const ENGLISH = ['Olivia Chen', 'Lucas Wang', 'Grace Liu', 'Ethan Zhou', 'Sophie Huang', 'Noah Xu', 'Chloe Guo', 'Ryan Tang', 'Mia Zhang', 'Leo Deng']

/** 60 employees spread over the team leads, the same every run. */
function employees(): Person[] {
  const people: Person[] = []
  for (let i = 0; i < 60; i++) {
    const lead = LEADERS.find((l) => l.number === TEAM_LEADS[i % TEAM_LEADS.length])!
    const english = i % 6 === 5
    let name: string
    let email: string
    if (i === 0) {
      name = '林小雨 Lin Xiaoyu'
      email = 'employee@example.com'
    } else if (english) {
      name = ENGLISH[Math.floor(i / 6) % ENGLISH.length]
      email = `${name.toLowerCase().replace(' ', '.')}.${i}@example.com`
    } else {
      const [zhS, enS] = SURNAMES[i % SURNAMES.length]
      const [zhG, enG] = GIVEN[(i * 7) % GIVEN.length]
      name = `${zhS}${zhG} ${enS} ${enG}`
      email = `${enS.toLowerCase()}.${enG.toLowerCase()}.${i}@example.com`
    }
    people.push({
      number: `E${String(100 + i).padStart(4, '0')}`,
      name,
      email,
      dept: lead.dept,
      manager: lead.number,
      roles: ['employee'],
      locale: english ? 'en' : undefined,
    })
  }
  return people
}

export function demoPeople(): Person[] {
  return [...LEADERS, ...employees()]
}

/** Seeds the demo company into an empty database. Returns false (and does nothing) if people exist. */
export async function seedDemoCompany(db: Database) {
  const [{ n }] = await db.select({ n: count() }).from(users)
  if (Number(n) > 0) return false
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  await db.transaction(async (tx) => {
    const deptIds = new Map<string, string>()
    for (const path of DEPARTMENTS) {
      const parts = path.split('/')
      const parentPath = parts.slice(0, -1).join('/')
      const [row] = await tx
        .insert(departments)
        .values({ name: parts[parts.length - 1], path, parentId: parentPath ? deptIds.get(parentPath)! : null })
        .returning({ id: departments.id })
      deptIds.set(path, row.id)
    }
    const people = demoPeople()
    const inserted = await tx
      .insert(users)
      .values(
        people.map((p) => ({
          employeeNumber: p.number,
          name: p.name,
          email: p.email,
          locale: p.locale ?? null,
          passwordHash,
          departmentId: deptIds.get(p.dept)!,
        })),
      )
      .returning({ id: users.id, employeeNumber: users.employeeNumber })
    const idByNumber = new Map(inserted.map((r) => [r.employeeNumber!, r.id]))
    for (const p of people) {
      if (!p.manager) continue
      await tx
        .update(users)
        .set({ managerId: idByNumber.get(p.manager)! })
        .where(eq(users.id, idByNumber.get(p.number)!))
    }
    await tx.insert(userRoles).values(people.flatMap((p) => p.roles.map((role) => ({ userId: idByNumber.get(p.number)!, role }))))
  })
  return true
}
