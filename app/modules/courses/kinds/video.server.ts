import { z } from 'zod'
import type { CourseModule } from '#db/schema'
import { can, type CurrentUser } from '~/modules/auth/permissions'
import { getVideoForViewer } from '~/modules/videos/videos.server'
import { ContentId, moduleBase } from '../content-schema'
import type { UiLocale } from '../courses'
import { defineModuleKind } from './kind.server'

/**
 * A teaching video from content/videos, by its stable id (`ref`), and optionally the other
 * video of its positive/negative pair, offered for comparison. The module is complete when the
 * referenced video is (docs/decisions/012-video-and-session-modules.md).
 */
export const VideoModuleSchema = z
  .object({
    ...moduleBase,
    kind: z.literal('video'),
    ref: ContentId.describe('video id'),
    pair: ContentId.optional(),
  })
  .strict()

/**
 * The player data for a video module, or why there is none: the video is missing (or not
 * ready), or the person's role may not watch videos.
 */
async function videoState(user: CurrentUser, module: CourseModule, locale: UiLocale) {
  const ref = module.settings.ref
  if (!ref) return { player: null, unavailable: 'missing' as const }
  if (!can(user, 'watch:videos:all')) return { player: null, unavailable: 'forbidden' as const }
  try {
    return { player: await getVideoForViewer(user, ref, locale), unavailable: null }
  } catch (error) {
    if (error instanceof Response && error.status === 404) return { player: null, unavailable: 'missing' as const }
    throw error
  }
}

export const video = defineModuleKind({
  kind: 'video',
  content: VideoModuleSchema,
  state: { key: 'video', load: ({ user, module, locale }) => videoState(user, module, locale) },
})
