import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { parseDepartmentPath } from './departments.server'
import {
  columnForHeader,
  decodeText,
  evaluateOrgChart,
  findCycles,
  MAX_IMPORT_BYTES,
  normaliseDepartmentPath,
  parseOrgChartFile,
  parseRoles,
  type ExistingPerson,
  type ParsedOrgChart,
} from './org-import'

const CHINESE_CSV = [
  '工号,姓名,邮箱,部门路径,直属上级工号,角色',
  'M1,赵敏,zhao.min@example.test,市场部,,经理',
  'M2,钱多多,qian@example.test,市场部/品牌组,M1,员工、培训师',
].join('\r\n')

const utf8 = (text: string) => new TextEncoder().encode(text)

async function parse(bytes: Uint8Array, filename = 'org.csv') {
  const outcome = await parseOrgChartFile({ filename, bytes })
  if (!outcome.ok) throw new Error(`unexpected errors: ${JSON.stringify(outcome.errors)}`)
  return outcome.chart
}

describe('reading files', () => {
  it('reads UTF-8 CSV with Chinese headers, with and without a BOM', async () => {
    const plain = await parse(utf8(CHINESE_CSV))
    const withBom = await parse(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(CHINESE_CSV)]))
    for (const chart of [plain, withBom]) {
      expect(chart.hasRolesColumn).toBe(true)
      expect(chart.rows).toEqual([
        { row: 2, employeeNumber: 'M1', name: '赵敏', email: 'zhao.min@example.test', department: '市场部', managerNumber: '', roles: '经理' },
        { row: 3, employeeNumber: 'M2', name: '钱多多', email: 'qian@example.test', department: '市场部/品牌组', managerNumber: 'M1', roles: '员工、培训师' },
      ])
    }
  })

  it('reads GB18030 CSV as Chinese Excel saves it', async () => {
    const bytes = new Uint8Array(iconv.encode(CHINESE_CSV, 'gb18030'))
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow()
    const chart = await parse(bytes)
    expect(chart.rows[1]).toMatchObject({ name: '钱多多', department: '市场部/品牌组', roles: '员工、培训师' })
  })

  it('decodes UTF-16 text with a BOM (Excel’s “Unicode text”)', () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...iconv.encode('工号\t姓名', 'utf-16le')])
    expect(decodeText(bytes)).toBe('工号\t姓名')
  })

  it('reads XLSX cells as text, numbers included, and keeps spreadsheet row numbers', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Org')
    sheet.addRow(['2025 org chart'])
    sheet.addRow(['Employee Number', 'Name', 'E-mail', 'Department', 'Manager', 'Roles'])
    sheet.addRow([10001, 'Ada', { text: 'ada@example.test', hyperlink: 'mailto:ada@example.test' }, '财务部', null, 'hr_admin, trainer'])
    sheet.addRow([])
    sheet.addRow([10002, 'Bob', 'bob@example.test', '财务部/会计组', 10001, ''])
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer())
    const chart = await parse(bytes, 'org.xlsx')
    expect(chart.rows).toEqual([
      { row: 3, employeeNumber: '10001', name: 'Ada', email: 'ada@example.test', department: '财务部', managerNumber: '', roles: 'hr_admin, trainer' },
      { row: 5, employeeNumber: '10002', name: 'Bob', email: 'bob@example.test', department: '财务部/会计组', managerNumber: '10001', roles: '' },
    ])
  })

  it('keeps row numbers of CSV rows after blank lines and a title line', async () => {
    const chart = await parse(
      utf8('Org chart export\n\nemployee_number;name;email;department;manager_number\nA1;Ann;ann@example.test;HQ;\n\nA2;Ben;ben@example.test;HQ;A1\n'),
    )
    expect(chart.hasRolesColumn).toBe(false)
    expect(chart.rows.map((r) => [r.row, r.employeeNumber])).toEqual([
      [4, 'A1'],
      [6, 'A2'],
    ])
  })

  it('names every missing column', async () => {
    const outcome = await parseOrgChartFile({ filename: 'x.csv', bytes: utf8('工号,姓名\nM1,赵敏\n') })
    expect(outcome).toEqual({
      ok: false,
      errors: ['email', 'department', 'managerNumber'].map((column) => ({ key: 'import.err.missingColumn', vars: { column } })),
    })
  })

  it('refuses files that are too large, empty, or not CSV/XLSX', async () => {
    const big = new Uint8Array(MAX_IMPORT_BYTES + 1)
    expect(await parseOrgChartFile({ filename: 'a.csv', bytes: big })).toEqual({ ok: false, errors: [{ key: 'import.fileTooLarge' }] })
    expect(await parseOrgChartFile({ filename: 'a.csv', bytes: utf8('工号,姓名,邮箱,部门,上级工号\n') })).toEqual({
      ok: false,
      errors: [{ key: 'import.noRows' }],
    })
    expect(await parseOrgChartFile({ filename: 'a.xlsx', bytes: utf8('not a zip') })).toEqual({ ok: false, errors: [{ key: 'import.unreadable' }] })
    const oldExcel = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
    expect(await parseOrgChartFile({ filename: 'a.xls', bytes: oldExcel })).toEqual({ ok: false, errors: [{ key: 'import.unreadable' }] })
  })

  it('refuses more rows than the limit', async () => {
    const lines = ['工号,姓名,邮箱,部门,上级工号']
    for (let i = 0; i < 20_001; i++) lines.push(`N${i},P${i},p${i}@example.test,HQ,`)
    const outcome = await parseOrgChartFile({ filename: 'a.csv', bytes: utf8(lines.join('\n')) })
    expect(outcome).toEqual({ ok: false, errors: [{ key: 'import.tooManyRows', vars: { max: 20_000 } }] })
  })
})

