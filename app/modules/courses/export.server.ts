import ExcelJS from 'exceljs'
import type { Translate } from '~/i18n'
import { chinaDate, pick, type UiLocale } from './courses'
import type { ProgressRow } from './progress.server'

/**
 * Spreadsheet formula injection: Excel and LibreOffice run a cell that starts with = + - @
 * (or a tab / carriage return that hides one) as a formula, so a name like "=HYPERLINK(…)"
 * typed into the org chart could act when HR opens the export. Such text gets a leading
 * single quote, which shows it as plain text.
 */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

type Cell = string | number | null

function dateTime(value: Date | null) {
  if (!value) return ''
  const shifted = new Date(value.getTime() + 8 * 3600_000).toISOString()
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}`
}

/** Header and rows of the progress export, in the reader's language; text cells neutralised. */
export function progressTable(rows: ProgressRow[], t: Translate, locale: UiLocale) {
  const header = [
    t('common.employeeNumber'),
    t('common.name'),
    t('common.email'),
    t('common.department'),
    t('progress.course'),
    t('progress.status'),
    t('progress.modules'),
    '%',
    t('progress.due'),
    t('learn.overdue'),
    t('progress.completedAt'),
    t('progress.lastActivity'),
    t('progress.quizScore'),
  ]
  const body: Cell[][] = rows.map((r) => [
    r.employeeNumber ?? '',
    r.name,
    r.email,
    r.department ?? '',
    pick(r.courseTitle, locale),
    t(`course.status.${r.status}`),
    `${r.doneCount}/${r.requiredCount}`,
    r.percent,
    r.dueAt ? chinaDate(r.dueAt) : '',
    r.overdue ? t('common.yes') : '',
    dateTime(r.completedAt),
    dateTime(r.lastActivity),
    r.quizAverage,
  ])
  const clean = (cell: Cell): Cell => (typeof cell === 'string' ? neutralise(cell) : cell)
  return { header: header.map((h) => neutralise(h)), body: body.map((row) => row.map(clean)) }
}

function csvField(cell: Cell) {
  const text = cell === null ? '' : String(cell)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** CSV with a byte-order mark, so Excel opens the Chinese text as UTF-8. */
export function toCsv(table: { header: Cell[]; body: Cell[][] }) {
  return '\uFEFF' + [table.header, ...table.body].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}

export async function toXlsx(table: { header: Cell[]; body: Cell[][] }, sheetName: string) {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Genjin'
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31))
  sheet.addRow(table.header).font = { bold: true }
  for (const row of table.body) sheet.addRow(row)
  sheet.views = [{ state: 'frozen', ySplit: 1 }]
  sheet.columns.forEach((column, i) => {
    column.width = [12, 20, 28, 20, 28, 10, 8, 6, 12, 6, 17, 17, 8][i] ?? 14
  })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
