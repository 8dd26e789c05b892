/**
 * Every background job of the app, registered in one place: each domain exports the handlers of
 * its own jobs; what runs across domains (the sweep) lives here, so no domain calls another's jobs.
 * A new job: write its handler in its domain, add its register call to `registerJobs`. The
 * start-up registrations of who may read which kind of stored file sit beside them.
 */
import { enqueueMissedAbsenceWarnings, registerAbsenceJobs } from '~/modules/attendance/absence-warnings.server'
import { sendDueReactionSurveys } from '~/modules/surveys/surveys.server'
import { registerLessonImageAccess } from '~/modules/courses/media.server'
import { registerVideoFileAccess } from '~/modules/videos/media.server'
import { registerCaseAnalysis } from '~/modules/assignments/register.server'
import { registerBackupJobs } from '~/modules/backups/backups.server'
import { registerFileJobs } from '~/modules/files/previews.server'
import { registerFollowUpJobs } from '~/modules/followup/reminders.server'
import { registerKpiJobs } from '~/modules/kpi/preview.server'
import { registerRoleplay } from '~/modules/roleplay/register.server'
import { registerRoleplayStudy } from '~/modules/roleplay/study-reminders.server'
import { registerUploadJobs } from '~/modules/videos/upload-cleanup.server'
import { jobRunner, registerJobHandler, registerPeriodicJob } from '~/modules/jobs/jobs.server'
import { enqueueDueReminders, registerReminderJobs } from '~/modules/notifications/reminders.server'

export const SWEEP_JOB = 'notifications.sweep'
export const SWEEP_EVERY_MINUTES = 5

/**
 * Every few minutes: enqueue every reminder and absence warning that is due and not sent yet,
 * and send the reaction survey of every session that has ended.
 * Jobs enqueued when things change deliver on time; the sweep makes sure nothing is missed
 * after a restart, a lost job or a change made without one.
 */
export async function runSweep(now = new Date()) {
  const reminders = await enqueueDueReminders(now)
  const absenceChecks = await enqueueMissedAbsenceWarnings()
  const surveys = await sendDueReactionSurveys(now)
  await (await jobRunner()).prune?.(now)
  return { ...reminders, absenceChecks, surveys: surveys.sent }
}

/** Registers every job of the notifications: reminders, course due dates, absence warnings, the sweep. */
export function registerNotificationJobs() {
  registerReminderJobs()
  registerAbsenceJobs()
  registerJobHandler(SWEEP_JOB, async (_data, context) => {
    await runSweep(context.now)
  })
  registerPeriodicJob(SWEEP_JOB, SWEEP_EVERY_MINUTES)
}

/** Every job of every domain, and every stored-file access rule (the app process calls this once, before starting the runner). */
export function registerJobs() {
  registerNotificationJobs()
  registerBackupJobs()
  registerFollowUpJobs()
  registerUploadJobs()
  registerFileJobs()
  registerCaseAnalysis()
  registerRoleplayStudy()
  registerRoleplay()
  registerKpiJobs()
  registerLessonImageAccess()
  registerVideoFileAccess()
}
