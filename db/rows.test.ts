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
    expect(() => parseRows(z.object({ name: column.number }), result)).toThrow()
  })

  it('refuses a null where the column says it is never null, instead of reading 0 or 1970', async () => {
    const result = await db.execute(sql`select null::int as n, null::timestamptz as at, 'soon' as later`)
    expect(() => parseRows(z.object({ n: column.number }), result)).toThrow()
    expect(() => parseRows(z.object({ at: column.date }), result)).toThrow()
    expect(() => parseRows(z.object({ later: column.date }), result)).toThrow()
    expect(parseRows(z.object({ n: column.numberOrNull, at: column.dateOrNull }), result)).toEqual([{ n: null, at: null }])
  })
})
