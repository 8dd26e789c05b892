import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { auditEvents, authSessions, emails, users } from '#db/schema'
import { createPerson, requestAs, TEST_PASSWORD, cookiePair } from '../../../tests/setup/fixtures'
import {
  changePassword,
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
  requestPasswordReset,
  setPasswordWithToken,
  signIn,
} from './auth.server'
import { createSession, endAllSessions, getCurrentUser } from './session.server'

async function auditActions(userId: string) {
  const rows = await db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, userId))
  return rows.map((r) => r.action)
}

describe('sign-in', () => {
  it('accepts the right password and records an audit entry', async () => {
    const person = await createPerson()
    const result = await signIn({ email: person.email.toUpperCase(), password: TEST_PASSWORD, ip: '10.0.0.1' })
    expect(result).toEqual({ ok: true, userId: person.id })
    expect(await auditActions(person.id)).toContain('auth.sign_in')
  })

  it('refuses a wrong password and an unknown email alike, auditing the failure', async () => {
    const person = await createPerson()
    expect(await signIn({ email: person.email, password: 'wrong-password', ip: '10.0.0.1' })).toEqual({ ok: false, reason: 'invalid' })
    expect(await signIn({ email: 'nobody@example.test', password: 'whatever', ip: '10.0.0.1' })).toEqual({ ok: false, reason: 'invalid' })
    expect(await auditActions(person.id)).toContain('auth.sign_in_failed')
  })

  it('limits one address per account, but not other people behind the same address', async () => {
    const victim = await createPerson()
    const colleague = await createPerson()
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS; i++) {
      await signIn({ email: victim.email, password: 'nope-nope', ip: '10.0.0.2' })
    }
    const limited = await signIn({ email: victim.email, password: TEST_PASSWORD, ip: '10.0.0.2' })
    expect(limited).toMatchObject({ ok: false, reason: 'rate_limited' })
    // The same office address still works for someone else, and the victim from elsewhere.
    expect(await signIn({ email: colleague.email, password: TEST_PASSWORD, ip: '10.0.0.2' })).toMatchObject({ ok: true })
    expect(await signIn({ email: victim.email, password: TEST_PASSWORD, ip: '10.0.0.3' })).toMatchObject({ ok: true })
  })

  it('under attack from many addresses, refuses the attacking addresses, never the owner', async () => {
    const person = await createPerson()
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      await signIn({ email: person.email, password: 'nope-nope', ip: `10.1.0.${i}` })
    }
    // An attacking address is refused even with the right password…
    expect(await signIn({ email: person.email, password: TEST_PASSWORD, ip: '10.1.0.3' })).toMatchObject({ ok: false, reason: 'rate_limited' })
    // …while the owner, from an address without failures, signs in.
    expect(await signIn({ email: person.email, password: TEST_PASSWORD, ip: '10.2.0.1' })).toMatchObject({ ok: true })
    expect(await auditActions(person.id)).not.toContain('auth.locked')
  })

  it('refuses a deactivated person even with the right password', async () => {
    const person = await createPerson({ active: false })
    expect(await signIn({ email: person.email, password: TEST_PASSWORD, ip: '10.0.0.1' })).toEqual({ ok: false, reason: 'inactive' })
  })
})

describe('sessions', () => {
  it('issues a new session id at every sign-in', async () => {
    const person = await createPerson()
    const a = cookiePair(await createSession(person.id, {}))
    const b = cookiePair(await createSession(person.id, {}))
    expect(a).not.toEqual(b)
    const rows = await db.select().from(authSessions).where(eq(authSessions.userId, person.id))
    expect(rows).toHaveLength(2)
    // Only hashes are stored, never the token itself.
    expect(rows.some((r) => a.includes(r.tokenHash))).toBe(false)
  })

  it('ends a session after the inactivity timeout', async () => {
    const person = await createPerson()
    const request = await requestAs(person, '/')
    expect(await getCurrentUser(request)).toMatchObject({ id: person.id })
    await db
      .update(authSessions)
      .set({ lastSeenAt: sql`now() - interval '3 hours'` })
      .where(eq(authSessions.userId, person.id))
    expect(await getCurrentUser(request)).toBeNull()
  })

  it('ends a session at its maximum lifetime whatever the activity', async () => {
    const person = await createPerson()
    const request = await requestAs(person, '/')
    await db
      .update(authSessions)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(authSessions.userId, person.id))
    expect(await getCurrentUser(request)).toBeNull()
  })

  it('ends every session of a deactivated person at once', async () => {
    const person = await createPerson()
    const request = await requestAs(person, '/')
    expect(await getCurrentUser(request)).not.toBeNull()
    await db.update(users).set({ active: false }).where(eq(users.id, person.id))
    expect(await getCurrentUser(request)).toBeNull()
  })

  it('signs out everywhere', async () => {
    const person = await createPerson()
    const one = await requestAs(person, '/')
    const two = await requestAs(person, '/')
    await endAllSessions(person.id)
    expect(await getCurrentUser(one)).toBeNull()
    expect(await getCurrentUser(two)).toBeNull()
  })
})

describe('passwords', () => {
  it('changes the password only with the current one, ending the other sessions', async () => {
    const person = await createPerson()
    const current = await requestAs(person, '/')
    const me = (await getCurrentUser(current))!
    const other = await requestAs(person, '/')
    expect(await changePassword(me, { current: 'wrong', password: 'a-brand-new-password' })).toMatchObject({ ok: false })
    expect(await changePassword(me, { current: TEST_PASSWORD, password: 'a-brand-new-password' })).toEqual({ ok: true })
    expect(await getCurrentUser(current)).not.toBeNull()
    expect(await getCurrentUser(other)).toBeNull()
    expect(await signIn({ email: person.email, password: 'a-brand-new-password', ip: '10.0.0.9' })).toMatchObject({ ok: true })
  })

  it('resets the password through an emailed link that works once, in the person’s language', async () => {
    const person = await createPerson()
    await db.update(users).set({ locale: 'en' }).where(eq(users.id, person.id))
    await requestPasswordReset(person.email, 'http://genjin.test')
    const [mail] = await db.select().from(emails).where(eq(emails.toUserId, person.id))
    expect(mail.subject).toBe('Reset your Genjin password')
    expect(mail.status).toBe('outbox')
    const token = mail.text.match(/reset-password\/([\w-]+)/)![1]
    expect(await setPasswordWithToken(token, 'password_reset', 'reset-password-123')).toEqual({ userId: person.id })
    expect(await setPasswordWithToken(token, 'password_reset', 'another-password-1')).toBeNull()
    expect(await signIn({ email: person.email, password: 'reset-password-123', ip: '10.0.0.9' })).toMatchObject({ ok: true })
  })

  it('says nothing about unknown emails when asked for a reset', async () => {
    const before = await db.select().from(emails)
    await requestPasswordReset('nobody-here@example.test', 'http://genjin.test')
    expect(await db.select().from(emails)).toHaveLength(before.length)
  })
})
