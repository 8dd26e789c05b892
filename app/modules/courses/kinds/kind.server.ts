import type { z } from 'zod'
import type { Executor } from '#db/client.server'
import type { CourseModule } from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import type { ModuleStatus, UiLocale } from '../courses'
import type { ModuleKind } from './index'

/** What a kind's `state` is given to load the learner's view of one module. */
export type KindContext = {
  executor: Executor
  user: CurrentUser
  module: CourseModule
  /** The learner's status in the module ('not_started' in a preview). */
  status: ModuleStatus
  /** HR or a trainer looking at the course without an enrolment: read nothing personal, write nothing. */
  preview: boolean
  locale: UiLocale
}

/**
 * One course-module kind, server side:
 * - `content`: the zod schema of its module file (content/courses/<course>/<NN-module>/module.yaml)
 * - `state`: what the learner's page needs beyond the common module data, loaded under
 *   `data[state.key]` (null for the other kinds). Its completion rule lives beside it in the
 *   kind's file (the action that completes the module) or, for linked kinds, in
 *   linked-modules.server.ts, which reacts to the other domain's events.
 */
export type ModuleKindDefinition<K extends ModuleKind = ModuleKind, C extends z.ZodTypeAny = z.ZodTypeAny, Key extends string = string, S = unknown> = {
  kind: K
  content: C
  state?: { key: Key; load: (ctx: KindContext) => Promise<S> }
}

export function defineModuleKind<K extends ModuleKind, C extends z.ZodTypeAny, Key extends string = never, S = never>(
  definition: ModuleKindDefinition<K, C, Key, S>,
) {
  return definition
}
