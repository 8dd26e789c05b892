import type { LoaderFunctionArgs } from '@remix-run/node'
import { resolveLocale } from '~/i18n/locale.server'
import { requireUser } from '~/modules/auth/session.server'
import { videoReportCsv } from '~/modules/videos/reports.server'
import { param } from '~/shared/forms'

// The video report for spreadsheets (cells that would be formulas are neutralised).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { filename, text } = await videoReportCsv(user, param(params, 'videoId'), await resolveLocale(request, user))
  return new Response(text, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'private, no-store' },
  })
}
