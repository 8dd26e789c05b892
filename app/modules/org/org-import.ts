import { parse as parseCsvText } from 'csv-parse/sync'
import { Email } from '~/modules/auth/auth'
import type { Role } from '~/modules/auth/permissions'

/**
 * Org-chart import, the part without a database: reading CSV/XLSX exports, mapping their
 * headers, and checking every row against a snapshot of the people already in Genjin.
 * The server module loads the snapshot and writes; everything decided here is testable alone.
 */

export const MAX_IMPORT_BYTES = 5_000_000
export const MAX_IMPORT_ROWS = 20_000

/** A message key with its variables; the UI translates it. */
export type MessageRef = { key: string; vars?: Record<string, string | number> }

export const importColumns = ['employeeNumber', 'name', 'email', 'department', 'managerNumber', 'roles'] as const
export type ImportColumn = (typeof importColumns)[number]

// Roles are optional: HR systems rarely know Genjin's roles, so without the column
// existing people keep theirs and new people become employees.
const requiredColumns: ImportColumn[] = ['employeeNumber', 'name', 'email', 'department', 'managerNumber']

const headerAliases: Record<ImportColumn, string[]> = {
  employeeNumber: ['employeenumber', 'employeeno', 'employeeid', 'empno', 'staffno', 'number', '工号', '员工工号', '员工编号'],
  name: ['name', 'fullname', '姓名', '员工姓名'],
  email: ['email', 'emailaddress', 'mail', '邮箱', '电子邮件', '电子邮箱', '邮件', '邮箱地址'],
  department: ['department', 'departmentpath', 'dept', '部门', '部门路径', '所属部门'],
  managerNumber: ['managernumber', 'manager', 'manageremployeenumber', 'managerno', 'manageremployeeno', '上级工号', '直属上级工号', '上级', '直属上级'],
  roles: ['roles', 'role', '角色', 'genjin角色'],
}

const columnByAlias = new Map(Object.entries(headerAliases).flatMap(([column, aliases]) => aliases.map((a) => [a, column as ImportColumn])))

/** Header cells are matched ignoring case, spaces, underscores, hyphens, full-width forms and a trailing `*`. */
export function columnForHeader(header: string): ImportColumn | undefined {
  return columnByAlias.get(
    header
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s_\-*]/g, ''),
  )
}

const roleAliases = new Map<string, Role>([
  ['hradmin', 'hr_admin'],
  ['hr管理员', 'hr_admin'],
  ['人力资源管理员', 'hr_admin'],
  ['trainer', 'trainer'],
  ['培训师', 'trainer'],
  ['lecturer', 'lecturer'],
  ['externallecturer', 'lecturer'],
  ['外部讲师', 'lecturer'],
  ['讲师', 'lecturer'],
  ['manager', 'manager'],
  ['经理', 'manager'],
  ['employee', 'employee'],
  ['员工', 'employee'],
])

/**
 * Reads a roles cell: separated by `,` `、` `;` or `|` (full-width too), codes or labels in
 * either language. An empty cell means employee.
 */
export function parseRoles(value: string): { roles: Role[]; unknown: string[] } {
  const tokens = value
    .normalize('NFKC')
    .split(/[,、;|\n]/)
    .map((t) => t.trim())
    .filter(Boolean)
  const roles: Role[] = []
  const unknown: string[] = []
  for (const token of tokens) {
    const role = roleAliases.get(token.toLowerCase().replace(/[\s_\-]/g, ''))
    if (!role) unknown.push(token)
    else if (!roles.includes(role)) roles.push(role)
  }
  return { roles: roles.length || unknown.length ? roles : ['employee'], unknown }
}

/**
 * "销售部 / 华东区" → "销售部/华东区"; null when a part is empty or too long. The same rules as
 * `parseDepartmentPath` (a server module), plus the full-width slash Chinese keyboards type.
 */
export function normaliseDepartmentPath(value: string): string | null {
  const parts = value
    .replace(/／/g, '/')
    .split('/')
    .map((p) => p.trim())
  if (parts.some((p) => p.length === 0 || p.length > 100)) return null
  return parts.join('/')
}

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise GB18030 (a superset of GBK). */
export function decodeText(bytes: Uint8Array): string {
  // Excel's "Unicode text" is UTF-16 with a BOM.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes)
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('gb18030').decode(bytes)
  }
}