describe('headers, roles and departments', () => {
  it('matches header names in either language ignoring case and spaces', () => {
    expect(columnForHeader(' Employee number ')).toBe('employeeNumber')
    expect(columnForHeader('EMPLOYEE_NUMBER')).toBe('employeeNumber')
    expect(columnForHeader('工号')).toBe('employeeNumber')
    expect(columnForHeader('电子邮件')).toBe('email')
    expect(columnForHeader('部门路径')).toBe('department')
    expect(columnForHeader('直属上级工号')).toBe('managerNumber')
    expect(columnForHeader('manager_number')).toBe('managerNumber')
    expect(columnForHeader('角色')).toBe('roles')
    expect(columnForHeader('生日')).toBeUndefined()
  })

  it('reads roles by code or label, with any of the usual separators', () => {
    expect(parseRoles('hr_admin, trainer')).toEqual({ roles: ['hr_admin', 'trainer'], unknown: [] })
    expect(parseRoles('HR管理员、培训师；外部讲师|经理')).toEqual({ roles: ['hr_admin', 'trainer', 'lecturer', 'manager'], unknown: [] })
    expect(parseRoles('Manager;员工;manager')).toEqual({ roles: ['manager', 'employee'], unknown: [] })
    expect(parseRoles('')).toEqual({ roles: ['employee'], unknown: [] })
    expect(parseRoles('经理, 老板')).toEqual({ roles: ['manager'], unknown: ['老板'] })
  })

  it('normalises department paths by the same rules as the departments module', () => {
    for (const value of ['销售部/华东区', ' 销售部 / 华东区 ', '销售部//华东区', '销售部/', 'x'.repeat(101)]) {
      expect(normaliseDepartmentPath(value)).toBe(parseDepartmentPath(value)?.join('/') ?? null)
    }
    expect(normaliseDepartmentPath('市场部／品牌组')).toBe('市场部/品牌组')
  })
})

