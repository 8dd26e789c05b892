import { env } from './env.server'
import { deliverQueuedEmails } from './modules/notifications/email.server'

let started = false

/** Periodic work inside the app process: sending queued email when SMTP is configured. */
export function startBackgroundWork() {
  if (started || process.env.VITEST) return
  started = true
  if (env().SMTP_URL) {
    setInterval(() => {
      deliverQueuedEmails().catch((error) => console.error('email delivery failed', error))
    }, 5_000).unref()
  }
}
