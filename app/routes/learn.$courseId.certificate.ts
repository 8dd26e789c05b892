import type { LoaderFunctionArgs } from '@remix-run/node'
import { resolveLocale } from '~/i18n/locale.server'
import { requireUser } from '~/modules/auth/session.server'
import { certificatePdf } from '~/modules/courses/certificate.server'
import { param } from '~/shared/forms'

/** The completion certificate (PDF) for a course the signed-in person has completed. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { pdf, filename } = await certificatePdf(user, param(params, 'courseId'), await resolveLocale(request, user))
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
