/**
 * Both languages, everywhere (issue 11): every page of the demo company, rendered to HTML as each
 * demo role in zh-CN and in en, shows no string from the other language and no raw message key.
 *
 * - An English page has no Chinese character in its text, its <title> or the title, aria-label,
 *   placeholder and alt attributes — except the demo company's own data (people, departments,
 *   cohorts, mail sent …): text that occurs in the database's text columns is data, not a leak;
 *   and except what is marked as the other language (`lang="zh-CN"`, like the language switcher
 *   or the Chinese half of a bilingual editor).
 * - A Chinese page shows no English catalogue text (an en message of four words or more whose
 *   zh-CN message differs).
 * - No page shows a message key (`home.title`) instead of its message.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { catalogs, hasMessage, locales, type Locale } from '~/i18n'
import { createSession } from '~/modules/auth/session.server'
import { cookiePair } from '../setup/fixtures'
import { demoPeople, demoVisits, prepareDemo, routesDir, type Visit } from '../setup/demo-routes'
import { appRequestHandler } from '../setup/render-app'

const CJK_RUN = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/g
/** Tables whose text is written from our own catalogue (mail, notices, audit details): not data. */
const GENERATED = new Set(['emails', 'notifications', 'audit_events', 'outbox'])

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&')

/** What a person reads on the page in its language: text, the title, and the attributes screen readers and browsers show. */
export function visibleText(html: string, locale: Locale): string[] {
  const parts: string[] = []
  const other = locales.find((l) => l !== locale)!
  const body = html
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    // What is being edited is content, in whichever language it is written (bilingual editors).
    .replace(/<textarea[\s\S]*?<\/textarea>/gi, ' ')
    .replace(new RegExp(`<(\\w+)\\b[^>]*\\slang="${other}"[^>]*>[\\s\\S]*?</\\1>`, 'g'), ' ')
    .replace(/<!-- -->/g, '')
  for (const [, , value] of body.matchAll(/\s(title|aria-label|placeholder|alt)="([^"]*)"/gi)) parts.push(decode(value))
  for (const chunk of body.replace(/<[^>]*>/g, '\n').split('\n')) {
    const text = decode(chunk).trim()
    if (text) parts.push(text)
  }
  return parts
}

/** The demo's data: Chinese runs in its text columns (not the mail and notices we wrote), and every text value. */
async function demoData() {
  const columns = parseRows(
    z.object({ t: column.text, c: column.text }),
    await db.execute(sql`select table_name as t, column_name as c from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'character varying')`),
  )
  const runs = new Set<string>()
  const values: string[] = []
  const own: string[] = []
  for (const { t, c } of columns) {
    const distinct = await db.execute(sql.raw(`select distinct "${c}" as v from "${t}" where length("${c}") < 2000`))
    for (const { v } of parseRows(z.object({ v: column.textOrNull }), distinct)) {
      if (!v) continue
      values.push(v)
      if (!GENERATED.has(t)) {
        own.push(v)
        for (const [run] of v.matchAll(CJK_RUN)) runs.add(run)
      }
    }
  }
  return { runs, own: own.join('\u0001'), all: values.join('\u0001') }
}
type DemoData = Awaited<ReturnType<typeof demoData>>

