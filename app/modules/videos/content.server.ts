import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import type { Executor } from '#db/client.server'
import { breakpoints, videoCaptions, videos } from '#db/schema'
import { KeyPointsSchema, LocalizedTextSchema, QuestionSchema } from './videos'

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case letters, digits and dashes')
const RelativeFile = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a file name in the same folder as video.yaml')

const ContentBreakpoint = z
  .object({
    id: Id,
    match: Id.optional(),
    timeSeconds: z.number().min(0),
    title: LocalizedTextSchema,
    commentary: LocalizedTextSchema,
    keyPoints: KeyPointsSchema,
    mustAcknowledge: z.boolean().default(false),
    question: QuestionSchema.optional(),
    predictPrompt: LocalizedTextSchema.optional(),
    voiceOver: RelativeFile.optional(),
  })
  .strict()

const ContentVideo = z
  .object({
    id: Id,
    kind: z.enum(['positive', 'negative', 'lecture']),
    title: LocalizedTextSchema,
    description: LocalizedTextSchema,
    file: RelativeFile,
    poster: RelativeFile.optional(),
    durationSeconds: z.number().positive(),
    fps: z.number().positive().optional(),
    captions: z.object({ en: RelativeFile.optional(), 'zh-CN': RelativeFile.optional() }).strict().default({}),
    pair: Id.optional(),
    breakpoints: z.array(ContentBreakpoint).default([]),
  })
  .strict()
  .superRefine((v, ctx) => {
    let previous = -1
    for (const [i, bp] of v.breakpoints.entries()) {
      if (bp.timeSeconds > v.durationSeconds) ctx.addIssue({ code: 'custom', path: ['breakpoints', i, 'timeSeconds'], message: 'after the end of the video' })
      if (bp.timeSeconds <= previous)
        ctx.addIssue({ code: 'custom', path: ['breakpoints', i, 'timeSeconds'], message: 'breakpoints must be in increasing time order' })
      previous = bp.timeSeconds
    }
  })

export const ContentVideoFile = z
  .object({
    id: Id,
    title: LocalizedTextSchema,
    situation: LocalizedTextSchema.optional(),
    videos: z.array(ContentVideo).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const ids = file.videos.map((v) => v.id)
    for (const [i, v] of file.videos.entries()) {
      if (v.pair && !ids.includes(v.pair)) ctx.addIssue({ code: 'custom', path: ['videos', i, 'pair'], message: `pair ${v.pair} is not in this file` })
      if (v.pair) {
        const other = file.videos.find((o) => o.id === v.pair)
        const mine = v.breakpoints
          .map((b) => b.match)
          .filter(Boolean)
          .sort()
          .join(',')
        const theirs = other?.breakpoints
          .map((b) => b.match)
          .filter(Boolean)
          .sort()
          .join(',')
        if (other && mine !== theirs)
          ctx.addIssue({ code: 'custom', path: ['videos', i, 'breakpoints'], message: 'paired videos must have the same match ids' })
      }
    }
    const bpIds = file.videos.flatMap((v) => v.breakpoints.map((b) => b.id))
    if (new Set(bpIds).size !== bpIds.length) ctx.addIssue({ code: 'custom', path: ['videos'], message: 'breakpoint ids must be unique' })
  })

export type ImportSummary = { folders: number; videos: number; imported: number; unchanged: number; breakpoints: number }

function readFolder(dir: string) {
  const file = path.join(dir, 'video.yaml')
  const parsed = ContentVideoFile.safeParse(parseYaml(readFileSync(file, 'utf8')))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`${file}: ${issue.path.join('.')}: ${issue.message}`)
  }
  for (const v of parsed.data.videos) {
    const files = [v.file, v.poster, ...Object.values(v.captions), ...v.breakpoints.map((b) => b.voiceOver)].filter(Boolean) as string[]
    for (const f of files) if (!existsSync(path.join(dir, f))) throw new Error(`${file}: ${v.id}: missing file ${f}`)
  }
  return parsed.data
}

/**
 * Imports every content/videos/<folder>/video.yaml: videos, captions and breakpoints, keyed by
 * their stable ids. Idempotent. A video whose entry (and caption files) did not change since the
 * last import is left alone, so trainers' edits in the breakpoint editor survive restarts; when the
 * file changes, the file wins for the breakpoints it names.
 */
