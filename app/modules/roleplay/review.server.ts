import { and, eq, isNull } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { roleplayAssignments, roleplayComments, roleplayRecordings, roleplayReviews, roleplayScenarios, studyGroupMembers } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { syncLinkedModules } from '~/modules/courses/linked-modules.server'
import { cleanLevels, rubricScore, type CommentInput } from './roleplay'
import { commentsOf, currentRecording, recordingsOf, requireAssignmentAccess, requireAssignmentStaff, reviewOf } from './roleplay.server'

export type ReviewResult = { ok: true } | { ok: false; error: string }

/**
 * The trainer's review page: the scenario (all briefs, observer notes), the recording under
 * review (the one already reviewed, else the group's current one), its comments and the rubric.
 */
export async function getReviewPage(actor: CurrentUser, assignmentId: string) {
  const { assignment, group } = await requireAssignmentStaff(actor, assignmentId)
  const [[scenario], versions, review] = await Promise.all([
    db.select().from(roleplayScenarios).where(eq(roleplayScenarios.id, assignment.scenarioId)),
    recordingsOf(db, assignment.id, assignment.dueAt),
    reviewOf(db, assignment.id),
  ])
  const recording = (review?.recordingId && versions.find((v) => v.id === review.recordingId)) || currentRecording(versions)
  const comments = recording ? await commentsOf(db, recording.id) : []
  return {
    assignment: { id: assignment.id, dueAt: assignment.dueAt, performedLiveAt: assignment.performedLiveAt, sessionId: assignment.sessionId },
    group: { id: group.id, name: group.name },
    scenario: {
      title: scenario.title,
      situation: scenario.situation,
      roles: scenario.roles,
      keyPoints: scenario.keyPoints,
      observerNotes: scenario.observerNotes,
    },
    recording,
    versions,
    comments,
    review: review && {
      mode: review.mode,
      levels: review.levels,
      score: review.score,
      summary: review.summary,
      updatedAt: review.updatedAt,
      releasedAt: review.releasedAt,
    },
  }
}

async function released(tx: Executor, assignmentId: string) {
  return Boolean((await reviewOf(tx, assignmentId))?.releasedAt)
}

/** The recording must belong to the assignment, and the review must not be released yet. */
async function recordingForReview(tx: Executor, assignmentId: string, recordingId: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(recordingId)) return null
  const [recording] = await tx
    .select()
    .from(roleplayRecordings)
    .where(and(eq(roleplayRecordings.id, recordingId), eq(roleplayRecordings.assignmentId, assignmentId)))
  return recording ?? null
}

/** A time-coded comment (praise or correction, tagged with key points) at a moment of the recording. */
export async function addComment(actor: CurrentUser, assignmentId: string, input: CommentInput): Promise<ReviewResult & { id?: number }> {
  const { assignment } = await requireAssignmentStaff(actor, assignmentId)
  return db.transaction(async (tx) => {
    const review = await reviewOf(tx, assignment.id)
    if (review?.releasedAt) return { ok: false as const, error: 'rp.review.alreadyReleased' }
    const recording = await recordingForReview(tx, assignment.id, input.recordingId)
    if (!recording) return { ok: false as const, error: 'errors.invalid' }
    if (recording.durationSeconds && input.atMs > recording.durationSeconds * 1000 + 1000) return { ok: false as const, error: 'errors.invalid' }
    const [row] = await tx
      .insert(roleplayComments)
      .values({
        recordingId: recording.id,
        atMs: input.atMs,
        tone: input.tone,
        keyPoints: [...new Set(input.keyPoints)].sort((a, b) => a - b),
        body: input.body,
        authorId: actor.id,
      })
      .returning({ id: roleplayComments.id })
    // The review follows the recording commented on.
    await tx
      .insert(roleplayReviews)
      .values({ assignmentId: assignment.id, mode: 'recording', recordingId: recording.id, reviewerId: actor.id })
      .onConflictDoUpdate({ target: roleplayReviews.assignmentId, set: { mode: 'recording', recordingId: recording.id, updatedAt: new Date() } })
    return { ok: true as const, id: row.id }
  })
}

/** A staff comment of this assignment (not a reply), while the review is open. */
async function editableComment(tx: Executor, assignmentId: string, commentId: number) {
  const [row] = await tx
    .select({ c: roleplayComments })
    .from(roleplayComments)
    .innerJoin(roleplayRecordings, eq(roleplayRecordings.id, roleplayComments.recordingId))
    .where(and(eq(roleplayComments.id, commentId), eq(roleplayRecordings.assignmentId, assignmentId), isNull(roleplayComments.parentId)))
  return row?.c ?? null
}

export async function editComment(
  actor: CurrentUser,
  assignmentId: string,
  commentId: number,
  input: Pick<CommentInput, 'tone' | 'keyPoints' | 'body'>,
): Promise<ReviewResult> {
  const { assignment } = await requireAssignmentStaff(actor, assignmentId)
  return db.transaction(async (tx) => {
    if (await released(tx, assignment.id)) return { ok: false as const, error: 'rp.review.alreadyReleased' }
    const comment = await editableComment(tx, assignment.id, commentId)
    if (!comment) return { ok: false as const, error: 'errors.invalid' }
    await tx
      .update(roleplayComments)
      .set({ tone: input.tone, keyPoints: [...new Set(input.keyPoints)].sort((a, b) => a - b), body: input.body, editedAt: new Date() })
      .where(eq(roleplayComments.id, comment.id))
    return { ok: true as const }
  })
}

