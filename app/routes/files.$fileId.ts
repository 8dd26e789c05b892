import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { fileResponse } from '~/modules/files/access.server'
import { param } from '~/shared/forms'

// A stored file, for the people its domain allows (404 for everyone else). Always a download; Range requests let a video seek.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return fileResponse(user, param(params, 'fileId'), request)
}
