import { and, asc, desc, eq, isNotNull, ne, sql } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { breakpointResponses, breakpoints, videoProgress, videos, type Breakpoint, type BreakpointResponse } from '#db/schema'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { creditRanges, mergeRanges, totalLength, type Range } from './ranges'
import { COMPLETION_SHARE, MAX_PLAYBACK_RATE, PEER_PREDICTIONS_SHOWN, ProgressReportSchema, type ProgressReport } from './videos'
import { emit } from '~/shared/events.server'

async function readyVideo(executor: Executor, videoId: string) {
  const [video] = await executor.select().from(videos).where(eq(videos.id, videoId))
  if (!video || video.status !== 'ready') throw new Response('Not found', { status: 404 })
  return video
}

type RequiredCheck = Pick<Breakpoint, 'mustAcknowledge' | 'question' | 'predictPrompt'>

function required(bp: RequiredCheck) {
  return bp.mustAcknowledge || Boolean(bp.question) || Boolean(bp.predictPrompt)
}

function done(bp: RequiredCheck, r: Pick<BreakpointResponse, 'acknowledgedAt' | 'answer' | 'prediction'> | undefined) {
  if (bp.mustAcknowledge && !r?.acknowledgedAt) return false
  if (bp.question && !r?.answer) return false
  if (bp.predictPrompt && !r?.prediction) return false
  return true
}

export type CompletionState = {
  completed: boolean
  completedAt: Date | null
  creditedSeconds: number
  durationSeconds: number
  creditedShare: number
  requiredDone: number
  requiredTotal: number
}

async function evaluate(executor: Executor, userId: string, videoId: string): Promise<CompletionState> {
  const video = await readyVideo(executor, videoId)
  const [progress] = await executor
    .select()
    .from(videoProgress)
    .where(and(eq(videoProgress.userId, userId), eq(videoProgress.videoId, videoId)))
  const rows = await executor
    .select({ bp: breakpoints, response: breakpointResponses })
    .from(breakpoints)
    .leftJoin(breakpointResponses, and(eq(breakpointResponses.breakpointId, breakpoints.id), eq(breakpointResponses.userId, userId)))
    .where(eq(breakpoints.videoId, videoId))
  const requiredRows = rows.filter((r) => required(r.bp))
  const requiredDone = requiredRows.filter((r) => done(r.bp, r.response ?? undefined)).length
  const duration = video.durationSeconds ?? 0
  const credited = progress?.creditedSeconds ?? 0
  const share = duration > 0 ? Math.min(1, credited / duration) : 0
  return {
    completed: Boolean(progress?.completedAt),
    completedAt: progress?.completedAt ?? null,
    creditedSeconds: credited,
    durationSeconds: duration,
    creditedShare: share,
    requiredDone,
    requiredTotal: requiredRows.length,
  }
}

/** Marks the video complete once the rule holds; completion, once reached, stays. */
async function settle(executor: Executor, userId: string, videoId: string): Promise<CompletionState> {
  const state = await evaluate(executor, userId, videoId)
  if (!state.completed && state.requiredDone === state.requiredTotal && state.creditedShare >= COMPLETION_SHARE) {
    const now = new Date()
    await executor
      .insert(videoProgress)
      .values({ userId, videoId, completedAt: now })
      .onConflictDoUpdate({ target: [videoProgress.userId, videoProgress.videoId], set: { completedAt: now, updatedAt: now } })
    // Course modules showing this video complete with it, and maybe their course (courses listens).
    await emit(executor, 'video.progress-changed', { videoId, userId, change: 'completed' })
    return { ...state, completed: true, completedAt: now }
  }
  return state
}

/**
 * Whether a person completed a video, decided on the server: every required breakpoint
 * acknowledged/answered/predicted and at least 90 % of the duration credited. For the course
 * module (kind `video`, `ref` = video id); it reads only that person's own records.
 */
export async function videoModuleCompletion(userId: string, videoId: string): Promise<CompletionState> {
  return evaluate(db, userId, videoId)
}

/**
 * Records what the player reports. The first report starts the clock (`playback_started_at`);
 * after that the credited total can never exceed the wall-clock time since then × the maximum
 * playback rate, so a script claiming the whole video at once gets only what it could have
 * watched. Ranges are merged; the position is kept for resuming.
 */
