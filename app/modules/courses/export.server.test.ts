import { describe, expect, it } from 'vitest'
import { translator } from '~/i18n'
import { neutralise, progressTable, toCsv, toXlsx } from './export.server'
import type { ProgressRow } from './progress.server'
import ExcelJS from 'exceljs'

const row = (over: Partial<ProgressRow>): ProgressRow => ({
  enrolmentId: 'e1',
  userId: 'u1',
  name: '林小雨 Lin Xiaoyu',
  email: 'lin@example.test',
  employeeNumber: 'E0100',
  department: '销售部/华东区',
  courseKey: 'c',
  courseTitle: { en: 'Managing up', 'zh-CN': '向上管理' },
  dueAt: new Date('2030-01-31T15:59:59Z'),
  enrolledAt: new Date('2030-01-01T00:00:00Z'),
  completedAt: new Date('2030-01-20T02:30:00Z'),
  lastActivity: null,
  requiredCount: 7,
  doneCount: 7,
  percent: 100,
  quizAverage: 90,
  status: 'completed',
  overdue: false,
  ...over,
})

describe('spreadsheet formula neutralisation', () => {
  it('prefixes text that a spreadsheet would run as a formula with a single quote', () => {
    expect(neutralise('=HYPERLINK("http://evil.test","click")')).toBe(`'=HYPERLINK("http://evil.test","click")`)
    expect(neutralise('+86 138')).toBe(`'+86 138`)
    expect(neutralise('-2+3')).toBe(`'-2+3`)
    expect(neutralise('@SUM(A1)')).toBe(`'@SUM(A1)`)
    expect(neutralise('\t=1+1')).toBe(`'\t=1+1`)
    expect(neutralise('\r=1+1')).toBe(`'\r=1+1`)
  })

  it('leaves ordinary text alone, including a formula character later in the text', () => {
    expect(neutralise('张伟 Zhang Wei')).toBe('张伟 Zhang Wei')
    expect(neutralise('a=b')).toBe('a=b')
    expect(neutralise('')).toBe('')
  })

  it('neutralises every text cell of the export, CSV and Excel alike', async () => {
    const table = progressTable([row({ name: '=cmd|"/c calc"!A1', department: '@evil', email: '+x@example.test' })], translator('en'), 'en')
    const csv = toCsv(table)
    expect(csv.startsWith('\uFEFF')).toBe(true)
    const [, line] = csv.slice(1).split('\r\n')
    expect(line).toBe(`E0100,"'=cmd|""/c calc""!A1",'+x@example.test,'@evil,Managing up,Completed,7/7,100,2030-01-31,,2030-01-20 10:30,,90`)

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await toXlsx(table, 'Progress')) as unknown as ArrayBuffer)
    const cells = (workbook.worksheets[0].getRow(2).values as unknown[]).slice(1)
    expect(cells.slice(0, 4)).toEqual(['E0100', `'=cmd|"/c calc"!A1`, `'+x@example.test`, `'@evil`])
    expect(cells[7]).toBe(100)
  })

  it('writes headers and statuses in the reader’s language', () => {
    const table = progressTable([row({ status: 'in_progress', completedAt: null, overdue: true })], translator('zh-CN'), 'zh-CN')
    expect(table.header.slice(0, 2)).toEqual(['工号', '姓名'])
    expect(table.body[0].slice(4, 6)).toEqual(['向上管理', '进行中'])
    expect(table.body[0][9]).toBe('是')
  })
})
