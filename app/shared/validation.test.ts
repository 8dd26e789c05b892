import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { isTimeZone, optionalText, page, requiredText, safeRedirect, timeZone, uuid } from './validation'

describe('shared zod primitives', () => {
  it('text refuses NUL, broken encoding and overlong values with i18n keys', () => {
    const t = requiredText(10)
    expect(t.safeParse('  ok  ')).toMatchObject({ success: true, data: 'ok' })
    for (const [value, message] of [
      ['a\u0000b', 'errors.badCharacters'],
      ['a\uD800b', 'errors.badCharacters'],
      ['a\uFFFDb', 'errors.badCharacters'],
      ['x'.repeat(11), 'errors.tooLong'],
      ['x'.repeat(100_000), 'errors.tooLong'],
      ['   ', 'errors.required'],
    ]) {
      const result = t.safeParse(value)
      expect(result.success, JSON.stringify(value.slice(0, 10))).toBe(false)
      expect(result.error?.issues[0].message).toBe(message)
    }
    expect(t.safeParse('😀 emoji')).toMatchObject({ success: true })
    expect(optionalText(5).parse('')).toBeUndefined()
  })

  it('UUIDs are validated properly, pages are bounded, time zones are IANA names', () => {
    expect(uuid.safeParse('------------------------------------').success).toBe(false)
    expect(uuid.safeParse('00000000-0000-4000-8000-00000000000g').success).toBe(false)
    expect(uuid.safeParse('5f0c5a52-6f8e-4d4c-9a0e-3f1b2c3d4e5f').success).toBe(true)
    expect(page.parse('100000000000000000000')).toBe(1)
    expect(page.parse('3')).toBe(3)
    expect(page.parse('-1')).toBe(1)
    expect(isTimeZone('Asia/Shanghai')).toBe(true)
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false)
    // A bad zone stops the object's own refinements (which would convert times in it).
    const form = z.object({ zone: timeZone }).superRefine((v) => {
      new Intl.DateTimeFormat('en', { timeZone: v.zone })
    })
    expect(form.safeParse({ zone: 'Mars/Olympus_Mons' }).error?.issues[0].message).toBe('errors.timeZone')
  })

  it('redirects go only to same-origin paths', () => {
    expect(safeRedirect('/\t/evil.example')).toBe('/')
    expect(safeRedirect('/learn?x=1')).toBe('/learn?x=1')
  })
})
