import { relations, sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { storedFiles } from './files'
import { localeEnum, users } from './org'

/** Text in both UI languages; `en` and `zh-CN` are always present once validated. */
export type LocalizedText = { en: string; 'zh-CN': string }

export type BreakpointQuestion = {
  id: string
  type: 'single' | 'multiple'
  prompt: LocalizedText
  options: { id: string; text: LocalizedText }[]
  answer: string[]
  explanation: LocalizedText
}

/** Watched ranges as merged, sorted, non-overlapping [start, end] pairs in seconds. */
export type Ranges = [number, number][]

export const videoKind = pgEnum('video_kind', ['positive', 'negative', 'lecture'])
export const videoProvider = pgEnum('video_provider', ['local', 'mux'])
export const videoStatus = pgEnum('video_status', ['uploading', 'processing', 'ready', 'failed'])
export const videoOrigin = pgEnum('video_origin', ['content', 'upload'])
export const trainerNoteVisibility = pgEnum('trainer_note_visibility', ['private', 'learners'])

// Seconds are numeric(10,3): millisecond precision, compared exactly (breakpoint order, completion).
const seconds = (name: string) => numeric(name, { precision: 10, scale: 3, mode: 'number' })

/**
 * A teaching video. Ids are stable text: content files name them (`follow-up-positive`),
 * uploads get a generated one. Files live under content/videos (origin content) or the
 * uploads directory (origin upload); Mux videos carry asset and playback ids instead.
 */
export const videos = pgTable(
  'videos',
  {
    id: text('id').primaryKey(),
    kind: videoKind('kind').notNull(),
    title: jsonb('title').$type<LocalizedText>().notNull(),
    description: jsonb('description').$type<LocalizedText>().notNull(),
    origin: videoOrigin('origin').notNull(),
    provider: videoProvider('provider').notNull().default('local'),
    /** Path of the media file relative to the working directory (content videos shipped in content/videos). */
    filePath: text('file_path'),
    /** The uploaded media file in the one storage (uploads on the local provider, docs/decisions/047). */
    fileId: uuid('file_id').references((): AnyPgColumn => storedFiles.id),
    muxUploadId: text('mux_upload_id'),
    muxAssetId: text('mux_asset_id'),
    muxPlaybackId: text('mux_playback_id'),
    muxPlaybackPolicy: text('mux_playback_policy'),
    durationSeconds: seconds('duration_seconds'),
    /** Frames per second when known; the editor nudges by one frame (25 assumed otherwise). */
    fps: numeric('fps', { precision: 6, scale: 3, mode: 'number' }),
    posterPath: text('poster_path'),
    posterFileId: uuid('poster_file_id').references((): AnyPgColumn => storedFiles.id),
    status: videoStatus('status').notNull().default('ready'),
    pairId: text('pair_id').references((): AnyPgColumn => videos.id, { onDelete: 'set null' }),
    /** Hash of the content file's entry last imported; unchanged content leaves trainers' edits alone. */
    contentHash: text('content_hash'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('videos_pair_idx').on(t.pairId),
    uniqueIndex('videos_mux_upload_key')
      .on(t.muxUploadId)
      .where(sql`${t.muxUploadId} is not null`),
    uniqueIndex('videos_mux_asset_key')
      .on(t.muxAssetId)
      .where(sql`${t.muxAssetId} is not null`),
  ],
)

export const videoCaptions = pgTable(
  'video_captions',
  {
    videoId: text('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    locale: localeEnum('locale').notNull(),
    vtt: text('vtt').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.videoId, t.locale] })],
)

