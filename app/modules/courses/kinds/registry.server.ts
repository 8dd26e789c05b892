import { z } from 'zod'
import type { ModuleKind } from './index'
import { moduleKinds } from './index'
import type { KindContext, ModuleKindDefinition } from './kind.server'
import { lesson } from './lesson.server'
import { caseStudy } from './case-study.server'
import { roleplay } from './roleplay.server'
import { prepSheet } from './prep-sheet.server'
import { quiz } from './quiz.server'
import { session } from './session.server'
import { video } from './video.server'

/** The server side of every module kind, one line each (kinds/index.ts lists the names). */
export const moduleKindRegistry = {
  lesson,
  quiz,
  prep_sheet: prepSheet,
  video,
  session,
  case_study: caseStudy,
  roleplay,
} satisfies { [K in ModuleKind]: ModuleKindDefinition<K> }

type Registry = typeof moduleKindRegistry
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never
type StateOf<D> = D extends { state?: { key: infer Key extends string; load: (ctx: KindContext) => Promise<infer S> } }
  ? [Key] extends [never]
    ? object
    : { [P in Key]: S | null }
  : object
/** Every kind's state under its key, e.g. `{ quiz: QuizState | null; video: VideoState | null; ... }`. */
export type KindStates = UnionToIntersection<{ [K in ModuleKind]: StateOf<Registry[K]> }[ModuleKind]>

/** Loads the state of the module's own kind; the other kinds' keys are null. */
export async function loadKindState(ctx: KindContext): Promise<KindStates> {
  const states: Record<string, unknown> = {}
  for (const definition of Object.values(moduleKindRegistry) as ModuleKindDefinition[]) {
    if (definition.state) states[definition.state.key] = null
  }
  const own = moduleKindRegistry[ctx.module.kind] as ModuleKindDefinition
  if (own.state) states[own.state.key] = await own.state.load(ctx)
  return states as KindStates
}

/** A module file (module.yaml), checked by its kind's schema. */
export const ModuleSchema = z.discriminatedUnion(
  'kind',
  [lesson.content, quiz.content, prepSheet.content, video.content, session.content, caseStudy.content, roleplay.content],
  {
    errorMap: (issue, ctx) => {
      if (issue.code !== z.ZodIssueCode.invalid_union_discriminator) return { message: ctx.defaultError }
      const kind = (ctx.data as { kind?: unknown } | null)?.kind
      const expected = moduleKinds.join(', ')
      return { message: kind === undefined ? `is required (one of ${expected})` : `unknown module kind ${JSON.stringify(kind)} (expected one of ${expected})` }
    },
  },
)
export type Module = z.infer<typeof ModuleSchema>