export async function deleteComment(actor: CurrentUser, assignmentId: string, commentId: number): Promise<ReviewResult> {
  const { assignment } = await requireAssignmentStaff(actor, assignmentId)
  return db.transaction(async (tx) => {
    if (await released(tx, assignment.id)) return { ok: false as const, error: 'rp.review.alreadyReleased' }
    const comment = await editableComment(tx, assignment.id, commentId)
    if (!comment) return { ok: false as const, error: 'errors.invalid' }
    await tx.delete(roleplayComments).where(eq(roleplayComments.id, comment.id))
    return { ok: true as const }
  })
}

/**
 * A reply to a comment: the group's members once the review is released, the cohort's staff
 * at any time. Replies carry no time of their own.
 */
export async function replyToComment(actor: CurrentUser, assignmentId: string, commentId: number, body: string): Promise<ReviewResult> {
  const { assignment, staff } = await requireAssignmentAccess(actor, assignmentId)
  return db.transaction(async (tx) => {
    const review = await reviewOf(tx, assignment.id)
    if (!staff && !review?.releasedAt) return { ok: false as const, error: 'rp.review.notReleased' }
    const comment = await editableComment(tx, assignment.id, commentId)
    if (!comment) return { ok: false as const, error: 'errors.invalid' }
    await tx.insert(roleplayComments).values({ recordingId: comment.recordingId, parentId: comment.id, tone: 'reply', body, authorId: actor.id })
    return { ok: true as const }
  })
}

export type SaveReviewResult = { ok: true; score: number | null; savedAt: Date } | { ok: false; error: string }

/**
 * Saves the rubric levels and summary (a draft until released). `mode` live is the score
 * sheet of a skit performed in class; it marks the skit performed live if it was not yet.
 */
export async function saveReview(
  actor: CurrentUser,
  assignmentId: string,
  input: { levels: Record<string, unknown>; summary: string; mode: 'recording' | 'live' },
  now = new Date(),
): Promise<SaveReviewResult> {
  const { assignment } = await requireAssignmentStaff(actor, assignmentId)
  const levels = cleanLevels(input.levels)
  const score = rubricScore(levels)
  return db.transaction(async (tx) => {
    const [locked] = await tx.select().from(roleplayAssignments).where(eq(roleplayAssignments.id, assignment.id)).for('update')
    const review = await reviewOf(tx, assignment.id)
    if (review?.releasedAt) return { ok: false as const, error: 'rp.review.alreadyReleased' }
    let recordingId = review?.recordingId ?? null
    if (input.mode === 'recording' && !recordingId) {
      recordingId = currentRecording(await recordingsOf(tx, assignment.id, assignment.dueAt))?.id ?? null
      if (!recordingId) return { ok: false as const, error: 'rp.review.noRecording' }
    }
    const values = {
      mode: input.mode,
      recordingId: input.mode === 'live' ? null : recordingId,
      levels,
      score,
      summary: input.summary,
      reviewerId: actor.id,
      updatedAt: now,
    }
    await tx
      .insert(roleplayReviews)
      .values({ assignmentId: assignment.id, ...values })
      .onConflictDoUpdate({ target: roleplayReviews.assignmentId, set: values })
    if (input.mode === 'live' && !locked.performedLiveAt) {
      await tx.update(roleplayAssignments).set({ performedLiveAt: now }).where(eq(roleplayAssignments.id, assignment.id))
    }
    return { ok: true as const, score, savedAt: now }
  })
}

/**
 * Releases the review to the group: every key point needs a level. From then on the members
 * see all briefs, the comments and the score; the `roleplay` module completes for them.
 */
export async function releaseReview(actor: CurrentUser, assignmentId: string, now = new Date()): Promise<ReviewResult> {
  const { assignment } = await requireAssignmentStaff(actor, assignmentId)
  return db.transaction(async (tx) => {
    await tx.select().from(roleplayAssignments).where(eq(roleplayAssignments.id, assignment.id)).for('update')
    const review = await reviewOf(tx, assignment.id)
    if (!review) return { ok: false as const, error: 'rp.review.incomplete' }
    if (review.releasedAt) return { ok: true as const }
    if (review.score === null || rubricScore(review.levels) === null) return { ok: false as const, error: 'rp.review.incomplete' }
    await tx.update(roleplayReviews).set({ releasedAt: now }).where(eq(roleplayReviews.assignmentId, assignment.id))
    const members = await tx.select({ userId: studyGroupMembers.userId }).from(studyGroupMembers).where(eq(studyGroupMembers.groupId, assignment.groupId))
    await syncLinkedModules(tx, { userIds: members.map((m) => m.userId) })
    await audit(
      {
        actorId: actor.id,
        action: 'roleplay.review-released',
        entityType: 'roleplay',
        entityId: assignment.id,
        details: { score: review.score, mode: review.mode },
      },
      tx,
    )
    return { ok: true as const }
  })
}
