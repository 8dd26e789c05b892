import type { Translate } from '~/i18n'
import { chinaDate, pick, type UiLocale } from './courses'
import type { ProgressRow } from './progress.server'
import { neutralise, toCsv, toXlsx as writeXlsx, type Cell } from '~/modules/exports/spreadsheet.server'

export { neutralise, toCsv }

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

const progressWidths = [12, 20, 28, 20, 28, 10, 8, 6, 12, 6, 17, 17, 8]

export function toXlsx(table: { header: Cell[]; body: Cell[][] }, sheetName: string) {
  return writeXlsx(table, sheetName, progressWidths)
}
