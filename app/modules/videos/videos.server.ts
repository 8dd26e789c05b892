import { and, asc, eq, inArray } from 'drizzle-orm'
import { db } from '#db/client.server'
import { breakpoints, trainerNotes, videoCaptions, videoProgress, videos, type Breakpoint, type BreakpointResponse, type Video } from '#db/schema'
import type { Locale } from '~/i18n/define'
import { assertCan } from '~/modules/auth/authorize.server'
import { can, type CurrentUser } from '~/modules/auth/permissions'
import { localVideoUrl, mediaUrl, posterUrl } from './media.server'
import { muxPlaybackTokens } from './mux.server'
import { acknowledgeBreakpoint, answerBreakpoint, peerPredictions, predictBreakpoint, viewerState } from './progress.server'
import { COMPLETION_SHARE, DEFAULT_FPS, localized, type PlayerBreakpoint, type RespondInput } from './videos'

export async function findVideo(videoId: string) {
  const [video] = await db.select().from(videos).where(eq(videos.id, videoId))
  return video ?? null
}

/** Where the player gets the media: our media route for local files, a playback id (and tokens when signed) for Mux. */
export async function playbackSource(video: Video) {
  if (video.provider === 'mux')
    return { playbackId: video.muxPlaybackId, src: null, tokens: await muxPlaybackTokens(video.muxPlaybackId, video.muxPlaybackPolicy) }
  return { playbackId: null, src: localVideoUrl(video), tokens: null }
}

export async function captionTracks(videoId: string) {
  const rows = await db.select({ locale: videoCaptions.locale }).from(videoCaptions).where(eq(videoCaptions.videoId, videoId))
  return rows.map((r) => ({ locale: r.locale, src: `/media/videos/${encodeURIComponent(videoId)}/captions.${r.locale}.vtt` }))
}

export function toPlayerBreakpoint(bp: Breakpoint, response: BreakpointResponse | undefined, locale: Locale): PlayerBreakpoint {
  const q = bp.question
  const answered = Boolean(response?.answer)
  return {
    id: bp.id,
    time: bp.timeSeconds,
    title: localized(bp.title, locale),
    commentary: localized(bp.commentary, locale),
    keyPoints: bp.keyPoints,
    mustAcknowledge: bp.mustAcknowledge,
    matchId: bp.matchId,
    question: q ? { type: q.type, prompt: localized(q.prompt, locale), options: q.options.map((o) => ({ id: o.id, text: localized(o.text, locale) })) } : null,
    predictPrompt: bp.predictPrompt ? localized(bp.predictPrompt, locale) : null,
    voiceOver: mediaUrl(bp.videoId, bp.voiceOverPath),
    response: response
      ? {
          acknowledged: Boolean(response.acknowledgedAt),
          answer: response.answer ?? null,
          correct: response.correct ?? null,
          prediction: response.prediction ?? null,
        }
      : null,
    reveal: q && answered ? { answer: q.answer, explanation: localized(q.explanation, locale) } : null,
  }
}

async function breakpointsOf(videoId: string) {
  return db.select().from(breakpoints).where(eq(breakpoints.videoId, videoId)).orderBy(asc(breakpoints.timeSeconds), asc(breakpoints.position))
}

/** Everything the learner's player needs: the video, its breakpoints with this person's responses, notes, progress. */
export async function getVideoForViewer(user: CurrentUser, videoId: string, locale: Locale) {
  await assertCan(user, 'watch:videos:all')
  const video = await findVideo(videoId)
  if (!video || video.status !== 'ready') throw new Response('Not found', { status: 404 })
  const [bps, state, captions, notes] = await Promise.all([
    breakpointsOf(videoId),
    viewerState(user, videoId),
    captionTracks(videoId),
    db
      .select({ id: trainerNotes.id, time: trainerNotes.timeSeconds, text: trainerNotes.text })
      .from(trainerNotes)
      .where(and(eq(trainerNotes.videoId, videoId), eq(trainerNotes.visibility, 'learners')))
      .orderBy(asc(trainerNotes.timeSeconds)),
  ])
  const playerBreakpoints = bps.map((bp) => toPlayerBreakpoint(bp, state.responses.get(bp.id), locale))
  const peers = Object.fromEntries(
    await Promise.all(
      playerBreakpoints.filter((bp) => bp.predictPrompt && bp.response?.prediction).map(async (bp) => [bp.id, await peerPredictions(user, bp.id)] as const),
    ),
  )
  const duration = video.durationSeconds ?? 0
  const pair = video.pairId ? await findVideo(video.pairId) : null
  return {
    video: {
      id: video.id,
      kind: video.kind,
      title: localized(video.title, locale),
      description: localized(video.description, locale),
      ...(await playbackSource(video)),
      poster: posterUrl(video),
      duration,
      fps: video.fps ?? DEFAULT_FPS,
      pair: pair ? { id: pair.id, title: localized(pair.title, locale), kind: pair.kind } : null,
      captions,
    },
    breakpoints: playerBreakpoints,
    peerPredictions: peers as Record<string, string[]>,
    notes,
    progress: {
      lastPosition: state.progress?.lastPositionSeconds ?? 0,
      creditedSeconds: state.progress?.creditedSeconds ?? 0,
      completed: Boolean(state.progress?.completedAt),
      ranges: state.mergedRanges,
    },
    completionShare: COMPLETION_SHARE,
    can: { edit: can(user, 'edit:videos:all'), present: can(user, 'present:videos:all'), report: can(user, 'read:video-reports:all') },
  }
}