/** A sheet's non-empty rows, each with its row number as the spreadsheet shows it. */
export type Grid = { row: number; cells: string[] }[]

/** Comma, semicolon (European Excel) or tab, whichever the first lines use most; a title line above the header can't mislead it. */
function guessDelimiter(text: string) {
  const head = text.split(/\r?\n/, 10).join('\n')
  const counts = [',', ';', '\t'].map((d) => ({ d, n: head.split(d).length }))
  return counts.reduce((best, c) => (c.n > best.n ? c : best)).d
}

export function readCsv(text: string): Grid {
  const records: string[][] = parseCsvText(text, {
    delimiter: guessDelimiter(text),
    relax_column_count: true,
    relax_quotes: true,
    // Empty lines stay so that record i is spreadsheet row i + 1.
    skip_empty_lines: false,
  })
  return records.map((cells, i) => ({ row: i + 1, cells: cells.map((c) => c.trim()) })).filter((r) => r.cells.some(Boolean))
}

export async function readXlsx(bytes: Uint8Array): Promise<Grid> {
  // Loaded on demand: most uploads are CSV, and exceljs is large.
  const { default: ExcelJS } = await import('exceljs')
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0])
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0)
  if (!sheet) return []
  if (sheet.actualRowCount > MAX_IMPORT_ROWS + 10) throw new TooManyRows()
  const grid: Grid = []
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = []
    // `text` is what Excel shows: hyperlinks' text, formulas' results, numbers without exponent noise.
    for (let i = 1; i <= row.cellCount; i++) {
      const cell = row.getCell(i)
      // A date cell (Excel turns a typed "2026-05" into one) as its calendar day, not JavaScript's date text.
      cells.push(cell.value instanceof Date ? cell.value.toISOString().slice(0, 10) : cell.text.trim())
    }
    if (cells.some(Boolean)) grid.push({ row: rowNumber, cells })
  })
  return grid
}

class TooManyRows extends Error {}

/** One data row as read from the file (trimmed text), with its spreadsheet row number. */
export type ImportRowInput = {
  row: number
  employeeNumber: string
  name: string
  email: string
  department: string
  managerNumber: string
  roles: string
}

export type ParsedOrgChart = { rows: ImportRowInput[]; hasRolesColumn: boolean }

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04
const isOldExcel = (b: Uint8Array) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0

/**
 * Reads an uploaded CSV or XLSX org chart. The header is the first row that names at least
 * two known columns (exports often put a title above it); file-level problems come back as
 * errors, row-level ones are left to `evaluateOrgChart`.
 */
export async function parseOrgChartFile(file: {
  filename: string
  bytes: Uint8Array
}): Promise<{ ok: true; chart: ParsedOrgChart } | { ok: false; errors: MessageRef[] }> {
  const { bytes } = file
  if (bytes.byteLength > MAX_IMPORT_BYTES) return { ok: false, errors: [{ key: 'import.fileTooLarge' }] }
  if (bytes.byteLength === 0) return { ok: false, errors: [{ key: 'import.noRows' }] }
  const looksLikeXlsx = isZip(bytes)
  if (isOldExcel(bytes) || (!looksLikeXlsx && /\.xlsx?$/i.test(file.filename))) return { ok: false, errors: [{ key: 'import.unreadable' }] }
  let grid: Grid
  try {
    grid = looksLikeXlsx ? await readXlsx(bytes) : readCsv(decodeText(bytes))
  } catch (error) {
    if (error instanceof TooManyRows) return { ok: false, errors: [{ key: 'import.tooManyRows', vars: { max: MAX_IMPORT_ROWS } }] }
    return { ok: false, errors: [{ key: 'import.unreadable' }] }
  }
  if (grid.length === 0) return { ok: false, errors: [{ key: 'import.noRows' }] }

  const mapped = grid.slice(0, 10).map((r, index) => {
    const columns = new Map<ImportColumn, number>()
    r.cells.forEach((cell, i) => {
      const column = columnForHeader(cell)
      if (column && !columns.has(column)) columns.set(column, i)
    })
    return { index, columns }
  })
  const header = mapped.find((m) => m.columns.size >= 2) ?? mapped[0]
  const missing = requiredColumns.filter((c) => !header.columns.has(c))
  if (missing.length) return { ok: false, errors: missing.map((column) => ({ key: 'import.err.missingColumn', vars: { column } })) }

  const data = grid.slice(header.index + 1)
  if (data.length === 0) return { ok: false, errors: [{ key: 'import.noRows' }] }
  if (data.length > MAX_IMPORT_ROWS) return { ok: false, errors: [{ key: 'import.tooManyRows', vars: { max: MAX_IMPORT_ROWS } }] }
  const cell = (cells: string[], column: ImportColumn) => {
    const i = header.columns.get(column)
    return i === undefined ? '' : (cells[i] ?? '')
  }
  return {
    ok: true,
    chart: {
      hasRolesColumn: header.columns.has('roles'),
      rows: data.map(({ row, cells }) => ({
        row,
        employeeNumber: cell(cells, 'employeeNumber'),
        name: cell(cells, 'name'),
        email: cell(cells, 'email'),
        department: cell(cells, 'department'),
        managerNumber: cell(cells, 'managerNumber'),
        roles: cell(cells, 'roles'),
      })),
    },
  }
}

