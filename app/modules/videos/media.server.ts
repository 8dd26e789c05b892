import { createReadStream, statSync } from 'node:fs'
import path from 'node:path'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { and, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { breakpoints, videoCaptions, videos } from '#db/schema'
import { assertCan } from '~/modules/auth/authorize.server'
import { can, type CurrentUser } from '~/modules/auth/permissions'
import { registerFileAccess } from '~/modules/files/access.server'

/** Stored-file purposes of uploaded teaching videos and their posters (docs/decisions/047). */
export const VIDEO_PURPOSE = 'lesson-video'
export const VIDEO_POSTER_PURPOSE = 'video-poster'

/** Whoever may watch videos may read an uploaded video's file and poster at /files/<id> (Range requests for seeking). */
export function registerVideoFileAccess() {
  const watch = async (user: CurrentUser) => can(user, 'watch:videos:all')
  registerFileAccess(VIDEO_PURPOSE, watch)
  registerFileAccess(VIDEO_POSTER_PURPOSE, watch)
}

/** The player's source of a local video: its stored file, or its file in content/videos. */
export function localVideoUrl(video: { id: string; fileId: string | null; filePath: string | null }) {
  return video.fileId ? `/files/${video.fileId}` : mediaUrl(video.id, video.filePath)
}

/** A video's poster: its stored file, or its file in content/videos. */
export function posterUrl(video: { id: string; posterFileId: string | null; posterPath: string | null }) {
  return video.posterFileId ? `/files/${video.posterFileId}` : mediaUrl(video.id, video.posterPath)
}

const TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.webm': 'video/webm',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
}

type Media = { kind: 'file'; path: string; contentType: string } | { kind: 'text'; body: string; contentType: string }

/**
 * Which file `/media/videos/:videoId/:file` names. Only names the video row holds are served
 * (its media file, its poster, its breakpoints' voice-overs, `captions.<locale>.vtt`), so no
 * request can reach another path.
 */
export async function resolveVideoMedia(user: CurrentUser, videoId: string, file: string): Promise<Media | null> {
  await assertCan(user, 'watch:videos:all')
  const [video] = await db.select().from(videos).where(eq(videos.id, videoId))
  if (!video) return null
  const caption = /^captions\.(en|zh-CN)\.vtt$/.exec(file)
  if (caption) {
    const [row] = await db
      .select({ vtt: videoCaptions.vtt })
      .from(videoCaptions)
      .where(and(eq(videoCaptions.videoId, videoId), eq(videoCaptions.locale, caption[1] as 'en' | 'zh-CN')))
    return row ? { kind: 'text', body: row.vtt, contentType: 'text/vtt; charset=utf-8' } : null
  }
  // Voice-overs of the video's breakpoints are named by their own file names too.
  const voiceOvers = (await db.select({ path: breakpoints.voiceOverPath }).from(breakpoints).where(eq(breakpoints.videoId, videoId)))
    .map((b) => b.path)
    .filter((p): p is string => Boolean(p))
  for (const stored of [video.filePath, video.posterPath, ...voiceOvers]) {
    if (stored && path.basename(stored) === file) {
      return { kind: 'file', path: stored, contentType: TYPES[path.extname(stored).toLowerCase()] ?? 'application/octet-stream' }
    }
  }
  return null
}

/** Public URL of a stored media file for the player. */
export function mediaUrl(videoId: string, stored: string | null) {
  return stored ? `/media/videos/${encodeURIComponent(videoId)}/${encodeURIComponent(path.basename(stored))}` : null
}

/**
 * Serves a file honouring a single `Range: bytes=a-b` (206 with Content-Range), which the
 * browser needs to seek in a video without downloading it all; 416 when out of bounds.
 */
export function serveFile(request: Request, media: Extract<Media, { kind: 'file' }>): Response {
  let size: number
  let mtime: Date
  try {
    const stat = statSync(media.path)
    size = stat.size
    mtime = stat.mtime
  } catch {
    throw new Response('Not found', { status: 404 })
  }
  const etag = `"${size.toString(16)}-${mtime.getTime().toString(16)}"`
  const headers = new Headers({
    'Content-Type': media.contentType,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, max-age=3600',
    ETag: etag,
    'Last-Modified': mtime.toUTCString(),
    'X-Content-Type-Options': 'nosniff',
  })
  const range = request.headers.get('Range')
  const ifRange = request.headers.get('If-Range')
  const useRange = range && (!ifRange || ifRange === etag)
  if (!useRange) {
    if (request.headers.get('If-None-Match') === etag) return new Response(null, { status: 304, headers })
    headers.set('Content-Length', String(size))
    const body = request.method === 'HEAD' ? null : createReadableStreamFromReadable(createReadStream(media.path))
    return new Response(body, { status: 200, headers })
  }
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim())
  let start: number
  let end: number
  if (!match || (match[1] === '' && match[2] === '')) {
    start = NaN
    end = NaN
  } else if (match[1] === '') {
    // Suffix range: the last N bytes.
    start = Math.max(0, size - Number(match[2]))
    end = size - 1
  } else {
    start = Number(match[1])
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  }
  if (!Number.isFinite(start) || !Number.isFinite(end) || start > end || start >= size) {
    headers.set('Content-Range', `bytes */${size}`)
    return new Response(null, { status: 416, headers })
  }
  headers.set('Content-Range', `bytes ${start}-${end}/${size}`)
  headers.set('Content-Length', String(end - start + 1))
  const body = request.method === 'HEAD' ? null : createReadableStreamFromReadable(createReadStream(media.path, { start, end }))
  return new Response(body, { status: 206, headers })
}
