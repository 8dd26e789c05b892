import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { planCalendarFor } from '~/modules/followup/reminders.server'

// The planned check-in as a calendar file (stable UID per plan, SEQUENCE rising when the date moves).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const calendar = await planCalendarFor(user, params.employeeId ?? '')
  return new Response(calendar, {
    headers: { 'Content-Type': 'text/calendar; charset=UTF-8; method=REQUEST', 'Content-Disposition': 'attachment; filename="check-in.ics"' },
  })
}
