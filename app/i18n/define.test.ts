import { describe, expect, it } from 'vitest'
import { catalogs, translator } from './index'
import { formatMessage } from './define'

const format = (template: string, vars: Record<string, string | number>, locale: 'en' | 'zh-CN' = 'en') => formatMessage(() => template, 'k', vars, locale)

describe('messages with plural forms (ICU syntax)', () => {
  const sessions = '{count, plural, =0 {no session} one {# session} other {# sessions}} left in {place}'

  it('picks the form for the number in the locale, exact matches first', () => {
    expect(format(sessions, { count: 0, place: 'A' })).toBe('no session left in A')
    expect(format(sessions, { count: 1, place: 'A' })).toBe('1 session left in A')
    expect(format(sessions, { count: 2, place: 'A' })).toBe('2 sessions left in A')
    expect(format('{n, plural, other {# 场}}', { n: 1 }, 'zh-CN')).toBe('1 场')
  })

  it('fills variables inside a form and leaves a missing one or other braces as written', () => {
    expect(format('{count, plural, one {# by {name}} other {# by {name} and others}}', { count: 3, name: 'Li' })).toBe('3 by Li and others')
    expect(format('{count, plural, one {# item} other {# items}} for {who}', { n: 1 })).toBe('{count, plural, one {# item} other {# items}} for {who}')
    expect(format('Wait-list #{rank} {', { rank: 2 })).toBe('Wait-list #2 {')
  })

  it('says "1 unmarked session", not "session(s)", on the HR home in both languages', () => {
    expect(translator('en')('kpi.home.blocking', { count: 1 })).toBe('1 unmarked session blocks publication')
    expect(translator('en')('kpi.home.blocking', { count: 3 })).toBe('3 unmarked sessions block publication')
    expect(translator('zh-CN')('kpi.home.blocking', { count: 1 })).toBe('1 场未记录出勤的场次阻止发布')
  })

  it('has no "(s)" plurals left in either catalogue', () => {
    for (const messages of Object.values(catalogs)) {
      expect(Object.entries(messages).filter(([, text]) => /\w\((s|es)\)/.test(text))).toEqual([])
    }
  })
})