/** English messages that would be a leak on a Chinese page: four words or more, and translated. */
function englishPhrases() {
  const phrases = new Set<string>()
  for (const [key, en] of Object.entries(catalogs.en)) {
    if (catalogs['zh-CN'][key] === en) continue
    // Placeholders, and the syntax of plural forms ("{count, plural, one {# session} other {# sessions}}").
    for (const fragment of en.split(/\{\w+\}|\{\w+, plural,|[{}#]/)) {
      const words = fragment.trim().split(/\s+/)
      if (words.length >= 4) phrases.add(fragment.trim())
    }
  }
  return [...phrases]
}

export function leaks(locale: Locale, texts: string[], data: DemoData, phrases: string[]) {
  const found: string[] = []
  for (const text of texts) {
    if (text.includes('\0')) found.push(`NUL character in "${text.slice(0, 80)}"`)
    if (locale === 'en') {
      for (const [run] of text.matchAll(CJK_RUN)) {
        // A run of punctuation alone ("、") is never taken for data by itself.
        // Two ideographs or more that occur in the demo's own data (a session title inside a message).
        const dataRun = (/[\u3400-\u9fff]/.test(run) && data.runs.has(run)) || ((run.match(/[\u3400-\u9fff]/g)?.length ?? 0) >= 2 && data.own.includes(run))
        // "Genjin · <an email's subject>": each part on its own may be data.
        const dataText = text.split(' · ').every((part) => !CJK_RUN.test(part) || data.all.includes(part.trim()))
        if (!dataRun && !dataText) found.push(`Chinese "${run}" in "${text.slice(0, 80)}"`)
      }
    } else {
      for (const phrase of phrases) if (text.includes(phrase) && !data.all.includes(text)) found.push(`English "${phrase}"`)
    }
    for (const [token] of text.matchAll(/[a-z][\w-]*(?:\.[\w-]+)+/gi)) if (hasMessage(token)) found.push(`raw key ${token}`)
  }
  return found
}

describe('both languages on every page', () => {
  it('keeps Chinese out of the English messages (the language switcher names Chinese in Chinese)', () => {
    const chinese = Object.entries(catalogs.en).filter(([key, value]) => key !== 'lang.zh-CN' && /[\u3400-\u9fff]/.test(value))
    expect(chinese).toEqual([])
  })

  let visits: Visit[] = []
  let data: DemoData = { runs: new Set(), own: '', all: '' }
  beforeAll(async () => {
    await prepareDemo()
    visits = await demoVisits({ perRoute: 2 })
    data = await demoData()
  }, 300_000)

  it('shows no text of the other language and no message key, on every page, for every demo role, in zh-CN and en', async () => {
    const render = await appRequestHandler()
    const routeModules = new Map<string, { loader?: unknown }>()
    for (const visit of visits) routeModules.set(visit.file, await import(/* @vite-ignore */ path.join(routesDir, visit.file)))
    const phrases = englishPhrases()
    const problems = new Map<string, Set<string>>()
    let pages = 0
    for (const person of await demoPeople()) {
      const cookie = cookiePair(await createSession(person.id, { ip: '127.0.0.1', userAgent: 'vitest' }))
      for (const locale of locales) {
        await db.execute(sql`update users set locale = ${locale} where id = ${person.id}`)
        for (const visit of [{ file: 'root', url: '/', params: {} }, { file: '(no route)', url: '/no-such-page', params: {} }, ...visits]) {
          if (visit.file !== 'root' && visit.file !== '(no route)' && !routeModules.get(visit.file)?.loader) continue
          const response = await render(new Request(new URL(visit.url, 'http://localhost'), { headers: { Cookie: cookie, Accept: 'text/html' } }))
          if (!(response.headers.get('Content-Type') ?? '').includes('text/html')) {
            await response.body?.cancel()
            continue
          }
          pages++
          for (const leak of leaks(locale, visibleText(await response.text(), locale), data, phrases)) {
            const where = `${locale} ${visit.file}`
            if (!problems.has(where)) problems.set(where, new Set())
            problems.get(where)!.add(`${leak} (${person.role}, ${visit.url}, ${response.status})`)
          }
        }
      }
    }
    if (process.env.LEAKS_FILE) writeFileSync(process.env.LEAKS_FILE, JSON.stringify(Object.fromEntries([...problems].map(([k, v]) => [k, [...v]])), null, 1))
    expect(pages).toBeGreaterThan(400)
    expect(Object.fromEntries([...problems].map(([k, v]) => [k, [...v].slice(0, 5)]))).toEqual({})
  }, 900_000)
})
