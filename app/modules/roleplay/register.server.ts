import { registerFileAccess } from '~/modules/files/access.server'
import { maySeeRecording, RECORDING_PURPOSE } from './recordings.server'

/** Start-up wiring of role-plays: who may read recordings (the group, its trainers, HR). */
export function registerRoleplay() {
  registerFileAccess(RECORDING_PURPOSE, maySeeRecording)
}