/** A person already in Genjin, as the import compares against them. */
export type ExistingPerson = {
  id: string
  employeeNumber: string | null
  email: string
  name: string
  active: boolean
  departmentPath: string | null
  managerId: string | null
  roles: Role[]
}

export type ChangeField = 'employeeNumber' | 'name' | 'email' | 'department' | 'manager' | 'roles' | 'reactivate'
export type ChangeKind = 'create' | 'update' | 'unchanged' | 'error'

export type ImportRowResult = ImportRowInput & {
  /** Normalised department path; null for none. */
  departmentPath: string | null
  /** Parsed roles; null when the file has no roles column (existing roles stay). */
  roleList: Role[] | null
  /** The existing person this row updates (matched by employee number). */
  personId: string | null
  change: ChangeKind
  changes: ChangeField[]
  /** The person's current value of each changed field, for "old → new" (roles joined with "; "). */
  before?: Partial<Record<ChangeField, string>>
  /** Changes to look at twice before applying: the signed-in admin's own account, an HR admin's email or roles. */
  warnings?: MessageRef[]
  errors: MessageRef[]
}

export type ImportSummary = {
  rows: number
  created: number
  updated: number
  unchanged: number
  errors: number
  missing: number
  /** HR admins the import would deactivate (not in the file): their names. */
  missingAdmins?: string[]
  /** Rows with a warning. */
  warnings?: number
}

export const LIMITS = { employeeNumber: 50, name: 100, email: 254 } as const

/** Only an external lecturer is never in an HR system's export, so missing from it means nothing. */
function isExternalOnly(person: ExistingPerson) {
  return person.roles.length > 0 && person.roles.every((r) => r === 'lecturer')
}

/**
 * Checks every row and decides what applying would change, against a snapshot of all
 * existing people. Rows match existing people by employee number (or, for someone added
 * by hand without a number, by email: the import then gives them their number).
 * `missingIds` are active people not in the file who may be deactivated — never the
 * acting admin, never external lecturers.
 */