export async function recordProgress(user: CurrentUser, videoId: string, input: ProgressReport) {
  await assertCan(user, 'watch:videos:all')
  const report = ProgressReportSchema.parse(input)
  return db.transaction(async (tx) => {
    const video = await readyVideo(tx, videoId)
    const duration = video.durationSeconds ?? 0
    const started = await tx
      .insert(videoProgress)
      .values({ userId: user.id, videoId, playbackStartedAt: sql`now()` })
      .onConflictDoNothing()
      .returning({ userId: videoProgress.userId })
    // The first report puts course modules showing this video in progress (courses listens).
    if (started.length > 0) await emit(tx, 'video.progress-changed', { videoId, userId: user.id, change: 'started' })
    // Lock the row: the periodic post and the pagehide beacon may arrive together.
    const [row] = await tx
      .select({
        progress: videoProgress,
        elapsed: sql<number>`extract(epoch from (now() - coalesce(${videoProgress.playbackStartedAt}, now())))::float8`,
      })
      .from(videoProgress)
      .where(and(eq(videoProgress.userId, user.id), eq(videoProgress.videoId, videoId)))
      .for('update')
    const progress = row.progress
    const elapsed = Number(row.elapsed)
    const allowance = Math.max(0, elapsed * MAX_PLAYBACK_RATE - progress.creditedSeconds)
    const { ranges, added, refused } = creditRanges(progress.watchedRanges as Range[], report.ranges as Range[], allowance, duration)
    const position = report.position === undefined ? progress.lastPositionSeconds : Math.min(report.position, duration)
    await tx
      .update(videoProgress)
      .set({
        watchedRanges: ranges,
        creditedSeconds: totalLength(ranges),
        lastPositionSeconds: position,
        playbackStartedAt: progress.playbackStartedAt ?? sql`now()`,
        updatedAt: new Date(),
      })
      .where(and(eq(videoProgress.userId, user.id), eq(videoProgress.videoId, videoId)))
    const state = await settle(tx, user.id, videoId)
    return { ...state, added, refused }
  })
}

async function breakpointOf(executor: Executor, breakpointId: string) {
  const [bp] = await executor.select().from(breakpoints).where(eq(breakpoints.id, breakpointId))
  if (!bp) throw new Response('Not found', { status: 404 })
  await readyVideo(executor, bp.videoId)
  return bp
}

async function upsertResponse(executor: Executor, userId: string, breakpointId: string, set: Partial<typeof breakpointResponses.$inferInsert>) {
  const now = new Date()
  const [row] = await executor
    .insert(breakpointResponses)
    .values({ userId, breakpointId, ...set, updatedAt: now })
    .onConflictDoUpdate({ target: [breakpointResponses.userId, breakpointResponses.breakpointId], set: { ...set, updatedAt: now } })
    .returning()
  return row
}

/** The learner confirms having read a breakpoint's commentary. */
export async function acknowledgeBreakpoint(user: CurrentUser, breakpointId: string) {
  await assertCan(user, 'watch:videos:all')
  return db.transaction(async (tx) => {
    const bp = await breakpointOf(tx, breakpointId)
    const [existing] = await tx
      .select()
      .from(breakpointResponses)
      .where(and(eq(breakpointResponses.userId, user.id), eq(breakpointResponses.breakpointId, breakpointId)))
    // The question and the prediction come before the commentary: acknowledging skips neither.
    if (bp.question && !existing?.answer) return { ok: false as const, error: 'videos.err.answerFirst' }
    if (bp.predictPrompt && !existing?.prediction) return { ok: false as const, error: 'videos.err.predictFirst' }
    const response = existing?.acknowledgedAt ? existing : await upsertResponse(tx, user.id, breakpointId, { acknowledgedAt: new Date() })
    return { ok: true as const, response, completion: await settle(tx, user.id, bp.videoId) }
  })
}

