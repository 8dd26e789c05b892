/**
 * Security review findings (issue 10, items 1, 2 and 4): emailed links never come from request
 * headers; redirects only to same-origin paths; demo mode only on the embedded demo database;
 * the first HR admin of an empty production database comes from a command.
 */
import { and, desc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { emails, userRoles, users } from '#db/schema'
import { parseEnv, publicOrigin } from '~/env.server'
import { safeRedirect } from '~/modules/auth/auth'
import { createFirstHrAdmin } from '~/modules/org/first-admin.server'
import * as forgotPassword from '~/routes/forgot-password'
import * as locale from '~/routes/locale'
import * as login from '~/routes/login'
import { startEnv } from '../../scripts/start-env.mjs'
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
    const [mail] = await db.select().from(emails).where(and(eq(emails.toUserId, person.id), eq(emails.kind, 'password_reset'))).orderBy(desc(emails.createdAt))
    expect(mail.text).not.toContain('evil.example')
    expect(mail.text).toContain(`${publicOrigin()}/reset-password/`)
  })

  it('come from APP_URL, which production requires; development uses the listen address', () => {
    expect(() => parseEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) })).toThrow(/APP_URL: required in production/)
    expect(publicOrigin(parseEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), APP_URL: 'https://genjin.example.com/' }))).toBe('https://genjin.example.com')
    expect(publicOrigin(parseEnv({ NODE_ENV: 'development', PORT: '4555' }))).toBe('http://localhost:4555')
    expect(() => parseEnv({ APP_URL: 'javascript:alert(1)' })).toThrow(/APP_URL/)
  })
})

describe('redirects after sign-in and locale switch', () => {
  const hostile = ['/\t/evil.example', '/%09/evil.example', '//evil.example', '/\\evil.example', '/\n/evil.example', '/a\r\nSet-Cookie: x=1', 'https://evil.example/', '/\u0000x', ' /x']
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
      const response = (await settle(() => login.action({ request: form('http://localhost/login', { email: person.email, password: TEST_PASSWORD, redirectTo }), params: {}, context }))) as Response
      expect(response.status).toBe(302)
      expect(new URL(response.headers.get('Location')!, 'http://localhost').origin).toBe('http://localhost')
    }
  })

  it('the locale switch refuses foreign targets and survives newlines', async () => {
    for (const redirectTo of ['/\t/evil.example', '/a\nb']) {
      const response = (await settle(() => locale.action({ request: form('http://localhost/locale', { locale: 'en', redirectTo }), params: {}, context }))) as Response
      expect(response.status).toBe(302)
      expect(new URL(response.headers.get('Location')!, 'http://localhost').origin).toBe('http://localhost')
    }
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
