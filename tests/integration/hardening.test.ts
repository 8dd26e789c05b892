/**
 * Security review findings (issue 10, items 1, 2 and 4): emailed links never come from request
 * headers; redirects only to same-origin paths; demo mode only on the embedded demo database;
 * the first HR admin of an empty production database comes from a command.
 */
import { and, desc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { auditEvents, emails, userRoles, users } from '#db/schema'
import { parseEnv, publicOrigin } from '~/env.server'
import { safeRedirect } from '~/modules/auth/auth'
import { FORM_BODY_MAX } from '~/shared/forms'
import { deny, DENIALS_AUDITED_PER_WINDOW } from '~/modules/auth/authorize.server'
import { cleanTable, csvCell, toCsv } from '~/modules/exports/spreadsheet.server'
import { createFirstHrAdmin } from '~/modules/org/first-admin.server'
import * as forgotPassword from '~/routes/forgot-password'
import * as locale from '~/routes/locale'
import * as login from '~/routes/login'
import { migrateArgs, startEnv } from '../../scripts/start-env.mjs'
import { createPerson, settle, TEST_PASSWORD } from '../setup/fixtures'

const context = { clientIp: '127.0.0.1' }
const form = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  new Request(url, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  })

describe('password-reset links', () => {
  it('never take their host from the request (Host, X-Forwarded-Host)', async () => {
    const person = await createPerson()
    const request = form('http://evil.example/forgot-password', { email: person.email }, { 'X-Forwarded-Host': 'evil.example:6666', Host: 'evil.example' })
    await settle(() => forgotPassword.action({ request, params: {}, context }))
    const [mail] = await db
      .select()
      .from(emails)
      .where(and(eq(emails.toUserId, person.id), eq(emails.kind, 'password_reset')))
      .orderBy(desc(emails.createdAt))
    expect(mail.text).not.toContain('evil.example')
    expect(mail.text).toContain(`${publicOrigin()}/reset-password/`)
  })

  it('are throttled: a few emails per account an hour, and a few requests per address', async () => {
    const person = await createPerson()
    for (let i = 0; i < 6; i++) {
      await settle(() =>
        forgotPassword.action({
          request: form('http://localhost/forgot-password', { email: person.email }),
          params: {},
          context: { clientIp: `198.51.100.${i}` },
        }),
      )
    }
    const sent = await db
      .select()
      .from(emails)
      .where(and(eq(emails.toUserId, person.id), eq(emails.kind, 'password_reset')))
    expect(sent).toHaveLength(3)
    const ip = '198.51.100.77'
    for (let i = 0; i < 12; i++) {
      const other = await createPerson()
      await settle(() =>
        forgotPassword.action({ request: form('http://localhost/forgot-password', { email: other.email }), params: {}, context: { clientIp: ip } }),
      )
    }
    const fromIp = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.ip, ip), eq(auditEvents.action, 'auth.reset_requested')))
    expect(fromIp).toHaveLength(10)
  })

  it('come from APP_URL, which production requires; development uses the listen address', () => {
    expect(() => parseEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) })).toThrow(/APP_URL: required in production/)
    expect(publicOrigin(parseEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), APP_URL: 'https://genjin.example.com/' }))).toBe(
      'https://genjin.example.com',
    )
    expect(publicOrigin(parseEnv({ NODE_ENV: 'development', PORT: '4555' }))).toBe('http://localhost:4555')
    expect(() => parseEnv({ APP_URL: 'javascript:alert(1)' })).toThrow(/APP_URL/)
  })
})

