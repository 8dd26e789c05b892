import type { LoaderFunctionArgs } from '@remix-run/node'
import { translator } from '~/i18n'
import { resolveLocale } from '~/i18n/locale.server'
import { requireUser } from '~/modules/auth/session.server'
import { spreadsheetResponse } from '~/modules/exports/spreadsheet.server'
import { ExportFormat, RollupFilters } from '~/modules/kpi/kpi'
import { exportTable } from '~/modules/kpi/reports.server'

/** The KPI roll-up as CSV or Excel in the documented layout (docs/decisions/022); same checks as the page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const query = Object.fromEntries(new URL(request.url).searchParams)
  const filters = RollupFilters.parse(query)
  const format = ExportFormat.parse(query.format)
  const t = translator(await resolveLocale(request, user))
  const { table, filename, sheet, widths } = await exportTable(user, params.periodId ?? '', filters, t)
  return spreadsheetResponse(table, format, filename, sheet, widths)
}
