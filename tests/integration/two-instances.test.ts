/**
 * Issue 10 item 10: two app instances on one PostgreSQL database. Each "instance" here has its own
 * connection pool (withConnection), and requests alternate between them through the real route
 * modules. The benchmark `npm run bench:check-in -- --instances 2` does the same with two server
 * processes. PostgreSQL only: PGlite is one process's embedded database (decision 001).
 */
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { connect, connection, db, withConnection, type Connection } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { attendance, attendanceChanges, authSessions } from '#db/schema'
import { checkInToken, intervalAt, shortCode } from '~/modules/attendance/check-in-token'
import { MAX_WRONG_CODES } from '~/modules/attendance/attendance.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { PgBossRunner } from '~/modules/jobs/pg-boss.server'
import { createSession, endSession, getCurrentUser } from '~/modules/auth/session.server'
import { inviteAudience } from '~/modules/sessions/invitations.server'
import * as checkInByCode from '~/routes/check-in._index'
import * as checkInByLink from '~/routes/check-in.$token'
import { cookiePair, createPerson } from '../setup/fixtures'
import { scheduleSession } from '../setup/sessions'

const onPostgres = Boolean(process.env.TEST_DATABASE_URL)
const context = { clientIp: '127.0.0.1' }

let a: Connection
let b: Connection
const instances = () => [a, b]

beforeAll(async () => {
  if (!onPostgres) return
  a = connection()
  b = connect({ databaseUrl: a.url, max: 5 })
})

afterAll(async () => {
  if (onPostgres) await b.close()
})

function request(cookie: string, url: string, fields?: Record<string, string>) {
  const headers = new Headers({ Cookie: cookie })
  if (!fields) return new Request(new URL(url, 'http://localhost'), { headers })
  headers.set('Content-Type', 'application/x-www-form-urlencoded')
  return new Request(new URL(url, 'http://localhost'), { method: 'POST', headers, body: new URLSearchParams(fields) })
}

/** A session whose check-in is open now, with `count` invited people, each signed in once. */
async function openSession(count: number) {
  const hr = await createPerson({ roles: ['hr_admin'] })
  const people: CurrentUser[] = []
  for (let i = 0; i < count; i += 25) people.push(...(await Promise.all(Array.from({ length: Math.min(25, count - i) }, () => createPerson()))))
  const { sessionId } = await scheduleSession(hr, { startsAt: new Date(Date.now() + 5 * 60_000) })
  await inviteAudience(hr, sessionId, { userIds: people.map((p) => p.id) })
  const cookies = await Promise.all(people.map(async (p) => cookiePair(await createSession(p.id, { ip: '127.0.0.1', userAgent: 'vitest' }))))
  return { sessionId, people, cookies }
}

