/**
 * Every subscription to a domain event, in one place (docs/decisions/060-domain-events.md).
 * The catalogue of events is app/shared/events.server.ts; a domain emits its own events and
 * never imports a subscriber, so the reaction of a higher domain to a lower one's change does
 * not make the lower one import the higher. Wired by the app process (entry.server.tsx), the
 * test set-up (tests/setup/database.ts) and the scripts that change data (migrate, seeds);
 * emitting before wiring throws.
 */
import { on, wireEvents } from '~/shared/events.server'
import { requireBriefingRead } from '~/modules/briefings/acknowledgement.server'
import { syncEnrolments } from '~/modules/courses/enrolment.server'
import { syncLinkedModules, syncLinkedModulesForSession } from '~/modules/courses/linked-modules.server'
import { recomputeLecturerAccess } from '~/modules/sessions/lecturer-access.server'
import { recordingAssetCreated, recordingAssetErrored, recordingAssetReady } from '~/modules/roleplay/mux-recordings.server'

/** Subscribes every domain's handlers, once per process. */
export function registerEventHandlers() {
  wireEvents(() => {
    // sessions: whether an account is an external lecturer's (and when its access ends) follows its roles.
    on('org.roles-changed', (tx, e) => recomputeLecturerAccess(tx, e.userIds))
    // briefings: an external lecturer reads the published briefing pack before anything else of the session.
    on('session.lecturer-entering', (tx, e) => requireBriefingRead(tx, e.sessionId, e.userId))

    // courses: enrolments follow the audiences people are in …
    on('org.people-changed', (tx, e) => syncEnrolments(tx, { userIds: e.userIds }))
    // … and the linked modules (video, session) the records that complete them.
    on('video.progress-changed', (tx, e) => syncLinkedModules(tx, { userIds: [e.userId] }))
    // Only a session of a programme (course reference) completes a module: check-in stays one cheap write otherwise.
    on('attendance.changed', (tx, e) => (e.courseRef === null ? undefined : syncLinkedModules(tx, { userIds: e.userIds })))
    on('session.changed', (tx, e) => syncLinkedModulesForSession(tx, e.sessionId))

    // roleplay: a recording uploaded straight to Mux is completed by Mux's webhook (handled in videos).
    on('mux.upload-asset-created', recordingAssetCreated)
    on('mux.asset-ready', recordingAssetReady)
    on('mux.asset-errored', recordingAssetErrored)
  })
}
