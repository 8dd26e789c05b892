import { registerJobHandler, registerPeriodicJob } from '~/modules/jobs/jobs.server'
import { maySeeSlides, sendDueCaseReminders } from './assignments.server'
import { registerFileAccess } from './storage.server'

export const DUE_REMINDERS_JOB = 'cases.due-reminders'

/** Start-up wiring of group case analysis: the due-time reminder sweep and who may read slides. */
export function registerCaseAnalysis() {
  registerJobHandler(DUE_REMINDERS_JOB, async (_data, context) => {
    await sendDueCaseReminders(context.now)
  })
  registerPeriodicJob(DUE_REMINDERS_JOB, 5)
  registerFileAccess('slides', maySeeSlides)
}
