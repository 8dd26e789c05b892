import { z } from 'zod'

/** The audit log's filters, from the URL; anything malformed is simply ignored. */
export const AuditFilters = z.object({
  action: z.string().trim().max(100).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
})
export type AuditFilters = z.infer<typeof AuditFilters>
