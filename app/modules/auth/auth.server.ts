import { and, count, eq, gt, inArray, isNull, max, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { auditEvents, oneTimeTokens, signInAttempts, users } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { sendTemplatedEmail } from '~/modules/mail/email.server'
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.server'
import type { CurrentUser } from './permissions'
import { endAllSessions } from './session.server'
import { hashToken, issueOneTimeToken } from './tokens.server'

/** Failures within this window count towards the limits below. */
export const ATTEMPT_WINDOW_MINUTES = 15
/** Failures from one address against one account before that pair is refused for the window. */
export const MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5
/** Failures against one account from anywhere after which every address that failed against it is refused (the account itself is never locked). */
export const MAX_FAILURES_PER_ACCOUNT = 10
export const LOCK_MINUTES = 15

export type SignInResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'invalid' | 'inactive' | 'access_ended' }
  | { ok: false; reason: 'rate_limited'; minutes: number }
  | { ok: false; reason: 'locked'; until: Date }

/**
 * Checks an email and password. Limits are per account+address, never per address alone (a
 * whole office often reaches the app from one address) and never lock the account itself, so
 * failures from elsewhere cannot shut its owner out.
 */
export async function signIn(input: { email: string; password: string; ip: string }): Promise<SignInResult> {
  const email = input.email.toLowerCase()
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1)

  if (user?.lockedUntil && user.lockedUntil > new Date()) {
    await recordAttempt(email, input.ip, false, user.id, 'locked')
    return { ok: false, reason: 'locked', until: user.lockedUntil }
  }
  // The attempt source is refused, never the account: while an account is under attack from
  // many addresses, every address that has failed against it waits out the window, and the owner
  // signing in from an address without failures still gets in.
  const pairFailures = await failuresSinceLastSuccess(email, input.ip)
  const underAttack = pairFailures > 0 && (await failuresSinceLastSuccess(email)) >= MAX_FAILURES_PER_ACCOUNT
  if (pairFailures >= MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS || underAttack) {
    await recordAttempt(email, input.ip, false, user?.id, 'rate_limited')
    return { ok: false, reason: 'rate_limited', minutes: ATTEMPT_WINDOW_MINUTES }
  }

  const passwordOk = user?.passwordHash
    ? await verifyPassword(user.passwordHash, input.password)
    : (await verifyPassword(await dummyPasswordHash(), input.password), false)

  if (!user || !passwordOk) {
    await recordAttempt(email, input.ip, false, user?.id, 'invalid')
    return { ok: false, reason: 'invalid' }
  }
  if (!user.active) {
    await recordAttempt(email, input.ip, false, user.id, 'inactive')
    return { ok: false, reason: 'inactive' }
  }
  if (user.accessEndsAt && user.accessEndsAt <= new Date()) {
    await recordAttempt(email, input.ip, false, user.id, 'access_ended')
    return { ok: false, reason: 'access_ended' }
  }
  await recordAttempt(email, input.ip, true, user.id, 'ok')
  if (user.lockedUntil) await db.update(users).set({ lockedUntil: null }).where(eq(users.id, user.id))
  return { ok: true, userId: user.id }
}

async function failuresSinceLastSuccess(email: string, ip?: string) {
  const scope = and(eq(signInAttempts.email, email), ip ? eq(signInAttempts.ip, ip) : undefined)
  const windowStart = sql`now() - make_interval(mins => ${ATTEMPT_WINDOW_MINUTES})`
  const [last] = await db
    .select({ at: max(signInAttempts.at) })
    .from(signInAttempts)
    .where(and(scope, eq(signInAttempts.succeeded, true), gt(signInAttempts.at, windowStart)))
  const [row] = await db
    .select({ n: count() })
    .from(signInAttempts)
    .where(and(scope, eq(signInAttempts.succeeded, false), gt(signInAttempts.at, windowStart), last?.at ? gt(signInAttempts.at, last.at) : undefined))
  return Number(row?.n ?? 0)
}

async function recordAttempt(email: string, ip: string, succeeded: boolean, userId: string | undefined, outcome: string) {
  await db.insert(signInAttempts).values({ email, ip, succeeded })
  await audit({
    actorId: userId ?? null,
    action: succeeded ? 'auth.sign_in' : 'auth.sign_in_failed',
    entityType: 'user',
    entityId: userId,
    ip,
    details: { email, outcome },
  })
}

/** Changes the signed-in person's password and ends their other sessions. */
export async function changePassword(user: CurrentUser, input: { current: string; password: string }, ip?: string) {
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id))
  if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, input.current))) {
    return { ok: false as const, error: 'auth.currentWrong' }
  }
  const passwordHash = await hashPassword(input.password)
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, user.id))
    await endAllSessions(user.id, { except: user.sessionId }, tx)
    await audit({ actorId: user.id, action: 'auth.password_changed', entityType: 'user', entityId: user.id, ip }, tx)
  })
  return { ok: true as const }
}

