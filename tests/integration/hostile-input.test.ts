/**
 * A corpus of hostile values (NUL, broken UTF-8, huge numbers, malformed UUIDs, bad time zones,
 * very long strings, path tricks, foreign Origin, wrong methods) sent to every route's loader
 * parameters and query strings, and to every action's fields and intents, as anonymous, an
 * employee and an HR admin. Nothing may answer 5xx, and a refused request changes no row.
 * Routes, their params, query keys, form fields and intents are read from the route files
 * (and the schema files they import), so a new route is covered without editing this test.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import type { CurrentUser } from '~/modules/auth/permissions'
import { createSession } from '~/modules/sessions/sessions.server'
import { importSampleVideos } from '~/modules/videos/content.server'
import { fixtureCourse } from '../setup/courses'
import { cookiePair, createPerson } from '../setup/fixtures'
import { createSession as signIn } from '~/modules/auth/session.server'

const HOSTILE = [
  'a\u0000b',
  '\u0000',
  'a\uD800b', // a lone surrogate: what broken UTF-16 looks like
  'a\uFFFDb', // what a decoder makes of invalid UTF-8 bytes
  '100000000000000000000',
  '-1',
  '1e400',
  'NaN',
  '------------------------------------',
  '00000000-0000-0000-0000-00000000000g',
  'Mars/Olympus_Mons',
  'x'.repeat(100_000),
  '../../../etc/passwd',
  '/\t/evil.example',
  'a\r\nb',
  '{"$ne":null}',
  '',
]

const SAMPLE = ['a\u0000b', 'a\uFFFDb', '100000000000000000000', '------------------------------------', 'Mars/Olympus_Mons', 'x'.repeat(100_000)]

// Tables a refused request may legitimately write: the audit trail, sessions touched, attempt counters.
const NOISY = new Set(['audit_events', 'auth_sessions', 'sign_in_attempts', 'check_in_attempts', '__drizzle_migrations'])

const routesDir = path.resolve('app/routes')
const routeFiles = readdirSync(routesDir).filter((f) => /\.(tsx?|jsx?)$/.test(f) && !/\.test\./.test(f))

/** The route file's source plus the non-server schema files it imports (where forms are declared). */
function sourcesOf(file: string) {
  const source = readFileSync(path.join(routesDir, file), 'utf8')
  const sources = [source]
  for (const [, spec] of source.matchAll(/from '~\/(modules|shared)\/([^']+)'/g)) {
    if (spec.endsWith('.server')) continue
    for (const candidate of [`app/modules/${spec}.ts`, `app/shared/${spec}.ts`]) if (existsSync(candidate)) sources.push(readFileSync(candidate, 'utf8'))
  }
  return sources.join('\n')
}

function paramsOf(file: string) {
  return file
    .replace(/\.(tsx?|jsx?)$/, '')
    .split('.')
    .filter((s) => s.startsWith('$'))
    .map((s) => s.slice(1).replace(/_$/, ''))
}

