import { z } from 'zod'
import { searchText } from '~/shared/validation'

/** The audit log's filters, from the URL; anything malformed is simply ignored. */
export const AuditFilters = z.object({
  action: searchText(100),
  q: searchText(200),
  before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined),
})
export type AuditFilters = z.infer<typeof AuditFilters>