describe('redirects after sign-in and locale switch', () => {
  const hostile = [
    '/\t/evil.example',
    '/%09/evil.example',
    '//evil.example',
    '/\\evil.example',
    '/\n/evil.example',
    '/a\r\nSet-Cookie: x=1',
    'https://evil.example/',
    '/\u0000x',
    ' /x',
  ]
  it('accept only same-origin relative paths', () => {
    for (const to of hostile) {
      const target = safeRedirect(to)
      expect(new URL(target, 'http://app.test').origin, JSON.stringify(to)).toBe('http://app.test')
      expect(target).not.toMatch(/[\s\\]/)
    }
    expect(safeRedirect('/learn/x?y=1#z')).toBe('/learn/x?y=1#z')
  })

  it('sign-in with a tab or newline in redirectTo lands on this site, never a 500', async () => {
    const person = await createPerson()
    for (const redirectTo of ['/\t/evil.example', '/\n/x', '/%09/evil.example']) {
      const response = (await settle(() =>
        login.action({ request: form('http://localhost/login', { email: person.email, password: TEST_PASSWORD, redirectTo }), params: {}, context }),
      )) as Response
      expect(response.status).toBe(302)
      expect(new URL(response.headers.get('Location')!, 'http://localhost').origin).toBe('http://localhost')
    }
  })

  it('the locale switch refuses foreign targets and survives newlines', async () => {
    for (const redirectTo of ['/\t/evil.example', '/a\nb']) {
      const response = (await settle(() =>
        locale.action({ request: form('http://localhost/locale', { locale: 'en', redirectTo }), params: {}, context }),
      )) as Response
      expect(response.status).toBe(302)
      expect(new URL(response.headers.get('Location')!, 'http://localhost').origin).toBe('http://localhost')
    }
  })
})

describe('denied requests', () => {
  it('write a bounded number of audit rows, however often they are repeated', async () => {
    const person = await createPerson()
    for (let i = 0; i < DENIALS_AUDITED_PER_WINDOW + 10; i++) await settle(() => deny(person, 'read:audit:all'))
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, person.id), eq(auditEvents.action, 'access.denied')))
    expect(rows).toHaveLength(DENIALS_AUDITED_PER_WINDOW)
  })
})

describe('form bodies', () => {
  it('over the size limit are refused with 413 before they are parsed', async () => {
    const body = new URLSearchParams({ email: 'a@example.test', password: 'x'.repeat(FORM_BODY_MAX + 1) })
    const response = (await settle(() => login.action({ request: form('http://localhost/login', Object.fromEntries(body)), params: {}, context }))) as Response
    expect(response.status).toBe(413)
  })
})

describe('CSV exports', () => {
  it('quote a field with a semicolon, so semicolon-locale Excel keeps it one text cell', () => {
    expect(toCsv(cleanTable({ header: ['name'], body: [['x;=1+1'], ['=2+2']] }))).toBe('\uFEFFname\r\n"x;=1+1"\r\n\'=2+2\r\n')
    expect(csvCell('x;=1+1')).toBe('"x;=1+1"')
  })
})

describe('demo mode and the first HR admin', () => {
  it('npm start turns demo mode on only on the embedded database, unless asked for', () => {
    expect(startEnv({}).DEMO_MODE).toBe('true')
    expect(startEnv({ PORT: '4000' }).APP_URL).toBe('http://localhost:4000')
    const deployed = startEnv({ DATABASE_URL: 'postgres://db/genjin' })
    expect(deployed.DEMO_MODE).toBe('false')
    expect(deployed.APP_URL).toBeUndefined()
    expect(startEnv({ DATABASE_URL: 'postgres://db/genjin', DEMO_MODE: 'true' }).DEMO_MODE).toBe('true')
    expect(startEnv({ DEMO_MODE: 'false' }).DEMO_MODE).toBe('false')
    // A deployment's empty database gets no demo company (published passwords); its first HR admin comes from admin:create.
    expect(migrateArgs(deployed)).not.toContain('--seed')
    expect(migrateArgs(startEnv({}))).toContain('--seed')
  })

  it('creates the first HR admin once, and never a second one', async () => {
    expect(await createFirstHrAdmin(db, { email: 'x@example.test', name: 'X', password: 'short' })).toMatchObject({ ok: false })
    // The test database may already hold an HR admin from another test; start from none.
    const admins = await db.select({ userId: userRoles.userId }).from(userRoles).where(eq(userRoles.role, 'hr_admin'))
    for (const a of admins) await db.update(users).set({ active: false }).where(eq(users.id, a.userId))
    const created = await createFirstHrAdmin(db, { email: 'First.Admin@Example.test', name: 'First Admin', password: 'a-long-enough-password' })
    expect(created).toMatchObject({ ok: true })
    const [row] = await db.select().from(users).where(eq(users.email, 'first.admin@example.test'))
    expect(row.passwordHash).toBeTruthy()
    expect(await createFirstHrAdmin(db, { email: 'second@example.test', name: 'Second', password: 'a-long-enough-password' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/already exists/),
    })
  })
})
