import { readdirSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { and, isNull, lt } from 'drizzle-orm'
import { db } from '#db/client.server'
import { videoUploads } from '#db/schema'
import { env } from '~/env.server'
import { registerJobHandler, registerPeriodicJob } from '~/modules/jobs/jobs.server'

/** An upload nobody finished within this many hours is abandoned: its `.part` file and row go. */
export const ABANDONED_AFTER_HOURS = 24
const CLEANUP_JOB = 'videos.delete-abandoned-uploads'

/**
 * Deletes abandoned resumable uploads: rows never completed, and `.part` files in UPLOADS_DIR
 * that no recent upload owns (e.g. left by a crash), both older than ABANDONED_AFTER_HOURS.
 */
export async function deleteAbandonedUploads(now = new Date()) {
  const cutoff = new Date(now.getTime() - ABANDONED_AFTER_HOURS * 3600_000)
  const stale = await db
    .delete(videoUploads)
    .where(and(isNull(videoUploads.completedAt), lt(videoUploads.createdAt, cutoff)))
    .returning({ path: videoUploads.path })
  for (const upload of stale) rmSync(upload.path, { force: true })
  let files = 0
  const dir = path.resolve(env().UPLOADS_DIR)
  let names: string[] = []
  try {
    names = readdirSync(dir)
  } catch {
    names = []
  }
  for (const name of names) {
    if (!name.endsWith('.part')) continue
    const file = path.join(dir, name)
    if (statSync(file).mtimeMs < cutoff.getTime()) {
      rmSync(file, { force: true })
      files++
    }
  }
  return { uploads: stale.length, files }
}

/** Once an hour, across all app instances. */
export function registerUploadJobs() {
  registerJobHandler(CLEANUP_JOB, async () => {
    await deleteAbandonedUploads()
  })
  registerPeriodicJob(CLEANUP_JOB, 60)
}
