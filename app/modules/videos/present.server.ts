import { asc, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { breakpoints, trainerNotes, users } from '#db/schema'
import type { Locale } from '~/i18n/define'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { posterUrl } from './media.server'
import { localized, TrainerNoteSchema, type TrainerNoteInput } from './videos'
import { captionTracks, findVideo, playbackSource } from './videos.server'

async function notesOf(videoId: string) {
  return db
    .select({
      id: trainerNotes.id,
      time: trainerNotes.timeSeconds,
      text: trainerNotes.text,
      visibility: trainerNotes.visibility,
      author: users.name,
      createdAt: trainerNotes.createdAt,
    })
    .from(trainerNotes)
    .innerJoin(users, eq(users.id, trainerNotes.authorId))
    .where(eq(trainerNotes.videoId, videoId))
    .orderBy(asc(trainerNotes.timeSeconds), asc(trainerNotes.createdAt))
}

/** What present mode and the presenter window show: the video, breakpoints and every trainer note. */
export async function getVideoForPresenter(user: CurrentUser, videoId: string, locale: Locale) {
  await assertCan(user, 'present:videos:all')
  const video = await findVideo(videoId)
  if (!video || video.status !== 'ready') throw new Response('Not found', { status: 404 })
  const rows = await db.select().from(breakpoints).where(eq(breakpoints.videoId, videoId)).orderBy(asc(breakpoints.timeSeconds))
  return {
    video: {
      id: video.id,
      kind: video.kind,
      title: localized(video.title, locale),
      ...(await playbackSource(video)),
      poster: posterUrl(video),
      duration: video.durationSeconds ?? 0,
      captions: await captionTracks(video.id),
    },
    breakpoints: rows.map((bp) => ({
      id: bp.id,
      time: bp.timeSeconds,
      title: localized(bp.title, locale),
      commentary: localized(bp.commentary, locale),
      keyPoints: bp.keyPoints,
      question: bp.question ? localized(bp.question.prompt, locale) : null,
      predictPrompt: bp.predictPrompt ? localized(bp.predictPrompt, locale) : null,
    })),
    notes: await notesOf(videoId),
  }
}

/** A note the trainer types during a showing, at the video's current time; `learners` notes appear in the player. */
export async function addTrainerNote(user: CurrentUser, videoId: string, input: TrainerNoteInput) {
  await assertCan(user, 'present:videos:all')
  const parsed = TrainerNoteSchema.safeParse(input)
  if (!parsed.success) return { ok: false as const, error: parsed.error.issues[0].message }
  const video = await findVideo(videoId)
  if (!video) throw new Response('Not found', { status: 404 })
  const time = Math.min(Math.round(parsed.data.timeSeconds * 1000) / 1000, video.durationSeconds ?? 0)
  const [note] = await db
    .insert(trainerNotes)
    .values({ videoId, timeSeconds: time, text: parsed.data.text, visibility: parsed.data.visibility, locale: user.locale, authorId: user.id })
    .returning()
  await audit({
    actorId: user.id,
    action: 'video.note_added',
    entityType: 'trainer_note',
    entityId: note.id,
    after: { videoId, time, visibility: note.visibility },
  })
  return {
    ok: true as const,
    note: { id: note.id, time: note.timeSeconds, text: note.text, visibility: note.visibility, author: user.name, createdAt: note.createdAt },
  }
}
