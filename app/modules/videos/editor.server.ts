import { randomBytes } from 'node:crypto'
import type { ZodError } from 'zod'
import { and, asc, eq, ne } from 'drizzle-orm'
import { db, type Executor } from '#db/client.server'
import { breakpoints, videos, type Breakpoint } from '#db/schema'
import type { Locale } from '~/i18n/define'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { posterUrl } from './media.server'
import { BreakpointEditSchema, DEFAULT_FPS, localized, MIN_BREAKPOINT_GAP, type EditorBreakpoint } from './videos'
import { captionTracks, findVideo, playbackSource } from './videos.server'

export type FieldErrors = Record<string, string[]>

export function toEditorBreakpoint(bp: Breakpoint): EditorBreakpoint {
  return {
    id: bp.id,
    timeSeconds: bp.timeSeconds,
    title: bp.title,
    commentary: bp.commentary,
    keyPoints: bp.keyPoints,
    mustAcknowledge: bp.mustAcknowledge,
    matchId: bp.matchId,
    predictPrompt: bp.predictPrompt ?? null,
    question: bp.question ?? null,
  }
}

async function editableVideo(executor: Executor, videoId: string) {
  const [video] = await executor.select().from(videos).where(eq(videos.id, videoId))
  if (!video) throw new Response('Not found', { status: 404 })
  return video
}

export async function getVideoForEditor(user: CurrentUser, videoId: string, locale: Locale) {
  await assertCan(user, 'edit:videos:all')
  const video = await findVideo(videoId)
  if (!video) throw new Response('Not found', { status: 404 })
  const rows = await db.select().from(breakpoints).where(eq(breakpoints.videoId, videoId)).orderBy(asc(breakpoints.timeSeconds))
  return {
    video: {
      id: video.id,
      title: localized(video.title, locale),
      status: video.status,
      ...(await playbackSource(video)),
      poster: posterUrl(video),
      duration: video.durationSeconds ?? 0,
      fps: video.fps ?? DEFAULT_FPS,
      captions: await captionTracks(video.id),
      pairId: video.pairId,
    },
    breakpoints: rows.map(toEditorBreakpoint),
  }
}

/** Time within the video and not on top of another breakpoint. */
async function checkTime(executor: Executor, videoId: string, duration: number, time: number, exceptId?: string): Promise<FieldErrors | null> {
  if (time < 0 || time > duration) return { timeSeconds: [`videos.err.timeBeyondEnd|${duration}`] }
  const others = await executor
    .select({ time: breakpoints.timeSeconds })
    .from(breakpoints)
    .where(and(eq(breakpoints.videoId, videoId), exceptId ? ne(breakpoints.id, exceptId) : undefined))
  if (others.some((o) => Math.abs(o.time - time) < MIN_BREAKPOINT_GAP)) return { timeSeconds: ['videos.err.timeTaken'] }
  return null
}

function zodErrors(error: ZodError): FieldErrors {
  const out: FieldErrors = {}
  for (const issue of error.issues) (out[issue.path.join('.') || '_'] ??= []).push(issue.message)
  return out
}

/**
 * Creates or updates a breakpoint from the editor. Validated in full (both locales, time within
 * the video, at least 0.1 s from the others, match id unique in the video); audited.
 */
export async function saveBreakpoint(user: CurrentUser, videoId: string, input: unknown) {
  await assertCan(user, 'edit:videos:all')
  const parsed = BreakpointEditSchema.safeParse(input)
  if (!parsed.success) return { ok: false as const, errors: zodErrors(parsed.error) }
  const value = parsed.data
  return db.transaction(async (tx) => {
    const video = await editableVideo(tx, videoId)
    const existing = value.id
      ? (
          await tx
            .select()
            .from(breakpoints)
            .where(and(eq(breakpoints.id, value.id), eq(breakpoints.videoId, videoId)))
        )[0]
      : undefined
    if (value.id && !existing) throw new Response('Not found', { status: 404 })
    const time = Math.round(value.timeSeconds * 1000) / 1000
    const timeError = await checkTime(tx, videoId, video.durationSeconds ?? 0, time, existing?.id)
    if (timeError) return { ok: false as const, errors: timeError }
    if (value.matchId) {
      const [clash] = await tx
        .select({ id: breakpoints.id })
        .from(breakpoints)
        .where(and(eq(breakpoints.videoId, videoId), eq(breakpoints.matchId, value.matchId), existing ? ne(breakpoints.id, existing.id) : undefined))
      if (clash) return { ok: false as const, errors: { matchId: ['videos.err.matchTaken'] } }
    }
    const fields = {
      timeSeconds: time,
      title: value.title,
      commentary: value.commentary,
      keyPoints: [...new Set(value.keyPoints)].sort((a, b) => a - b),
      mustAcknowledge: value.mustAcknowledge,
      matchId: value.matchId,
      predictPrompt: value.predictPrompt,
      question: value.question,
      updatedAt: new Date(),
    }
    const [saved] = existing
      ? await tx.update(breakpoints).set(fields).where(eq(breakpoints.id, existing.id)).returning()
      : await tx
          .insert(breakpoints)
          .values({ id: `${videoId}-${randomBytes(4).toString('hex')}`, videoId, origin: 'upload', ...fields })
          .returning()
    await audit(
      {
        actorId: user.id,
        action: existing ? 'video.breakpoint_updated' : 'video.breakpoint_created',
        entityType: 'breakpoint',
        entityId: saved.id,
        before: existing ? toEditorBreakpoint(existing) : null,
        after: toEditorBreakpoint(saved),
      },
      tx,
    )
    return { ok: true as const, breakpoint: toEditorBreakpoint(saved) }
  })
}

/** Moves a breakpoint to another time (dragging its marker, nudging). */
export async function moveBreakpoint(user: CurrentUser, breakpointId: string, timeSeconds: number) {
  await assertCan(user, 'edit:videos:all')
  return db.transaction(async (tx) => {
    const [bp] = await tx.select().from(breakpoints).where(eq(breakpoints.id, breakpointId))
    if (!bp) throw new Response('Not found', { status: 404 })
    const video = await editableVideo(tx, bp.videoId)
    const time = Math.round(timeSeconds * 1000) / 1000
    const timeError = await checkTime(tx, bp.videoId, video.durationSeconds ?? 0, time, bp.id)
    if (timeError) return { ok: false as const, breakpointId, errors: timeError }
    const [saved] = await tx.update(breakpoints).set({ timeSeconds: time, updatedAt: new Date() }).where(eq(breakpoints.id, bp.id)).returning()
    await audit(
      {
        actorId: user.id,
        action: 'video.breakpoint_moved',
        entityType: 'breakpoint',
        entityId: bp.id,
        before: { timeSeconds: bp.timeSeconds },
        after: { timeSeconds: time },
      },
      tx,
    )
    return { ok: true as const, breakpoint: toEditorBreakpoint(saved) }
  })
}

/** Deletes a breakpoint; learners' responses to it go with it. */
export async function deleteBreakpoint(user: CurrentUser, breakpointId: string) {
  await assertCan(user, 'edit:videos:all')
  return db.transaction(async (tx) => {
    const [bp] = await tx.select().from(breakpoints).where(eq(breakpoints.id, breakpointId))
    if (!bp) throw new Response('Not found', { status: 404 })
    await tx.delete(breakpoints).where(eq(breakpoints.id, bp.id))
    await audit({ actorId: user.id, action: 'video.breakpoint_deleted', entityType: 'breakpoint', entityId: bp.id, before: toEditorBreakpoint(bp) }, tx)
    return { ok: true as const, deletedId: bp.id }
  })
}
