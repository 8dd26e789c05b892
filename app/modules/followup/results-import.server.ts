import { sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { teamResults, users } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { decodeText, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, readCsv, readXlsx, type Grid, type MessageRef } from '~/modules/org/org-import'

/**
 * Level 4 (results): a team performance figure per manager and month, as HR exports it from the
 * performance system (CSV in UTF-8 or GB18030, or XLSX; the org-chart import's readers). All or
 * nothing: a file with any bad row changes nothing and lists every problem.
 */
const aliases = {
  manager: ['manager', 'managernumber', 'manageremployeenumber', 'employeenumber', 'manageremail', 'email', '经理', '经理工号', '工号', '邮箱', '经理邮箱'],
  period: ['period', 'month', '月份', '期间', '周期'],
  value: ['value', 'result', 'teamresult', 'performance', 'score', '团队绩效', '绩效', '结果', '得分'],
} as const
type Column = keyof typeof aliases
const byAlias = new Map<string, Column>(
  Object.entries(aliases).flatMap(([c, list]) => (list as readonly string[]).map((a): [string, Column] => [a, c as Column])),
)
const columnFor = (header: string) =>
  byAlias.get(
    header
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s_\-*]/g, ''),
  )

function isZip(bytes: Uint8Array) {
  return bytes[0] === 0x50 && bytes[1] === 0x4b
}

/** `2026-03`, `2026/3`, `2026-03-01`, `2026年3月` → `2026-03-01`. */
export function parsePeriod(value: string) {
  const m = /^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})(?:\s*月)?(?:[-/.]\d{1,2})?$/.exec(value.normalize('NFKC').trim())
  if (!m) return null
  const month = Number(m[2])
  if (month < 1 || month > 12) return null
  return `${m[1]}-${String(month).padStart(2, '0')}-01`
}

export type ResultsImport = { ok: true; imported: number } | { ok: false; errors: MessageRef[] }

export async function importTeamResults(actor: CurrentUser, file: { filename: string; bytes: Uint8Array }, ip?: string): Promise<ResultsImport> {
  await assertCan(actor, 'import:team-results:all')
  const { bytes } = file
  if (bytes.byteLength > MAX_IMPORT_BYTES) return { ok: false, errors: [{ key: 'import.fileTooLarge' }] }
  if (bytes.byteLength === 0) return { ok: false, errors: [{ key: 'import.noRows' }] }
  let grid: Grid
  try {
    grid = isZip(bytes) ? await readXlsx(bytes) : readCsv(decodeText(bytes))
  } catch {
    return { ok: false, errors: [{ key: 'import.unreadable' }] }
  }
  const headerIndex = grid.slice(0, 10).findIndex((r) => r.cells.filter((c) => columnFor(c)).length >= 3)
  if (headerIndex < 0) return { ok: false, errors: [{ key: 'followup.import.columns' }] }
  const columns = new Map<Column, number>()
  grid[headerIndex].cells.forEach((c, i) => {
    const column = columnFor(c)
    if (column && !columns.has(column)) columns.set(column, i)
  })
  const data = grid.slice(headerIndex + 1)
  if (data.length === 0) return { ok: false, errors: [{ key: 'import.noRows' }] }
  if (data.length > MAX_IMPORT_ROWS) return { ok: false, errors: [{ key: 'import.tooManyRows', vars: { max: MAX_IMPORT_ROWS } }] }

  const people = await db.select({ id: users.id, number: users.employeeNumber, email: users.email }).from(users)
  const byKey = new Map<string, string>()
  for (const p of people) {
    if (p.number) byKey.set(p.number.toLowerCase(), p.id)
    byKey.set(p.email.toLowerCase(), p.id)
  }
  const errors: MessageRef[] = []
  const rows = new Map<string, { managerId: string; period: string; value: string }>()
  for (const { row, cells } of data) {
    const cell = (c: Column) => cells[columns.get(c)!] ?? ''
    const managerId = byKey.get(cell('manager').toLowerCase())
    const period = parsePeriod(cell('period'))
    const raw = cell('value').replace(/[,，\s%]/g, '')
    const value = /^-?\d{1,10}(\.\d{1,2})?$/.test(raw) ? raw : null
    if (!managerId) errors.push({ key: 'followup.import.unknownManager', vars: { row, value: cell('manager').slice(0, 60) } })
    if (!period) errors.push({ key: 'followup.import.badPeriod', vars: { row, value: cell('period').slice(0, 30) } })
    if (value === null) errors.push({ key: 'followup.import.badValue', vars: { row, value: cell('value').slice(0, 30) } })
    if (managerId && period && value !== null) rows.set(`${managerId}|${period}`, { managerId, period, value })
  }
  if (errors.length) return { ok: false, errors: errors.slice(0, 50) }
  const values = [...rows.values()]
  await db.transaction(async (tx) => {
    for (let i = 0; i < values.length; i += 500) {
      await tx
        .insert(teamResults)
        .values(values.slice(i, i + 500).map((v) => ({ ...v, importedBy: actor.id })))
        .onConflictDoUpdate({
          target: [teamResults.managerId, teamResults.period],
          set: { value: sql`excluded.value`, importedBy: actor.id, importedAt: sql`now()` },
        })
    }
    await audit(
      { actorId: actor.id, action: 'follow_up.team_results_imported', details: { rows: values.length, filename: file.filename.slice(0, 200) }, ip },
      tx,
    )
  })
  return { ok: true, imported: values.length }
}
