import { createCookie, redirect } from '@remix-run/node'
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { authSessions, localeEnum, roleEnum, userRoles, users } from '#db/schema'
import { env, sessionIdleSeconds } from '~/env.server'
import type { CurrentUser } from './permissions'
import { hashToken, newToken } from './tokens.server'

const DEV_SECRET = 'genjin-development-secret-not-for-production'

function sessionCookie() {
  const config = env()
  return createCookie('genjin_session', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: config.COOKIE_SECURE ? config.COOKIE_SECURE === 'true' : config.NODE_ENV === 'production',
    secrets: [config.SESSION_SECRET ?? DEV_SECRET],
    maxAge: config.SESSION_MAX_HOURS * 3600,
  })
}

/** Starts a new server-side session (always a fresh id) and returns its Set-Cookie header. */
export async function createSession(userId: string, meta: { ip?: string | null; userAgent?: string | null }) {
  const { token, hash } = newToken()
  const maxHours = env().SESSION_MAX_HOURS
  await db.insert(authSessions).values({
    tokenHash: hash,
    userId,
    expiresAt: new Date(Date.now() + maxHours * 3600_000),
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  })
  return sessionCookie().serialize(token)
}

async function readToken(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get('Cookie'))
  return typeof value === 'string' && value.length > 10 ? value : null
}

/**
 * Refresh last_seen_at at most once a second: a session then ends within a second of
 * SESSION_IDLE_SECONDS after the last request (a coarser refresh would end it early by up to
 * the interval). One indexed write per person per second of activity at most.
 */
const TOUCH_INTERVAL_SECONDS = 1

/** The signed-in person as the look-up reads them (the query's other columns are dropped). */
const SessionRow = z.object({
  sessionId: column.text,
  id: column.text,
  name: column.text,
  email: column.text,
  locale: z.enum(localeEnum.enumValues).nullable(),
  departmentId: column.textOrNull,
  managerId: column.textOrNull,
  /** A text[]: an array on both drivers. */
  roles: z.array(z.enum(roleEnum.enumValues)),
}) satisfies z.ZodType<CurrentUser>

/**
 * Look-ups in flight, by token hash: the root loader and the page's loader of one request (and a
 * double-click) ask at the same moment and share one answer. Only while the query runs — nothing
 * is cached afterwards, so a revoked or expired session ends on the very next request.
 */
const inFlight = new Map<string, Promise<CurrentUser | null>>()

/**
 * The signed-in person, or null. A session ends when revoked, past its maximum lifetime,
 * idle longer than the inactivity timeout, or when the person is deactivated or locked out.
 * One statement: the look-up, and the last-seen refresh (at most once a second) in the same
 * round trip (issue 10 item 10: every request pays for this).
 */
export async function getCurrentUser(request: Request): Promise<CurrentUser | null> {
  const token = await readToken(request)
  if (!token) return null
  const hash = hashToken(token)
  let lookup = inFlight.get(hash)
  if (!lookup) {
    lookup = lookUpSession(hash).finally(() => inFlight.delete(hash))
    inFlight.set(hash, lookup)
  }
  // Each caller its own copy: the loaders sharing one look-up never see each other's changes.
  const user = await lookup
  return user && { ...user }
}

async function lookUpSession(tokenHash: string): Promise<CurrentUser | null> {
  const idleSeconds = sessionIdleSeconds()
  // Times on the database's clock (app servers' clocks may differ).
  const [row] = parseRows(
    SessionRow,
    await db.execute(sql`
      with found as (
        select s.id as "sessionId", extract(epoch from now() - s.last_seen_at)::float8 as "secondsSinceSeen",
          u.id, u.name, u.email, u.locale, u.department_id as "departmentId", u.manager_id as "managerId",
          coalesce((select array_agg(r.role::text order by r.role) from ${userRoles} r where r.user_id = u.id), '{}') as roles
        from ${authSessions} s
        join ${users} u on u.id = s.user_id
        where s.token_hash = ${tokenHash}
          and s.revoked_at is null
          and s.expires_at > now()
          and s.last_seen_at > now() - make_interval(secs => ${idleSeconds})
          and u.active = true
          and (u.access_ends_at is null or u.access_ends_at > now())
        limit 1
      ), touched as (
        update ${authSessions} t set last_seen_at = now()
        from found where t.id = found."sessionId" and found."secondsSinceSeen" >= ${TOUCH_INTERVAL_SECONDS}
      )
      select * from found`),
  )
  return row ?? null
}

/** The signed-in person, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getCurrentUser(request)
  if (user) return user
  const url = new URL(request.url)
  const hadCookie = Boolean(await readToken(request))
  const params = new URLSearchParams({ redirectTo: url.pathname + url.search })
  if (hadCookie) params.set('ended', '1')
  throw redirect(`/login?${params}`, { headers: { 'Set-Cookie': await clearCookie() } })
}

export async function requireAnonymous(request: Request) {
  if (await getCurrentUser(request)) throw redirect('/')
}

export async function clearCookie() {
  return sessionCookie().serialize('', { maxAge: 0 })
}

/** Ends this browser's session; returns the header that clears the cookie. */
export async function endSession(request: Request) {
  const token = await readToken(request)
  if (token) {
    await db
      .update(authSessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(authSessions.tokenHash, hashToken(token)), isNull(authSessions.revokedAt)))
  }
  return clearCookie()
}

/** Ends every session of a person (sign out everywhere, deactivation, password change). */
export async function endAllSessions(userId: string, options: { except?: string } = {}, executor = db) {
  await executor
    .update(authSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt), options.except ? sql`${authSessions.id} <> ${options.except}` : undefined))
}

export async function listActiveSessions(user: CurrentUser) {
  const rows = await db
    .select({
      id: authSessions.id,
      createdAt: authSessions.createdAt,
      lastSeenAt: authSessions.lastSeenAt,
      ip: authSessions.ip,
      userAgent: authSessions.userAgent,
    })
    .from(authSessions)
    .where(and(eq(authSessions.userId, user.id), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, sql`now()`)))
    .orderBy(sql`${authSessions.lastSeenAt} desc`)
  return rows.map((r) => ({ ...r, current: r.id === user.sessionId }))
}
