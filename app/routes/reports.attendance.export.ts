import type { LoaderFunctionArgs } from '@remix-run/node'
import { translator } from '~/i18n'
import { resolveLocale } from '~/i18n/locale.server'
import { AttendanceReportFilters, ExportFormat } from '~/modules/attendance/reports'
import { attendanceExport } from '~/modules/attendance/reports.server'
import { requireUser } from '~/modules/auth/session.server'
import { spreadsheetResponse } from '~/modules/exports/spreadsheet.server'

/** One view of the attendance report as CSV or Excel (GET: it only reads; same checks as the page). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const params = Object.fromEntries(new URL(request.url).searchParams)
  const filters = AttendanceReportFilters.parse(params)
  const format = ExportFormat.parse(params.format)
  const t = translator(await resolveLocale(request, user))
  const { table, filename, sheet, widths } = await attendanceExport(user, filters, t)
  return spreadsheetResponse(table, format, filename, sheet, widths)
}
