import type { ActionFunctionArgs } from '@remix-run/node'
import { appUrl } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { createRecordingMuxUpload } from '~/modules/roleplay/mux-recordings.server'
import { param } from '~/shared/forms'

// Starts a Mux direct upload of the group's next recording (decision 053): the browser then sends the file to `url`.
// Members only, while the review is not released; 404 for who does not see the group, 403 for its staff.
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== 'POST') throw new Response('Method not allowed', { status: 405 })
  const user = await requireUser(request)
  const r = await createRecordingMuxUpload(user, param(params, 'groupId'), appUrl())
  if (r.ok) return Response.json({ url: r.url, recordingId: r.recordingId, version: r.version, late: r.late })
  return Response.json({ error: `rp.recording.${r.error}` }, { status: r.error === 'notMember' ? 403 : 400 })
}
