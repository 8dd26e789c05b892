import { and, eq, ne } from 'drizzle-orm'
import { db } from '#db/client.server'
import { absenceRequests, invitations } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import { type CurrentUser } from '~/modules/auth/permissions'
import { loadSession, requireSessionRight } from '~/modules/sessions/access.server'
import { answerable } from '~/modules/sessions/invitations.server'
import { writeAttendance } from './attendance.server'

/** Absence requests: asked in advance with a reason, decided by the trainer or HR; an approval marks the attendance excused. */
/** A person asks in advance to be excused, with a reason; trainer or HR decides. */
export async function requestAbsence(actor: CurrentUser, sessionId: string, reason: string) {
  await assertCan(actor, 'attend:sessions:own')
  return db.transaction(async (tx) => {
    const session = await loadSession(tx, sessionId)
    const [invitation] = await tx
      .select({ status: invitations.status })
      .from(invitations)
      .where(and(eq(invitations.sessionId, sessionId), eq(invitations.userId, actor.id)))
    if (!invitation) throw new Response('Not found', { status: 404 })
    if (!answerable(session)) return { ok: false as const, error: 'sessions.absenceTooLate' }
    const [open] = await tx
      .select({ id: absenceRequests.id })
      .from(absenceRequests)
      .where(and(eq(absenceRequests.sessionId, sessionId), eq(absenceRequests.userId, actor.id), ne(absenceRequests.status, 'rejected')))
    if (open) return { ok: false as const, error: 'sessions.absenceAlreadyRequested' }
    const [request] = await tx.insert(absenceRequests).values({ sessionId, userId: actor.id, reason }).returning()
    await audit({ actorId: actor.id, action: 'absence.requested', entityType: 'session', entityId: sessionId, details: { requestId: request.id, reason } }, tx)
    return { ok: true as const, requestId: request.id }
  })
}

/** Trainer (of this session) or HR approves or rejects; approval records the attendance as excused. */
export async function decideAbsence(actor: CurrentUser, requestId: string, decision: 'approved' | 'rejected') {
  const [request] = /^[0-9a-f-]{36}$/i.test(requestId) ? await db.select().from(absenceRequests).where(eq(absenceRequests.id, requestId)) : []
  if (!request) throw new Response('Not found', { status: 404 })
  await requireSessionRight(actor, request.sessionId, 'mark')
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(absenceRequests)
      .set({ status: decision, decidedBy: actor.id, decidedAt: new Date() })
      .where(and(eq(absenceRequests.id, requestId), eq(absenceRequests.status, 'pending')))
      .returning()
    if (!updated) return { ok: false as const, error: 'sessions.absenceAlreadyDecided' }
    if (decision === 'approved') {
      await writeAttendance(tx, { sessionId: request.sessionId, userId: request.userId, status: 'excused', method: 'trainer', by: actor.id })
    }
    await audit(
      { actorId: actor.id, action: `absence.${decision}`, entityType: 'session', entityId: request.sessionId, details: { requestId, userId: request.userId } },
      tx,
    )
    return { ok: true as const }
  })
}