const RESET_TTL_MINUTES = 60
export const INVITATION_TTL_DAYS = 7

/** Reset emails per account, and reset requests per address, within an hour; beyond them nothing is sent. */
export const RESET_EMAILS_PER_ACCOUNT_PER_HOUR = 3
export const RESET_REQUESTS_PER_ADDRESS_PER_HOUR = 10

async function resetRequestsWithinHour(scope: { actorId: string } | { ip: string }) {
  const [row] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(
      and(
        'actorId' in scope
          ? and(eq(auditEvents.actorId, scope.actorId), eq(auditEvents.action, 'auth.reset_requested'))
          : and(eq(auditEvents.ip, scope.ip), inArray(auditEvents.action, ['auth.reset_requested', 'auth.reset_requested_unknown', 'auth.reset_throttled'])),
        gt(auditEvents.at, sql`now() - interval '1 hour'`),
      ),
    )
  return Number(row?.n ?? 0)
}

/**
 * Emails a one-time reset link if the address belongs to an active account; says nothing either
 * way. Throttled: a few emails per account and a few requests per address an hour, so the form
 * cannot flood someone's mailbox (the answer looks the same, the refusal is audited).
 */
export async function requestPasswordReset(email: string, appUrl: string, ip?: string) {
  if (ip && (await resetRequestsWithinHour({ ip })) >= RESET_REQUESTS_PER_ADDRESS_PER_HOUR) {
    await audit({ action: 'auth.reset_throttled', ip, details: { email, limit: 'address' } })
    return
  }
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, email.toLowerCase()), eq(users.active, true)))
    .limit(1)
  if (!user) {
    await audit({ action: 'auth.reset_requested_unknown', ip, details: { email } })
    return
  }
  if ((await resetRequestsWithinHour({ actorId: user.id })) >= RESET_EMAILS_PER_ACCOUNT_PER_HOUR) {
    await audit({ action: 'auth.reset_throttled', entityType: 'user', entityId: user.id, ip, details: { limit: 'account' } })
    return
  }
  await db.transaction(async (tx) => {
    const token = await issueOneTimeToken(tx, user.id, 'password_reset', RESET_TTL_MINUTES * 60_000)
    await audit({ actorId: user.id, action: 'auth.reset_requested', entityType: 'user', entityId: user.id, ip }, tx)
    await sendTemplatedEmail(
      {
        to: user,
        kind: 'password_reset',
        vars: { name: user.name, link: `${appUrl}/reset-password/${token}`, minutes: RESET_TTL_MINUTES },
      },
      tx,
    )
  })
}

/** The link's row, if it is this kind of link, unused and unexpired. */
function usableToken(token: string, purpose: 'password_reset' | 'invitation') {
  return and(
    eq(oneTimeTokens.tokenHash, hashToken(token)),
    eq(oneTimeTokens.purpose, purpose),
    isNull(oneTimeTokens.usedAt),
    gt(oneTimeTokens.expiresAt, sql`now()`),
  )
}

/** Finds the person behind an unused, unexpired link; null otherwise. */
export async function findTokenHolder(token: string, purpose: 'password_reset' | 'invitation') {
  const [row] = await db
    .select({ tokenId: oneTimeTokens.id, userId: users.id, name: users.name, email: users.email, active: users.active })
    .from(oneTimeTokens)
    .innerJoin(users, eq(users.id, oneTimeTokens.userId))
    .where(and(usableToken(token, purpose), eq(users.active, true)))
    .limit(1)
  return row ?? null
}

/**
 * Sets a password through an emailed link (reset or invitation). The link is consumed in the
 * same transaction, so it works exactly once; every other session of the person ends.
 */
export async function setPasswordWithToken(token: string, purpose: 'password_reset' | 'invitation', password: string, ip?: string) {
  const passwordHash = await hashPassword(password)
  return db.transaction(async (tx) => {
    const consumed = await tx.update(oneTimeTokens).set({ usedAt: new Date() }).where(usableToken(token, purpose)).returning({ userId: oneTimeTokens.userId })
    const userId = consumed[0]?.userId
    if (!userId) return null
    const [user] = await tx
      .select()
      .from(users)
      .where(and(eq(users.id, userId), eq(users.active, true)))
    if (!user) return null
    await tx.update(users).set({ passwordHash, lockedUntil: null, updatedAt: new Date() }).where(eq(users.id, userId))
    await endAllSessions(userId, {}, tx)
    await audit(
      { actorId: userId, action: purpose === 'invitation' ? 'auth.invitation_accepted' : 'auth.password_reset', entityType: 'user', entityId: userId, ip },
      tx,
    )
    return { userId }
  })
}