/** The video library: ready videos (and, for trainers, their uploads in progress) with the viewer's progress. */
export async function listVideos(user: CurrentUser, locale: Locale) {
  await assertCan(user, 'watch:videos:all')
  const editor = can(user, 'edit:videos:all')
  const rows = await db
    .select()
    .from(videos)
    .where(editor ? undefined : eq(videos.status, 'ready'))
    .orderBy(asc(videos.createdAt), asc(videos.id))
  const ids = rows.map((r) => r.id)
  const progress = ids.length
    ? await db
        .select()
        .from(videoProgress)
        .where(and(eq(videoProgress.userId, user.id), inArray(videoProgress.videoId, ids)))
    : []
  const byVideo = new Map(progress.map((p) => [p.videoId, p]))
  const counts = ids.length ? await db.select({ videoId: breakpoints.videoId }).from(breakpoints).where(inArray(breakpoints.videoId, ids)) : []
  return rows.map((v) => {
    const p = byVideo.get(v.id)
    const duration = v.durationSeconds ?? 0
    return {
      id: v.id,
      kind: v.kind,
      status: v.status,
      title: localized(v.title, locale),
      description: localized(v.description, locale),
      poster: posterUrl(v) ?? (v.muxPlaybackId ? `https://image.mux.com/${v.muxPlaybackId}/thumbnail.jpg?width=480` : null),
      duration,
      pairId: v.pairId,
      breakpoints: counts.filter((c) => c.videoId === v.id).length,
      watchedShare: duration > 0 && p ? Math.min(1, p.creditedSeconds / duration) : 0,
      completed: Boolean(p?.completedAt),
    }
  })
}

/** Records a learner's acknowledgement, answer or prediction and returns the breakpoint as the player shows it now. */
export async function respondToBreakpoint(user: CurrentUser, input: RespondInput, locale: Locale) {
  const outcome =
    input.intent === 'acknowledge'
      ? await acknowledgeBreakpoint(user, input.breakpointId)
      : input.intent === 'answer'
        ? await answerBreakpoint(user, input.breakpointId, input.answer)
        : await predictBreakpoint(user, input.breakpointId, input.prediction)
  if (!outcome.ok) return { ok: false as const, breakpointId: input.breakpointId, error: outcome.error }
  const [bp] = await db.select().from(breakpoints).where(eq(breakpoints.id, input.breakpointId))
  return {
    ok: true as const,
    intent: input.intent,
    breakpoint: toPlayerBreakpoint(bp, outcome.response, locale),
    peers: bp.predictPrompt ? await peerPredictions(user, bp.id) : undefined,
    completion: outcome.completion,
  }
}

/**
 * A positive/negative pair side by side with their matched breakpoints. Opened from either
 * video; the negative example is shown first (left), the positive second.
 */
export async function getComparison(user: CurrentUser, videoId: string, locale: Locale) {
  await assertCan(user, 'watch:videos:all')
  const one = await findVideo(videoId)
  const other = one?.pairId ? await findVideo(one.pairId) : null
  if (!one || !other || one.status !== 'ready' || other.status !== 'ready') throw new Response('Not found', { status: 404 })
  const [first, second] = one.kind === 'positive' && other.kind !== 'positive' ? [other, one] : [one, other]
  const side = async (v: Video) => ({
    id: v.id,
    kind: v.kind,
    title: localized(v.title, locale),
    ...(await playbackSource(v)),
    poster: posterUrl(v),
    duration: v.durationSeconds ?? 0,
    captions: await captionTracks(v.id),
  })
  const [a, b] = await Promise.all([breakpointsOf(first.id), breakpointsOf(second.id)])
  const view = (bp: Breakpoint) => ({
    id: bp.id,
    time: bp.timeSeconds,
    title: localized(bp.title, locale),
    commentary: localized(bp.commentary, locale),
    keyPoints: bp.keyPoints,
  })
  // Matched pairs in the order of the first video; unmatched breakpoints are left out.
  const matches = a
    .filter((bp) => bp.matchId && b.some((o) => o.matchId === bp.matchId))
    .map((bp) => ({ matchId: bp.matchId as string, left: view(bp), right: view(b.find((o) => o.matchId === bp.matchId)!) }))
  return { left: await side(first), right: await side(second), matches }
}
