import { kpiOpenApi } from '~/modules/kpi/openapi'

/** The OpenAPI description of the KPI API; public, like any API documentation. */
export function loader() {
  return new Response(JSON.stringify(kpiOpenApi, null, 2), { headers: { 'Content-Type': 'application/json; charset=utf-8' } })
}