/** A moment where the player stops and shows commentary. `matchId` pairs it with one in the paired video. */
export const breakpoints = pgTable(
  'breakpoints',
  {
    id: text('id').primaryKey(),
    videoId: text('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    timeSeconds: seconds('time_seconds').notNull(),
    title: jsonb('title').$type<LocalizedText>().notNull(),
    commentary: jsonb('commentary').$type<LocalizedText>().notNull(),
    voiceOverPath: text('voice_over_path'),
    keyPoints: integer('key_points')
      .array()
      .notNull()
      .default(sql`'{}'::integer[]`),
    mustAcknowledge: boolean('must_acknowledge').notNull().default(false),
    question: jsonb('question').$type<BreakpointQuestion>(),
    /** Predict-then-reveal: the learner writes what should come next before seeing the commentary. */
    predictPrompt: jsonb('predict_prompt').$type<LocalizedText>(),
    matchId: text('match_id'),
    position: integer('position').notNull().default(0),
    origin: videoOrigin('origin').notNull().default('upload'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('breakpoints_video_time_idx').on(t.videoId, t.timeSeconds),
    uniqueIndex('breakpoints_video_match_key')
      .on(t.videoId, t.matchId)
      .where(sql`${t.matchId} is not null`),
    check('breakpoints_time_nonnegative', sql`${t.timeSeconds} >= 0`),
  ],
)

/**
 * What a person has watched. `watchedRanges` holds only what the server credited
 * (claims beyond the wall-clock allowance are dropped), so it is the basis of completion.
 */
export const videoProgress = pgTable(
  'video_progress',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    videoId: text('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    watchedRanges: jsonb('watched_ranges')
      .$type<Ranges>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    creditedSeconds: seconds('credited_seconds').notNull().default(0),
    playbackStartedAt: timestamp('playback_started_at', { withTimezone: true }),
    lastPositionSeconds: seconds('last_position_seconds').notNull().default(0),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.videoId] }), index('video_progress_video_idx').on(t.videoId)],
)

export const breakpointResponses = pgTable(
  'breakpoint_responses',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    breakpointId: text('breakpoint_id')
      .notNull()
      .references(() => breakpoints.id, { onDelete: 'cascade' }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    answer: jsonb('answer').$type<string[]>(),
    correct: boolean('correct'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    prediction: text('prediction'),
    predictedAt: timestamp('predicted_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.breakpointId] }), index('breakpoint_responses_breakpoint_idx').on(t.breakpointId)],
)

/** Notes a trainer types at a moment of the video (present mode); `learners` ones show in the player later. */
export const trainerNotes = pgTable(
  'trainer_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    videoId: text('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    timeSeconds: seconds('time_seconds').notNull(),
    text: text('text').notNull(),
    locale: localeEnum('locale'),
    visibility: trainerNoteVisibility('visibility').notNull().default('learners'),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('trainer_notes_video_time_idx').on(t.videoId, t.timeSeconds)],
)

/** A resumable upload in progress (UpChunk protocol): bytes land in `path` until complete. */
export const videoUploads = pgTable(
  'video_uploads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    path: text('path').notNull(),
    totalBytes: bigint('total_bytes', { mode: 'number' }),
    receivedBytes: bigint('received_bytes', { mode: 'number' }).notNull().default(0),
    /** `mp4` or `webm` once the first chunk was sniffed. */
    container: text('container'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    videoId: text('video_id').references(() => videos.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('video_uploads_user_idx').on(t.userId)],
)

/** Mux webhook event ids already handled: a replayed delivery is refused. */
export const muxWebhookEvents = pgTable('mux_webhook_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
})

export const videosRelations = relations(videos, ({ many, one }) => ({
  breakpoints: many(breakpoints),
  captions: many(videoCaptions),
  pair: one(videos, { fields: [videos.pairId], references: [videos.id], relationName: 'pair' }),
}))

export const breakpointsRelations = relations(breakpoints, ({ one }) => ({
  video: one(videos, { fields: [breakpoints.videoId], references: [videos.id] }),
}))

export const videoCaptionsRelations = relations(videoCaptions, ({ one }) => ({
  video: one(videos, { fields: [videoCaptions.videoId], references: [videos.id] }),
}))

export type Video = typeof videos.$inferSelect
export type Breakpoint = typeof breakpoints.$inferSelect
export type VideoProgress = typeof videoProgress.$inferSelect
export type BreakpointResponse = typeof breakpointResponses.$inferSelect
export type TrainerNote = typeof trainerNotes.$inferSelect