function fieldsOf(source: string) {
  const names = new Set<string>()
  for (const [, name] of source.matchAll(/\b([a-zA-Z][\w]*)\s*:\s*(?:z\.|[A-Z]\w*\b|text\(|optional|minutes|wallTime|integer\(|uuid|page)/g)) names.add(name)
  for (const [, name] of source.matchAll(/searchParams\.(?:get|has)\('([^']+)'\)/g)) names.add(name)
  for (const [, name] of source.matchAll(/name="([\w.[\]]+)"/g)) names.add(name)
  names.delete('intent')
  return [...names]
}

function intentsOf(source: string) {
  const intents = new Set<string>()
  for (const [, value] of source.matchAll(/z\.literal\('([\w-]+)'\)/g)) intents.add(value)
  for (const [, list] of source.matchAll(/z\.enum\(\[([^\]]+)\]\)/g)) for (const [, v] of list.matchAll(/'([\w-]+)'/g)) intents.add(v)
  for (const [, value] of source.matchAll(/name="intent" value="([\w-]+)"/g)) intents.add(value)
  for (const [, value] of source.matchAll(/intent === '([\w-]+)'/g)) intents.add(value)
  return [...intents]
}

/**
 * Notes every row a statement inserts, updates or deletes (and any truncate) in the app's tables,
 * outside NOISY, in `hostile_writes`. A write the request's transaction rolls back leaves no note.
 */
async function watchWrites() {
  await db.execute(sql`create table hostile_writes (tbl text not null)`)
  await db.execute(sql`create function note_hostile_write() returns trigger language plpgsql as $$
    begin insert into hostile_writes values (TG_TABLE_NAME); return null; end $$`)
  const tables = parseRows(
    z.object({ name: column.text }),
    await db.execute(sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`),
  )
    .map((t) => t.name)
    .filter((t) => !NOISY.has(t) && t !== 'hostile_writes')
  for (const t of tables) {
    await db.execute(sql.raw(`create trigger note_hostile_row after insert or update or delete on "${t}" for each row execute function note_hostile_write()`))
    await db.execute(sql.raw(`create trigger note_hostile_truncate after truncate on "${t}" for each statement execute function note_hostile_write()`))
  }
}

/** The tables written since the last call. */
async function writtenTables() {
  const rows = parseRows(z.object({ tbl: column.text }), await db.execute(sql`delete from hostile_writes returning tbl`))
  return [...new Set(rows.map((r) => r.tbl))].sort()
}

type Outcome = { status: number; refused: boolean }

/** Runs a loader or action and classifies what came back; an exception that is not a Response is a 500. */
async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const result = await run()
    if (result instanceof Response) return { status: result.status, refused: result.status >= 400 }
    const value = result as { type?: string; init?: { status?: number }; data?: unknown } | null
    if (value && value.type === 'DataWithResponseInit') {
      const status = value.init?.status ?? 200
      return { status, refused: status >= 400 || looksRefused(value.data) }
    }
    return { status: 200, refused: looksRefused(result) }
  } catch (thrown) {
    // A thrown redirect is how many actions say "done"; only a redirect to sign-in is a refusal.
    if (thrown instanceof Response)
      return { status: thrown.status, refused: thrown.status >= 400 || (thrown.headers.get('Location') ?? '').startsWith('/login') }
    if (thrown && typeof thrown === 'object' && (thrown as { type?: string }).type === 'DataWithResponseInit') {
      const status = (thrown as { init?: { status?: number } }).init?.status ?? 200
      return { status, refused: status >= 300 }
    }
    return { status: 500, refused: true, error: thrown } as Outcome
  }
}

function looksRefused(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false
  const v = value as Record<string, unknown>
  if (v.ok === false || 'error' in v || 'errors' in v) return true
  const result = v.result as { status?: string; error?: unknown } | undefined
  return Boolean(result && (result.status === 'error' || (result.error && Object.keys(result.error).length)))
}

/** A path segment; a lone surrogate has no UTF-8 form, so it goes as the invalid bytes a client could send. */
function encodeSegment(value: string) {
  try {
    return encodeURIComponent(value)
  } catch {
    return '%ED%A0%80'
  }
}

const describeValue = (v: string) => (v.length > 40 ? `${JSON.stringify(v.slice(0, 12))}…(${v.length})` : JSON.stringify(v))

describe('hostile input', () => {
  const people = {} as Record<'employee' | 'hr_admin', CurrentUser>
  const valid: Record<string, string> = {}
  beforeAll(async () => {
    people.employee = await createPerson({ roles: ['employee'] })
    people.hr_admin = await createPerson({ roles: ['hr_admin'] })
    const scheduled = await createSession(people.hr_admin, {
      title: 'Hostile session',
      startsAt: '2031-01-06T09:00',
      endsAt: '2031-01-06T11:00',
      timeZone: 'Asia/Shanghai',
      place: 'Room 1',
      trainerIds: [],
    })
    if (!scheduled.ok) throw new Error('could not schedule')
    await fixtureCourse()
    await importSampleVideos(db)
    Object.assign(valid, {
      sessionId: scheduled.sessionId,
      courseId: 'good-course',
      moduleId: 'prep',
      videoId: 'follow-up-positive',
      personId: people.employee.id,
      token: 'abc',
      file: 'captions.en.vtt',
    })
    await watchWrites()
  })

  it('answers every hostile value without a 5xx and changes no row when it refuses', async () => {
    const failures: string[] = []
    const fail = (message: string) => {
      failures.push(message)
      if (failures.length <= 200) console.log(`FAIL ${message}`)
    }
    // A fresh signed-in session per person and route file (sign-out and "end all sessions" may have ended the last one).
    const cookies = new Map<string, string>()
    let requests = 0
    const who: [string, CurrentUser | null][] = [
      ['anonymous', null],
      ['employee', people.employee],
      ['hr_admin', people.hr_admin],
    ]
    for (const file of routeFiles) {
      for (const person of [people.employee, people.hr_admin])
        cookies.set(person.id, cookiePair(await signIn(person.id, { ip: '127.0.0.1', userAgent: 'vitest' })))
      const route = await import(/* @vite-ignore */ path.join(routesDir, file))
      const source = sourcesOf(file)
      const paramNames = paramsOf(file)
      const fields = fieldsOf(source)
      const intents = route.action ? [undefined, ...intentsOf(source)] : []
      const urlPath = (params: Record<string, string>) =>
        '/' +
        file
          .replace(/\.(tsx?|jsx?)$/, '')
          .replace(/_index$/, '')
          .split('.')
          .map((s) => (s.startsWith('$') ? encodeSegment(params[s.slice(1).replace(/_$/, '')] ?? 'x') : s.replace(/_$/, '').replace(/\[|\]/g, '')))
          .join('/')

      type Attempt = {
        label: string
        person: CurrentUser | null
        kind: 'loader' | 'action'
        params: Record<string, string>
        init: RequestInit & { query?: string }
      }
      const send = async (a: Attempt) => {
        requests++
        const headers = new Headers(a.init.headers)
        if (a.person) headers.set('Cookie', cookies.get(a.person.id)!)
        const request = new Request(new URL(`${urlPath(a.params)}${a.init.query ?? ''}`, 'http://localhost'), { ...a.init, headers })
        const result = await outcome(() => route[a.kind]({ request, params: a.params, context: { clientIp: '203.0.113.7' } }))
        if (result.status >= 500) fail(`${file} ${a.kind} ${a.label}: ${result.status} ${(result as { error?: Error }).error?.message?.slice(0, 160) ?? ''}`)
        return result
      }
      // Every request's row changes are read from the triggers' notes right after it.
      const batch = async (attempts: Attempt[]) => {
        for (const a of attempts) {
          const result = await send(a)
          const tables = await writtenTables()
          if (result.refused && tables.length) fail(`${file} ${a.kind} ${a.label}: refused (${result.status}) but changed ${tables.join(', ')}`)
        }
      }

      for (const [name, person] of who) {
        const attempts: Attempt[] = []
        // HR reaches deepest and gets the whole corpus; the others a sample of each kind of value.
        const values = name === 'hr_admin' ? HOSTILE : name === 'employee' ? SAMPLE : HOSTILE.slice(0, 2)
        // Loader: each parameter and every query key hostile, one value at a time.
        if (route.loader) {
          for (const value of values) {
            const params = Object.fromEntries(paramNames.map((p) => [p, value]))
            const query = '?' + new URLSearchParams([...fields, 'page', 'q', 'view', 'format'].map((f) => [f, value])).toString()
            attempts.push({ label: `${name} params+query=${describeValue(value)}`, person, kind: 'loader', params, init: { query } })
            if (paramNames.length && name === 'hr_admin') {
              const validParams = Object.fromEntries(paramNames.map((p) => [p, valid[p] ?? 'x']))
              attempts.push({ label: `${name} query=${describeValue(value)}`, person, kind: 'loader', params: validParams, init: { query } })
            }
          }
        }
        if (route.action) {
          // Actions: every field hostile, for each intent, with hostile and with real params.
          for (const intent of intents) {
            for (const value of values) {
              const body = new URLSearchParams(fields.map((f) => [f, value]))
              if (intent) body.set('intent', intent)
              const init = { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }
              const label = `${name} intent=${intent ?? '-'} fields=${describeValue(value)}`
              if (paramNames.length && name === 'hr_admin')
                attempts.push({ label: `${label} params=hostile`, person, kind: 'action', params: Object.fromEntries(paramNames.map((p) => [p, value])), init })
              attempts.push({ label, person, kind: 'action', params: Object.fromEntries(paramNames.map((p) => [p, valid[p] ?? 'x'])), init })
            }
          }
          // Malformed bodies, wrong methods, a foreign Origin.
          const params = Object.fromEntries(paramNames.map((p) => [p, valid[p] ?? 'x']))
          const oddBodies: [string, RequestInit][] = [
            ['text/plain JSON', { method: 'POST', body: '{"intent":"x"}', headers: { 'Content-Type': 'text/plain' } }],
            ['broken multipart', { method: 'POST', body: '--x\r\nbroken', headers: { 'Content-Type': 'multipart/form-data; boundary=y' } }],
            [
              'invalid UTF-8 bytes',
              {
                method: 'POST',
                body: new Uint8Array([0x69, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x3d, 0xff, 0xfe, 0x00]),
                headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
              },
            ],
            [
              'foreign Origin',
              {
                method: 'POST',
                body: new URLSearchParams({ intent: intents[1] ?? '' }),
                headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
              },
            ],
            ...['PUT', 'PATCH', 'DELETE'].map((method): [string, RequestInit] => [
              method,
              { method, body: 'a=b', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
            ]),
          ]
          for (const [label, init] of oddBodies) attempts.push({ label: `${name} ${label}`, person, kind: 'action', params, init })
        }
        await batch(attempts)
      }
      console.log(`${file}: ${requests} requests so far, ${failures.length} failures`)
    }
    console.log(`hostile input: ${requests} requests to ${routeFiles.length} route files, ${failures.length} failures`)
    expect(failures.slice(0, 60), `${failures.length} failures`).toEqual([])
  }, 1_800_000)
})
