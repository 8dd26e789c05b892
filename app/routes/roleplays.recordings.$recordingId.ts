import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { recordingResponse } from '~/modules/roleplay/recordings.server'
import { param } from '~/shared/forms'

// A group's recording for its player: the group, its trainers and HR only (404 for anybody else);
// Range requests so that the player can seek to a comment without downloading the whole file.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return recordingResponse(user, param(params, 'recordingId'), request)
}
