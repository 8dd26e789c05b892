import path from 'node:path'
import { connection } from '#db/client.server'
import { env } from '~/env.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { registerJobHandler, registerPeriodicJob } from '~/modules/jobs/jobs.server'
import { BackupError } from './archive.server'
import { createBackup, newestBackup, pruneBackups } from './backup.server'
import type { LastBackup } from './backups'
import { readServerFile, tokenMatches } from './server-file.server'

export const SCHEDULED_BACKUP_JOB = 'backups.scheduled'
/** How often the schedule looks whether a backup is due (the interval itself is in hours). */
const CHECK_EVERY_MINUTES = 15

/** When the newest archive in BACKUP_DIR was written, for HR admins' home page. */
export async function lastBackup(actor: CurrentUser): Promise<LastBackup> {
  await assertCan(actor, 'read:backups:all')
  return newestBackup(env().BACKUP_DIR)
}

/** Takes a backup of the app's own database now, into BACKUP_DIR. */
export async function backupNow() {
  return createBackup(connection(), { dir: env().BACKUP_DIR, uploadsDir: env().UPLOADS_DIR })
}

/**
 * `npm run db:backup` while this server serves a PGlite directory: the command cannot open the
 * directory, so it asks us. Only from this machine, and only with the token this server wrote
 * beside the directory (so only someone who can read the data can ask).
 */
export async function backupForCommand(request: Request, clientIp: string) {
  const loopback = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(clientIp)
  const server = readServerFile(env().PGLITE_DIR)
  const given = request.headers.get('authorization')?.replace(/^Bearer /, '')
  if (!loopback || !server || !tokenMatches(server.token, given)) {
    return Response.json({ error: 'forbidden' }, { status: 403 })
  }
  try {
    const { file, manifest } = await backupNow()
    return Response.json({ file: path.resolve(file), manifest })
  } catch (error) {
    return Response.json({ error: error instanceof BackupError ? error.message : String(error) }, { status: 500 })
  }
}

/** A backup when the newest archive is older than BACKUP_EVERY_HOURS; then keeps the newest BACKUP_KEEP. */
export async function runScheduledBackup(now: Date) {
  const { BACKUP_DIR, BACKUP_EVERY_HOURS, BACKUP_KEEP } = env()
  if (!BACKUP_EVERY_HOURS) return null
  const newest = await newestBackup(BACKUP_DIR)
  if (newest && now.getTime() - new Date(newest.at).getTime() < BACKUP_EVERY_HOURS * 3_600_000) return null
  const result = await backupNow()
  await pruneBackups(BACKUP_DIR, BACKUP_KEEP)
  return result
}

/** Off unless BACKUP_EVERY_HOURS is set. */
export function registerBackupJobs() {
  if (!env().BACKUP_EVERY_HOURS) return
  registerJobHandler(SCHEDULED_BACKUP_JOB, async (_data, context) => {
    await runScheduledBackup(context.now)
  })
  registerPeriodicJob(SCHEDULED_BACKUP_JOB, CHECK_EVERY_MINUTES)
}
