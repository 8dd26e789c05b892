import { env } from './env.server'
import { registerJobs } from './jobs.server'
import { startJobs } from './modules/jobs/jobs.server'
import { deliverQueuedEmails } from './modules/mail/email.server'

let started = false

/**
 * Work inside the app process: the background job runner (pg-boss on PostgreSQL, in-process
 * on PGlite) and, when SMTP is configured, sending queued email. Not under vitest: a test
 * that needs the runner starts it itself. Jobs are registered in jobs.server.ts.
 */
export function startBackgroundWork() {
  if (started || process.env.VITEST) return
  started = true
  registerJobs()
  startJobs().catch((error) => console.error('background jobs failed to start', error))
  if (env().SMTP_URL) {
    setInterval(() => {
      deliverQueuedEmails().catch((error) => console.error('email delivery failed', error))
    }, 5_000).unref()
  }
}
