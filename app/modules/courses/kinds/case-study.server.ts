import { z } from 'zod'
import { caseAnalysisModuleState } from '~/modules/assignments/module-kind.server'
import { ContentId, moduleBase } from '../content-schema'
import { defineModuleKind } from './kind.server'

/**
 * Group case analysis: `ref` names the case programme. The module completes for a member when
 * their group has submitted and presented (docs/decisions/025); linked-modules.server.ts writes it.
 */
export const CaseStudyModuleSchema = z
  .object({
    ...moduleBase,
    required: z.boolean({ invalid_type_error: 'must be true or false' }).default(false),
    kind: z.literal('case_study'),
    ref: ContentId.optional(),
  })
  .strict()

export const caseStudy = defineModuleKind({
  kind: 'case_study',
  content: CaseStudyModuleSchema,
  state: {
    key: 'caseAnalysis',
    load: ({ user, module, preview }) => (preview ? Promise.resolve(null) : caseAnalysisModuleState(user, module.settings.ref ?? null)),
  },
})
