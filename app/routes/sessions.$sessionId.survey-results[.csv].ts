import type { LoaderFunctionArgs } from '@remix-run/node'
import { resolveLocale } from '~/i18n/locale.server'
import { requireUser } from '~/modules/auth/session.server'
import { sessionSurveyCsv } from '~/modules/surveys/surveys.server'
import { param } from '~/shared/forms'

// One session's survey results for spreadsheets (cells that would be formulas are neutralised).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { filename, text } = await sessionSurveyCsv(user, param(params, 'sessionId'), await resolveLocale(request, user))
  return new Response(text, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'private, no-store' },
  })
}
