import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { getOutboxAttachment } from '~/modules/notifications/outbox.server'

/** Downloads one attachment of an email in the outbox (e.g. the invite.ics a person was sent). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const attachment = await getOutboxAttachment(user, params.emailId ?? '', params.index ?? '')
  return new Response(attachment.content, {
    headers: {
      'Content-Type': attachment.contentType,
      'Content-Disposition': `attachment; filename="${attachment.asciiName}"; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  })
}
