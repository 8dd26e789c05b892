import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiScores } from '~/modules/kpi/api.server'

/** Read-only API: the published scores of one period (bearer token, scope kpi:read). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiScores(request, params.periodKey ?? '')
}
