import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { translator } from '~/i18n'
import { resolveLocale } from '~/i18n/locale.server'
import { clientIp } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { chinaDate, ProgressFilters } from '~/modules/courses/courses'
import { progressTable, toCsv, toXlsx } from '~/modules/courses/export.server'
import { progressForExport } from '~/modules/courses/progress.server'

const Format = z.enum(['csv', 'xlsx']).catch('csv')

/** The progress report's filtered rows as CSV or Excel (GET: it only reads). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const params = Object.fromEntries(new URL(request.url).searchParams)
  const filters = ProgressFilters.parse(params)
  const format = Format.parse(params.format)
  const locale = await resolveLocale(request, user)
  const t = translator(locale)
  const rows = await progressForExport(user, filters, clientIp(context))
  const table = progressTable(rows, t, locale)
  const name = `genjin-progress-${chinaDate(new Date())}`
  if (format === 'xlsx') {
    return new Response(await toXlsx(table, t('progress.title')), {
      headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="${name}.xlsx"`,
        'Cache-Control': 'no-store',
      },
    })
  }
  return new Response(toCsv(table), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
