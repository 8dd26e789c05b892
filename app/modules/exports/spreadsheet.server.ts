import ExcelJS from 'exceljs'
import { xlsxInThread } from './xlsx-thread.server'

/**
 * Spreadsheet formula injection: Excel and LibreOffice run a cell that starts with = + - @
 * (or a tab / carriage return that hides one) as a formula, so a name like "=HYPERLINK(…)"
 * typed into the org chart could act when HR opens the export. Such text gets a leading
 * single quote, which shows it as plain text.
 */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

export type Cell = string | number | null
export type Table = { header: Cell[]; body: Cell[][] }
export type SpreadsheetFormat = 'csv' | 'xlsx'

/** Neutralises every text cell of a table (header included). */
export function cleanTable(table: Table): Table {
  const clean = (cell: Cell): Cell => (typeof cell === 'string' ? neutralise(cell) : cell)
  return { header: table.header.map(clean), body: table.body.map((row) => row.map(clean)) }
}

function csvField(cell: Cell) {
  const text = cell === null ? '' : String(cell)
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One CSV field of any value: text neutralised against formula injection, quoted when needed. */
export function csvCell(value: unknown): string {
  return csvField(value === null || value === undefined ? '' : neutralise(String(value)))
}

/** CSV with a byte-order mark, so Excel opens the Chinese text as UTF-8. */
export function toCsv(table: Table) {
  return '\uFEFF' + [table.header, ...table.body].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}

/** One sheet, bold frozen header; `widths` per column in characters (14 where not given). */
export async function toXlsx(table: Table, sheetName: string, widths: number[] = []) {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Genjin'
  // Excel refuses sheet names over 31 characters or with []:*?/\ in them.
  const sheet = workbook.addWorksheet(sheetName.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1')
  sheet.addRow(table.header).font = { bold: true }
  for (const row of table.body) sheet.addRow(row)
  sheet.views = [{ state: 'frozen', ySplit: 1 }]
  sheet.columns.forEach((column, i) => {
    column.width = widths[i] ?? 14
  })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** A download response for a table, as CSV or Excel; `name` without extension, ASCII. */
export async function spreadsheetResponse(table: Table, format: SpreadsheetFormat, name: string, sheetName: string, widths?: number[]) {
  const headers = { 'Content-Disposition': `attachment; filename="${name}.${format}"`, 'Cache-Control': 'private, no-store' }
  if (format === 'xlsx') {
    // Built in a worker thread: ExcelJS would hold up every other request here (decision 043).
    return new Response(await xlsxInThread(table, sheetName, widths), {
      headers: { ...headers, 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    })
  }
  return new Response(toCsv(table), { headers: { ...headers, 'Content-Type': 'text/csv; charset=utf-8' } })
}
