import { env } from './env.server'
import { registerBackupJobs } from './modules/backups/backups.server'
import { startJobs } from './modules/jobs/jobs.server'
import { deliverQueuedEmails } from './modules/notifications/email.server'
import { registerNotificationJobs } from './modules/notifications/sweep.server'
import { registerFollowUpJobs } from './modules/followup/reminders.server'
import { registerUploadJobs } from './modules/videos/upload-cleanup.server'
import { registerFileJobs } from './modules/files/previews.server'
import { registerCaseAnalysis } from './modules/assignments/register.server'
import { registerLessonImageAccess } from './modules/courses/media.server'
import { registerVideoFileAccess } from './modules/videos/media.server'

let started = false

/**
 * Work inside the app process: the background job runner (pg-boss on PostgreSQL, in-process
 * on PGlite) and, when SMTP is configured, sending queued email. Not under vitest: a test
 * that needs the runner starts it itself. Modules with jobs register them here.
 */
export function startBackgroundWork() {
  if (started || process.env.VITEST) return
  started = true
  registerNotificationJobs()
  registerBackupJobs()
  registerFollowUpJobs()
  registerUploadJobs()
  registerFileJobs()
  registerCaseAnalysis()
  registerLessonImageAccess()
  registerVideoFileAccess()
  startJobs().catch((error) => console.error('background jobs failed to start', error))
  if (env().SMTP_URL) {
    setInterval(() => {
      deliverQueuedEmails().catch((error) => console.error('email delivery failed', error))
    }, 5_000).unref()
  }
}