export function evaluateOrgChart(chart: ParsedOrgChart, existing: ExistingPerson[], actorId: string) {
  const byNumber = new Map<string, ExistingPerson>()
  const byEmail = new Map<string, ExistingPerson>()
  for (const p of existing) {
    if (p.employeeNumber) byNumber.set(p.employeeNumber, p)
    byEmail.set(p.email, p)
  }
  const fileNumbers = new Set(chart.rows.map((r) => r.employeeNumber).filter(Boolean))
  const firstRowOfNumber = new Map<string, ImportRowResult>()
  const seenEmails = new Set<string>()

  const results: ImportRowResult[] = chart.rows.map((input) => {
    const errors: MessageRef[] = []
    const required = (column: ImportColumn, value: string) => {
      if (!value) errors.push({ key: 'import.err.required', vars: { column } })
      else if (column in LIMITS && value.length > LIMITS[column as keyof typeof LIMITS]) {
        errors.push({ key: 'import.err.tooLong', vars: { column, max: LIMITS[column as keyof typeof LIMITS] } })
      }
      return Boolean(value)
    }
    const hasNumber = required('employeeNumber', input.employeeNumber)
    required('name', input.name)
    let email = input.email.toLowerCase()
    if (required('email', input.email)) {
      const parsed = Email.safeParse(input.email)
      if (parsed.success) email = parsed.data
      else if (input.email.length <= LIMITS.email) errors.push({ key: 'import.err.email', vars: { value: input.email } })
    }

    let departmentPath: string | null = null
    if (input.department) {
      departmentPath = normaliseDepartmentPath(input.department)
      if (!departmentPath) errors.push({ key: 'import.err.department', vars: { value: input.department } })
    }

    let roleList: Role[] | null = null
    if (chart.hasRolesColumn) {
      const parsed = parseRoles(input.roles)
      for (const value of parsed.unknown) errors.push({ key: 'import.err.role', vars: { value } })
      roleList = parsed.roles
    }

    // Later occurrences are the errors: the first one is what the row numbers point back to.
    if (hasNumber && firstRowOfNumber.has(input.employeeNumber)) {
      errors.push({ key: 'import.err.duplicateNumber', vars: { value: input.employeeNumber } })
    }
    if (email && seenEmails.has(email)) errors.push({ key: 'import.err.duplicateEmail', vars: { value: email } })
    seenEmails.add(email)

    let person = hasNumber ? byNumber.get(input.employeeNumber) : undefined
    if (!person && hasNumber) {
      const sameEmail = byEmail.get(email)
      if (sameEmail && !sameEmail.employeeNumber) person = sameEmail
    }
    const owner = byEmail.get(email)
    if (owner && owner.id !== person?.id) {
      errors.push({ key: 'import.err.emailTaken', vars: { value: email, number: owner.employeeNumber ?? '—' } })
    }

    if (input.managerNumber) {
      if (input.managerNumber === input.employeeNumber) errors.push({ key: 'import.err.selfManager' })
      else if (!fileNumbers.has(input.managerNumber) && !byNumber.has(input.managerNumber)) {
        errors.push({ key: 'import.err.unknownManager', vars: { value: input.managerNumber } })
      }
    }
    if (person?.id === actorId && roleList && !roleList.includes('hr_admin')) errors.push({ key: 'import.err.ownAdminRole' })

    const result: ImportRowResult = {
      ...input,
      email,
      departmentPath,
      roleList,
      personId: person?.id ?? null,
      change: 'error',
      changes: [],
      errors,
    }
    if (hasNumber && !firstRowOfNumber.has(input.employeeNumber)) firstRowOfNumber.set(input.employeeNumber, result)
    return result
  })

  // The reporting graph after the import: file rows replace their people's lines, everyone
  // else keeps theirs. Nodes are employee numbers, or ids for people without one.
  const matchedIds = new Set(results.map((r) => r.personId).filter((id): id is string => Boolean(id)))
  const keyById = new Map<string, string>()
  for (const p of existing) if (p.employeeNumber && !matchedIds.has(p.id)) keyById.set(p.id, `n:${p.employeeNumber}`)
  for (const p of existing) if (!p.employeeNumber && !matchedIds.has(p.id)) keyById.set(p.id, `id:${p.id}`)
  for (const [number, r] of firstRowOfNumber) if (r.personId) keyById.set(r.personId, `n:${number}`)

  const managerOf = new Map<string, string | null>()
  const label = new Map<string, string>()
  for (const p of existing) {
    if (matchedIds.has(p.id)) continue
    const key = keyById.get(p.id)!
    managerOf.set(key, p.managerId ? (keyById.get(p.managerId) ?? null) : null)
    label.set(key, p.employeeNumber ?? p.name)
  }
  for (const [number, r] of firstRowOfNumber) {
    const key = `n:${number}`
    const target = r.managerNumber && r.managerNumber !== number ? `n:${r.managerNumber}` : null
    managerOf.set(key, target)
    label.set(key, number)
  }
  for (const cycle of findCycles(managerOf)) {
    cycle.forEach((key, i) => {
      const row = key.startsWith('n:') ? firstRowOfNumber.get(key.slice(2)) : undefined
      // Each row reads the loop from itself: "C2 → C1 → C2".
      const chain = [...cycle.slice(i), ...cycle.slice(0, i), key].map((k) => label.get(k) ?? k).join(' → ')
      row?.errors.push({ key: 'import.err.cycle', vars: { chain } })
    })
  }

  const byId = new Map(existing.map((p) => [p.id, p]))
  for (const r of results) {
    if (r.errors.length) continue
    const person = r.personId ? byId.get(r.personId) : undefined
    if (!person) {
      r.change = 'create'
      continue
    }
    const changes: ChangeField[] = []
    if (!person.employeeNumber) changes.push('employeeNumber')
    if (person.name !== r.name) changes.push('name')
    if (person.email !== r.email) changes.push('email')
    if (person.departmentPath !== r.departmentPath) changes.push('department')
    const currentManager = person.managerId ? (keyById.get(person.managerId) ?? null) : null
    if (currentManager !== (r.managerNumber ? `n:${r.managerNumber}` : null)) changes.push('manager')
    if (r.roleList && !sameSet(r.roleList, person.roles)) changes.push('roles')
    if (!person.active) changes.push('reactivate')
    r.changes = changes
    r.change = changes.length ? 'update' : 'unchanged'
    const managerName = person.managerId ? (byId.get(person.managerId)?.name ?? '') : ''
    const was: Record<ChangeField, string> = {
      employeeNumber: person.employeeNumber ?? '',
      name: person.name,
      email: person.email,
      department: person.departmentPath ?? '',
      manager: managerName,
      roles: person.roles.join('; '),
      reactivate: '',
    }
    r.before = Object.fromEntries(changes.filter((c) => c !== 'reactivate').map((c) => [c, was[c]]))
    const warnings: MessageRef[] = []
    if (changes.length && person.id === actorId) warnings.push({ key: 'import.warn.self' })
    else if (person.roles.includes('hr_admin')) {
      if (changes.includes('email')) warnings.push({ key: 'import.warn.adminEmail', vars: { name: person.name, from: person.email, to: r.email } })
      if (changes.includes('name')) warnings.push({ key: 'import.warn.adminName', vars: { from: person.name, to: r.name } })
      if (r.roleList && !r.roleList.includes('hr_admin')) warnings.push({ key: 'import.warn.adminRole', vars: { name: person.name } })
    }
    if (warnings.length) r.warnings = warnings
  }

  const missingIds = existing.filter((p) => p.active && !matchedIds.has(p.id) && p.id !== actorId && !isExternalOnly(p)).map((p) => p.id)
  const count = (kind: ChangeKind) => results.filter((r) => r.change === kind).length
  const summary: ImportSummary = {
    rows: results.length,
    created: count('create'),
    updated: count('update'),
    unchanged: count('unchanged'),
    errors: count('error'),
    missing: missingIds.length,
  }
  const missingAdmins = missingIds.map((id) => byId.get(id)!).filter((p) => p.roles.includes('hr_admin'))
  if (missingAdmins.length) summary.missingAdmins = missingAdmins.map((p) => p.name)
  const warned = results.filter((r) => r.warnings?.length).length
  if (warned) summary.warnings = warned
  return { rows: results, summary, missingIds }
}

