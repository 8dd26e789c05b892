import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { imageResponse } from '~/modules/courses/media.server'
import { param } from '~/shared/forms'

// Lesson images, for signed-in people only.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return imageResponse(user, param(params, 'imageId'), request.headers.get('If-None-Match'))
}
