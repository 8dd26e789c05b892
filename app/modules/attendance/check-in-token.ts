/**
 * Rotating check-in codes. Every 30 seconds a session has a new token (shown as a QR code of
 * /check-in/<token>) and a 6-digit short code, both an HMAC over sessionId + interval with a
 * key derived from SESSION_SECRET: nothing is stored, any app instance can verify them.
 * The current and the previous interval are accepted, so a code read at the edge of a
 * rotation still works; anything older does not.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { env } from '~/env.server'

export const INTERVAL_SECONDS = 30
/** How long the link handed over after scanning stays good (signing in on a phone takes a while). */
export const GRANT_SECONDS = 300

// Without SESSION_SECRET (development only; production refuses to start) codes are still unguessable per process.
const DEV_SECRET = 'genjin-development-secret-not-for-production'

let cachedKey: { secret: string; key: Buffer } | undefined
function key() {
  const secret = env().SESSION_SECRET ?? DEV_SECRET
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: createHmac('sha256', secret).update('genjin/check-in/v1').digest() }
  return cachedKey.key
}

function mac(...parts: string[]) {
  return createHmac('sha256', key()).update(parts.join(':')).digest()
}

export function intervalAt(now: Date | number) {
  return Math.floor(new Date(now).getTime() / 1000 / INTERVAL_SECONDS)
}

/** Milliseconds until the code shown now is replaced. */
export function msUntilNextInterval(now: Date | number) {
  const ms = new Date(now).getTime()
  return (intervalAt(ms) + 1) * INTERVAL_SECONDS * 1000 - ms
}

const compactId = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url')

function expandId(compact: string) {
  const hex = Buffer.from(compact, 'base64url').toString('hex')
  if (hex.length !== 32) return null
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

function equal(a: string, b: string) {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The token in the QR code for a session and interval. */
export function checkInToken(sessionId: string, interval: number) {
  return `${compactId(sessionId)}.${interval.toString(36)}.${mac('token', sessionId, String(interval)).subarray(0, 12).toString('base64url')}`
}

/** The 6-digit code for a session and interval (HOTP-style dynamic truncation of the same HMAC construction). */
export function shortCode(sessionId: string, interval: number) {
  const digest = mac('code', sessionId, String(interval))
  const offset = digest[digest.length - 1] & 0x0f
  const binary = ((digest[offset] & 0x7f) << 24) | (digest[offset + 1] << 16) | (digest[offset + 2] << 8) | digest[offset + 3]
  return String(binary % 1_000_000).padStart(6, '0')
}

/** Is this interval's code still good at `now`: the current one or the one just before it. */
function fresh(interval: number, now: Date | number) {
  const current = intervalAt(now)
  return interval === current || interval === current - 1
}

/** Is `code` the short code of this session now (or in the previous interval)? */
export function shortCodeMatches(sessionId: string, code: string, now: Date | number) {
  const current = intervalAt(now)
  return [current, current - 1].some((interval) => equal(shortCode(sessionId, interval), code))
}

/**
 * A grant: proof that someone held a fresh token, good for GRANT_SECONDS. Bound to a person
 * once they are signed in; unbound only for the trip through the sign-in page.
 */
export function checkInGrant(sessionId: string, now: Date | number, userId?: string) {
  const issued = Math.floor(new Date(now).getTime() / 1000).toString(36)
  const who = userId ? compactId(userId) : ''
  return `g.${compactId(sessionId)}.${issued}.${who}.${mac('grant', sessionId, issued, userId ?? '')
    .subarray(0, 12)
    .toString('base64url')}`
}

export type VerifiedCheckIn = { sessionId: string; kind: 'token' | 'grant' }

/**
 * What a /check-in/<token> link proves at `now`: a fresh rotating token, or a grant not yet
 * expired (a bound grant only for the person it was issued to). Null when it proves nothing.
 */
export function verifyCheckInLink(value: string, now: Date | number, userId?: string): VerifiedCheckIn | null {
  if (typeof value !== 'string' || value.length > 200) return null
  const parts = value.split('.')
  if (parts.length === 3) {
    const [id, intervalText] = parts
    const sessionId = expandId(id)
    const interval = parseInt(intervalText, 36)
    if (!sessionId || !Number.isSafeInteger(interval) || !fresh(interval, now)) return null
    return equal(checkInToken(sessionId, interval), value) ? { sessionId, kind: 'token' } : null
  }
  if (parts.length === 5 && parts[0] === 'g') {
    const [, id, issuedText, who, signature] = parts
    const sessionId = expandId(id)
    const issued = parseInt(issuedText, 36)
    const boundTo = who ? expandId(who) : undefined
    if (!sessionId || !Number.isSafeInteger(issued) || boundTo === null) return null
    const age = new Date(now).getTime() / 1000 - issued
    if (age < -5 || age > GRANT_SECONDS) return null
    if (boundTo && boundTo !== userId) return null
    const expected = mac('grant', sessionId, issuedText, boundTo ?? '')
      .subarray(0, 12)
      .toString('base64url')
    return equal(expected, signature) ? { sessionId, kind: 'grant' } : null
  }
  return null
}
