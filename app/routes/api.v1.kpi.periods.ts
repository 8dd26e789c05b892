import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiPeriods } from '~/modules/kpi/api.server'

/** Read-only API: published KPI periods (bearer token, scope kpi:read). */
export async function loader({ request }: LoaderFunctionArgs) {
  return apiPeriods(request)
}
