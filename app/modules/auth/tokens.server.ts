import { createHash, randomBytes } from 'node:crypto'
import { and, eq, isNull } from 'drizzle-orm'
import type { Executor } from '#db/client.server'
import { oneTimeTokens } from '#db/schema'

/** A random URL-safe token and the SHA-256 we store in its place. */
export function newToken() {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: hashToken(token) }
}

export function hashToken(token: string) {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * Issues an emailed one-time link for a person. A new link replaces the person's older unused
 * ones of the same purpose, so only the latest email works.
 */
export async function issueOneTimeToken(executor: Executor, userId: string, purpose: 'password_reset' | 'invitation', ttlMs: number) {
  const { token, hash } = newToken()
  await executor
    .update(oneTimeTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, purpose), isNull(oneTimeTokens.usedAt)))
  await executor.insert(oneTimeTokens).values({ tokenHash: hash, userId, purpose, expiresAt: new Date(Date.now() + ttlMs) })
  return token
}
