import { z } from 'zod'
import type { CourseModule } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { listMySessions } from '~/modules/sessions/invitations.server'
import { ContentId, moduleBase } from '../content-schema'
import { defineModuleKind } from './kind.server'

/**
 * A classroom programme: `ref` is the course reference that its sessions carry
 * (sessions.course_ref). Attending one of them (present or late) completes the module.
 */
export const SessionModuleSchema = z
  .object({
    ...moduleBase,
    kind: z.literal('session'),
    ref: ContentId,
  })
  .strict()

/** The person's sessions of a session module's programme (its `ref` is the sessions' course reference). */
async function sessionState(user: CurrentUser, module: CourseModule, preview: boolean) {
  const ref = module.settings.ref
  if (!ref || preview) return { courseRef: ref ?? null, sessions: [] }
  return { courseRef: ref, sessions: await listMySessions(user, { courseRef: ref }) }
}

export const session = defineModuleKind({
  kind: 'session',
  content: SessionModuleSchema,
  state: { key: 'sessions', load: ({ user, module, preview }) => sessionState(user, module, preview) },
})
