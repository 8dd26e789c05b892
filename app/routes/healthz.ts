import { healthReport } from '~/health.server'

/** Liveness and database reachability, for load balancers and monitoring. */
export async function loader() {
  const report = await healthReport()
  return Response.json(report.body, { status: report.ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } })
}