/** Records the learner's first answer to a breakpoint's question; later answers do not change it. */
export async function answerBreakpoint(user: CurrentUser, breakpointId: string, optionIds: string[]) {
  await assertCan(user, 'watch:videos:all')
  return db.transaction(async (tx) => {
    const bp = await breakpointOf(tx, breakpointId)
    const question = bp.question
    if (!question) return { ok: false as const, error: 'videos.err.noQuestion' }
    const chosen = [...new Set(optionIds)].sort()
    const valid = question.options.map((o) => o.id)
    if (chosen.length === 0 || chosen.some((c) => !valid.includes(c)) || (question.type === 'single' && chosen.length !== 1)) {
      return { ok: false as const, error: 'videos.err.chooseAnswer' }
    }
    const [existing] = await tx
      .select()
      .from(breakpointResponses)
      .where(and(eq(breakpointResponses.userId, user.id), eq(breakpointResponses.breakpointId, breakpointId)))
    if (existing?.answer) return { ok: true as const, response: existing, completion: await settle(tx, user.id, bp.videoId) }
    const correct = chosen.join(',') === [...question.answer].sort().join(',')
    const response = await upsertResponse(tx, user.id, breakpointId, { answer: chosen, correct, answeredAt: new Date() })
    return { ok: true as const, response, completion: await settle(tx, user.id, bp.videoId) }
  })
}

/** Saves the learner's prediction (predict, then reveal); it can be saved once. */
export async function predictBreakpoint(user: CurrentUser, breakpointId: string, prediction: string) {
  await assertCan(user, 'watch:videos:all')
  const text = prediction.trim()
  if (text.length < 2) return { ok: false as const, error: 'videos.err.predictionTooShort' }
  if (text.length > 2000) return { ok: false as const, error: 'videos.err.tooLong' }
  return db.transaction(async (tx) => {
    const bp = await breakpointOf(tx, breakpointId)
    if (!bp.predictPrompt) return { ok: false as const, error: 'videos.err.noPrediction' }
    const [existing] = await tx
      .select()
      .from(breakpointResponses)
      .where(and(eq(breakpointResponses.userId, user.id), eq(breakpointResponses.breakpointId, breakpointId)))
    const response = existing?.prediction ? existing : await upsertResponse(tx, user.id, breakpointId, { prediction: text, predictedAt: new Date() })
    return { ok: true as const, response, completion: await settle(tx, user.id, bp.videoId) }
  })
}

/**
 * Up to N other people's predictions for a breakpoint, without names, newest first. Only for
 * someone who has made their own prediction (so nobody copies before thinking).
 */
export async function peerPredictions(user: CurrentUser, breakpointId: string, limit = PEER_PREDICTIONS_SHOWN) {
  await assertCan(user, 'watch:videos:all')
  const [own] = await db
    .select({ prediction: breakpointResponses.prediction })
    .from(breakpointResponses)
    .where(and(eq(breakpointResponses.userId, user.id), eq(breakpointResponses.breakpointId, breakpointId)))
  if (!own?.prediction) return []
  const rows = await db
    .select({ text: breakpointResponses.prediction })
    .from(breakpointResponses)
    .where(and(eq(breakpointResponses.breakpointId, breakpointId), ne(breakpointResponses.userId, user.id), isNotNull(breakpointResponses.prediction)))
    .orderBy(desc(breakpointResponses.predictedAt))
    .limit(limit)
  return rows.flatMap((r) => (r.text === null ? [] : [r.text]))
}

/** The viewer's own progress and responses for one video. */
export async function viewerState(user: CurrentUser, videoId: string) {
  const [progress] = await db
    .select()
    .from(videoProgress)
    .where(and(eq(videoProgress.userId, user.id), eq(videoProgress.videoId, videoId)))
  const responses = await db
    .select({ response: breakpointResponses })
    .from(breakpointResponses)
    .innerJoin(breakpoints, eq(breakpoints.id, breakpointResponses.breakpointId))
    .where(and(eq(breakpoints.videoId, videoId), eq(breakpointResponses.userId, user.id)))
    .orderBy(asc(breakpoints.timeSeconds))
  return {
    progress: progress ?? null,
    responses: new Map(responses.map((r) => [r.response.breakpointId, r.response])),
    mergedRanges: mergeRanges((progress?.watchedRanges ?? []) as Range[]),
  }
}
