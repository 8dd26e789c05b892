import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiDepartments } from '~/modules/kpi/api.server'

/** Read-only API: a published period's department roll-up (bearer token, scope kpi:read). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiDepartments(request, params.periodKey ?? '')
}
