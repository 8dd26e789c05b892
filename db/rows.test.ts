import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { db } from './client.server'
import { column, parseRows } from './rows'

describe('parseRows', () => {
  it('reads counts, dates and jsonb texts as one type on either driver, and refuses a row of another shape', async () => {
    const result = await db.execute(sql`
      select 'a' as name, count(*) as n, now() as at, null::timestamptz as gone, '{"en":"Hi","zh-CN":"你好"}'::jsonb as title, true as ok
      from generate_series(1, 3)`)
    const Row = z.object({ name: column.text, n: column.number, at: column.date, gone: column.dateOrNull, title: column.localized, ok: column.boolean })
    const [row] = parseRows(Row, result)
    expect(row).toEqual({ name: 'a', n: 3, at: expect.any(Date), gone: null, title: { en: 'Hi', 'zh-CN': '你好' }, ok: true })
    expect(Number.isNaN(row.at.getTime())).toBe(false)
    expect(() => parseRows(z.object({ name: column.number.int() }), result)).toThrow()
  })
})
