import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { resolveVideoMedia, serveFile } from '~/modules/videos/media.server'
import { param } from '~/shared/forms'

// Video files, posters and captions, for signed-in people only (seeking needs Range requests).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const media = await resolveVideoMedia(user, param(params, 'videoId'), param(params, 'file'))
  if (!media) throw new Response('Not found', { status: 404 })
  if (media.kind === 'text') {
    return new Response(media.body, { headers: { 'Content-Type': media.contentType, 'Cache-Control': 'private, no-cache' } })
  }
  return serveFile(request, media)
}