export async function importSampleVideos(executor: Executor, root = 'content/videos'): Promise<ImportSummary> {
  const summary: ImportSummary = { folders: 0, videos: 0, imported: 0, unchanged: 0, breakpoints: 0 }
  if (!existsSync(root)) return summary
  const folders = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(root, d.name, 'video.yaml')))
    .map((d) => path.join(root, d.name))
    .sort()
  const files = folders.map((dir) => ({ dir, data: readFolder(dir) }))
  await executor.transaction(async (tx) => {
    const pairs: { id: string; pair: string | null }[] = []
    for (const { dir, data } of files) {
      summary.folders++
      for (const v of data.videos) {
        summary.videos++
        summary.breakpoints += v.breakpoints.length
        const captions = Object.entries(v.captions).map(([locale, f]) => ({ locale: locale as 'en' | 'zh-CN', vtt: readFileSync(path.join(dir, f!), 'utf8') }))
        const hash = createHash('sha256').update(JSON.stringify({ v, captions, dir })).digest('hex')
        pairs.push({ id: v.id, pair: v.pair ?? null })
        const [existing] = await tx.select({ contentHash: videos.contentHash }).from(videos).where(eq(videos.id, v.id))
        if (existing?.contentHash === hash) {
          summary.unchanged++
          continue
        }
        summary.imported++
        const row = {
          kind: v.kind,
          title: v.title,
          description: v.description,
          origin: 'content' as const,
          provider: 'local' as const,
          filePath: path.join(dir, v.file),
          posterPath: v.poster ? path.join(dir, v.poster) : null,
          durationSeconds: v.durationSeconds,
          fps: v.fps ?? null,
          status: 'ready' as const,
          contentHash: hash,
          updatedAt: new Date(),
        }
        await tx
          .insert(videos)
          .values({ id: v.id, ...row })
          .onConflictDoUpdate({ target: videos.id, set: row })
        for (const c of captions) {
          await tx
            .insert(videoCaptions)
            .values({ videoId: v.id, locale: c.locale, vtt: c.vtt })
            .onConflictDoUpdate({ target: [videoCaptions.videoId, videoCaptions.locale], set: { vtt: c.vtt, updatedAt: new Date() } })
        }
        const ids = v.breakpoints.map((b) => b.id)
        // Breakpoints the file no longer names go; trainers' own breakpoints (origin upload) stay.
        await tx
          .delete(breakpoints)
          .where(and(eq(breakpoints.videoId, v.id), eq(breakpoints.origin, 'content'), ids.length ? notInArray(breakpoints.id, ids) : undefined))
        // A match id may move between breakpoints: clear the file's matches first so the unique index holds.
        const matches = v.breakpoints.map((b) => b.match).filter(Boolean) as string[]
        if (matches.length) {
          await tx
            .update(breakpoints)
            .set({ matchId: null })
            .where(and(eq(breakpoints.videoId, v.id), inArray(breakpoints.matchId, matches)))
        }
        for (const [position, bp] of v.breakpoints.entries()) {
          const values = {
            videoId: v.id,
            timeSeconds: bp.timeSeconds,
            title: bp.title,
            commentary: bp.commentary,
            voiceOverPath: bp.voiceOver ? path.join(dir, bp.voiceOver) : null,
            keyPoints: bp.keyPoints,
            mustAcknowledge: bp.mustAcknowledge,
            question: bp.question ?? null,
            predictPrompt: bp.predictPrompt ?? null,
            matchId: bp.match ?? null,
            position,
            origin: 'content' as const,
            updatedAt: new Date(),
          }
          await tx
            .insert(breakpoints)
            .values({ id: bp.id, ...values })
            .onConflictDoUpdate({ target: breakpoints.id, set: values })
        }
      }
    }
    for (const p of pairs) {
      await tx
        .update(videos)
        .set({ pairId: p.pair })
        .where(and(eq(videos.id, p.id), sql`${videos.pairId} is distinct from ${p.pair}`))
    }
  })
  return summary
}

export function formatImportSummary(s: ImportSummary) {
  return `Videos: ${s.videos} in ${s.folders} folder(s), ${s.imported} imported, ${s.unchanged} unchanged, ${s.breakpoints} breakpoints.`
}