describe('checking rows', () => {
  const person = (p: Partial<ExistingPerson> & { id: string }): ExistingPerson => ({
    employeeNumber: null,
    email: `${p.id}@example.test`,
    name: p.id,
    active: true,
    departmentPath: null,
    managerId: null,
    roles: ['employee'],
    ...p,
  })
  const chart = (rows: [string, string, string, string?, string?, string?][], hasRolesColumn = true): ParsedOrgChart => ({
    hasRolesColumn,
    rows: rows.map(([employeeNumber, name, email, department = '', managerNumber = '', roles = ''], i) => ({
      row: i + 2,
      employeeNumber,
      name,
      email,
      department,
      managerNumber,
      roles,
    })),
  })

  it('finds cycles in a reporting graph, leaving chains into them alone', () => {
    const next = new Map<string, string | null>([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
      ['d', 'a'],
      ['e', null],
    ])
    expect(findCycles(next)).toEqual([['a', 'b', 'c']])
  })

  it('keeps existing roles when the file has no roles column', () => {
    const existing = [person({ id: 'u1', employeeNumber: 'E1', email: 'e1@example.test', name: 'One', roles: ['trainer'] })]
    const { rows } = evaluateOrgChart(
      chart(
        [
          ['E1', 'One', 'e1@example.test'],
          ['E2', 'Two', 'e2@example.test'],
        ],
        false,
      ),
      existing,
      'admin',
    )
    expect(rows.map((r) => [r.change, r.roleList])).toEqual([
      ['unchanged', null],
      ['create', null],
    ])
  })

  it('gives a person added by hand without a number their number, matched by email', () => {
    const existing = [person({ id: 'u1', email: 'e1@example.test', name: 'One' })]
    const { rows, summary } = evaluateOrgChart(chart([['E1', 'One', 'E1@Example.test', '', '', '员工']]), existing, 'admin')
    expect(rows[0]).toMatchObject({ change: 'update', changes: ['employeeNumber'], personId: 'u1', email: 'e1@example.test' })
    expect(summary.missing).toBe(0)
  })

  it('never counts the acting admin or external lecturers as missing', () => {
    const existing = [
      person({ id: 'admin', roles: ['hr_admin'] }),
      person({ id: 'lecturer', roles: ['lecturer'] }),
      person({ id: 'gone' }),
      person({ id: 'old', active: false }),
    ]
    const { missingIds } = evaluateOrgChart(chart([['E1', 'One', 'e1@example.test']]), existing, 'admin')
    expect(missingIds).toEqual(['gone'])
  })

  it('refuses to take the acting admin’s own HR admin role away', () => {
    const existing = [person({ id: 'admin', employeeNumber: 'A1', roles: ['hr_admin'] })]
    const { rows } = evaluateOrgChart(chart([['A1', 'admin', 'admin@example.test', '', '', '经理']]), existing, 'admin')
    expect(rows[0].errors).toEqual([{ key: 'import.err.ownAdminRole' }])
  })

  it('shows old → new for every changed field and warns about HR admins’ accounts and the admin’s own (issue 11)', () => {
    const existing = [
      person({ id: 'admin', employeeNumber: 'A1', name: 'Me', email: 'me@example.test', roles: ['hr_admin'] }),
      person({ id: 'hr2', employeeNumber: 'A2', name: 'Wang Li', email: 'hr@example.test', roles: ['hr_admin'], departmentPath: 'HR' }),
      person({ id: 'boss', employeeNumber: 'M1', name: 'Boss', email: 'boss@example.test', roles: ['manager'] }),
      person({ id: 'u1', employeeNumber: 'E1', name: 'One', email: 'one@example.test', departmentPath: 'Sales', managerId: 'boss' }),
      person({ id: 'hr3', employeeNumber: 'A3', name: 'Left Out', email: 'left@example.test', roles: ['hr_admin'] }),
    ]
    const { rows, summary } = evaluateOrgChart(
      chart([
        ['A1', 'Me Renamed', 'me@example.test', '', '', 'HR管理员'],
        ['A2', 'Wang Li', 'mis-keyed@example.test', 'HR', '', '员工'],
        ['M1', 'Boss', 'boss@example.test', '', '', '经理'],
        ['E1', 'One', 'one@example.test', 'R&D', '', '员工; 培训师'],
      ]),
      existing,
      'admin',
    )
    expect(rows[0]).toMatchObject({ changes: ['name'], before: { name: 'Me' }, warnings: [{ key: 'import.warn.self' }] })
    expect(rows[1]).toMatchObject({
      changes: ['email', 'roles'],
      before: { email: 'hr@example.test', roles: 'hr_admin' },
      roleList: ['employee'],
      warnings: [
        { key: 'import.warn.adminEmail', vars: { name: 'Wang Li', from: 'hr@example.test', to: 'mis-keyed@example.test' } },
        { key: 'import.warn.adminRole', vars: { name: 'Wang Li' } },
      ],
    })
    expect(rows[2].warnings).toBeUndefined()
    expect(rows[3]).toMatchObject({
      changes: ['department', 'manager', 'roles'],
      before: { department: 'Sales', manager: 'Boss', roles: 'employee' },
      roleList: ['employee', 'trainer'],
    })
    expect(rows[3].warnings).toBeUndefined()
    expect(summary).toMatchObject({ warnings: 2, missingAdmins: ['Left Out'] })
  })
})