function sameSet<T>(a: T[], b: T[]) {
  return a.length === b.length && a.every((x) => b.includes(x))
}

/** Every cycle in a functional graph (each node has at most one successor), in O(n). */
export function findCycles(next: Map<string, string | null>): string[][] {
  const state = new Map<string, 'active' | 'done'>()
  const cycles: string[][] = []
  for (const start of next.keys()) {
    if (state.has(start)) continue
    const path: string[] = []
    let node: string | null | undefined = start
    while (node && next.has(node) && !state.has(node)) {
      state.set(node, 'active')
      path.push(node)
      node = next.get(node)
    }
    if (node && state.get(node) === 'active') cycles.push(path.slice(path.indexOf(node)))
    for (const n of path) state.set(n, 'done')
  }
  return cycles
}

/** The rows and settings kept in `org_imports.rows` between preview and apply. */
export type StoredImport = { hasRolesColumn: boolean; rows: ImportRowResult[] }

/** Back to what was read from the file, so apply can check it again against the database as it is then. */
export function toInput(row: ImportRowResult): ImportRowInput {
  return {
    row: row.row,
    employeeNumber: row.employeeNumber,
    name: row.name,
    email: row.email,
    department: row.department,
    managerNumber: row.managerNumber,
    roles: row.roles,
  }
}