describe.skipIf(!onPostgres)('two app instances on one PostgreSQL database', () => {
  it('records a burst of check-ins alternating between the instances: none lost, none twice', async () => {
    const { sessionId, people, cookies } = await openSession(200)

    const byCode = (i: number, on: Connection) =>
      withConnection(on, async () => {
        const code = shortCode(sessionId, intervalAt(Date.now()))
        const done = await checkInByCode.action({ request: request(cookies[i], '/check-in', { code }), params: {}, context })
        return done.outcome
      })
    // Scan on one instance (the confirmation page and its grant), confirm on the other.
    const byQr = (i: number, page: Connection, confirm: Connection) =>
      withConnection(page, async () => {
        const token = checkInToken(sessionId, intervalAt(Date.now()))
        const preview = await checkInByLink.loader({ request: request(cookies[i], `/check-in/${token}`), params: { token }, context })
        const grant = preview.preview.ok ? preview.preview.grant : 'none'
        return withConnection(confirm, async () => {
          const done = await checkInByLink.action({ request: request(cookies[i], `/check-in/${token}`, { grant }), params: { token }, context })
          return done.outcome
        })
      })

    // Everyone at once; a third tap again on the other instance at the same moment.
    const attempts = people.flatMap((_, i) => {
      const [first, second] = i % 2 === 0 ? [a, b] : [b, a]
      const once = () => (i % 4 < 2 ? byCode(i, first) : byQr(i, first, second))
      return i % 3 === 0 ? [once().then((o) => ({ i, o })), byCode(i, second).then((o) => ({ i, o }))] : [once().then((o) => ({ i, o }))]
    })
    const results = await Promise.all(attempts)

    expect(results.filter((r) => !r.o?.ok)).toEqual([])
    // Per person exactly one "checked in now"; the second tap says "already".
    const fresh = new Map<number, number>()
    for (const r of results) if (r.o?.ok && !r.o.already) fresh.set(r.i, (fresh.get(r.i) ?? 0) + 1)
    expect(fresh.size).toBe(people.length)
    expect([...fresh.values()].every((n) => n === 1)).toBe(true)

    const [counts] = await db
      .select({
        records: sql<number>`count(*)::int`,
        people: sql<number>`count(distinct ${attendance.userId})::int`,
      })
      .from(attendance)
      .where(eq(attendance.sessionId, sessionId))
    expect(counts).toEqual({ records: people.length, people: people.length })
    expect(await db.$count(attendanceChanges, eq(attendanceChanges.sessionId, sessionId))).toBe(people.length)
  })

  it('keeps sessions in the database: signed in on one instance, recognised and signed out on the other', async () => {
    const person = await createPerson()
    const cookie = await withConnection(a, async () => cookiePair(await createSession(person.id, { ip: '127.0.0.1' })))
    const page = () => request(cookie, '/')
    for (const on of instances()) expect(await withConnection(on, () => getCurrentUser(page()))).toMatchObject({ id: person.id })
    await withConnection(b, () => endSession(page()))
    for (const on of instances()) expect(await withConnection(on, () => getCurrentUser(page()))).toBeNull()
    const [row] = await db
      .select()
      .from(authSessions)
      .where(and(eq(authSessions.userId, person.id)))
    expect(row.revokedAt).not.toBeNull()
  })

  it('counts wrong codes across both instances: the limit holds whichever instance answers', async () => {
    const {
      sessionId,
      cookies: [cookie],
    } = await openSession(1)
    const right = () => shortCode(sessionId, intervalAt(Date.now()))
    const wrong = () => (right() === '111111' ? '222222' : '111111')
    const post = (on: Connection, code: string) =>
      withConnection(on, async () => (await checkInByCode.action({ request: request(cookie, '/check-in', { code }), params: {}, context })).outcome)
    for (let i = 0; i < MAX_WRONG_CODES; i++) expect(await post(i % 2 ? b : a, wrong())).toEqual({ ok: false, reason: 'wrong_code' })
    expect(await post(a, right())).toEqual({ ok: false, reason: 'rate_limited' })
    expect(await post(b, right())).toEqual({ ok: false, reason: 'rate_limited' })
    expect(await db.$count(attendance, eq(attendance.sessionId, sessionId))).toBe(0)
  })

  it('starts background jobs on both instances at the same moment: neither is a deadlock victim, and the queues exist once', async () => {
    // A schema of its own: the queues are created here for the first time, by both at once.
    const schema = `pgboss_race_${Date.now().toString(36)}`
    const handlers = new Map(Array.from({ length: 12 }, (_, i) => [`race-${i}`, async () => {}] as const))
    const runners = [new PgBossRunner(a.url!, { schema }), new PgBossRunner(b.url!, { schema })]
    try {
      const started = await Promise.allSettled(runners.map((r) => r.start(handlers, [])))
      expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'started'))).toEqual(['started', 'started'])
      const queues = parseRows(
        z.object({ n: column.number }),
        await db.execute(sql`select count(*)::int as n from ${sql.identifier(schema)}.queue where name like 'race-%'`),
      )
      expect(queues[0].n).toBe(handlers.size)
    } finally {
      await Promise.all(runners.map((r) => r.stop()))
      await db.execute(sql`drop schema if exists ${sql.identifier(schema)} cascade`)
    }
  })
})

// On PGlite the file still runs a test, so the suite shows why the others were skipped.
describe.skipIf(onPostgres)('two app instances on PGlite', () => {
  it('are not supported: PGlite is one process’s embedded database (decision 001); run with TEST_DATABASE_URL', () => {
    expect(connection().driver).toBe('pglite')
  })
})
