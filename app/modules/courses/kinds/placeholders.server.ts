import { z } from 'zod'
import { ContentId, moduleBase } from '../content-schema'
import { defineModuleKind } from './kind.server'

// Placeholders that later features fill; `ref` names the case / scenario.
// Nobody can finish a placeholder until its feature exists, so it counts towards completion
// only when the file says `required: true`.
const placeholder = <K extends 'roleplay'>(kind: K) =>
  z
    .object({
      ...moduleBase,
      required: z.boolean({ invalid_type_error: 'must be true or false' }).default(false),
      kind: z.literal(kind),
      ref: ContentId.optional(),
    })
    .strict()

/** Role-play: a placeholder until its feature exists. */
export const roleplay = defineModuleKind({ kind: 'roleplay', content: placeholder('roleplay') })
