import type { ActionFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { receiveChunk } from '~/modules/videos/uploads.server'
import { param } from '~/shared/forms'

// One chunk of a resumable upload (UpChunk: PUT with Content-Range). Always 200 with the stored
// Range: UpChunk accepts 200 for every chunk, and a 308 could be mistaken for a redirect on the way.
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== 'PUT') throw new Response('Method not allowed', { status: 405 })
  const user = await requireUser(request)
  const result = await receiveChunk(user, param(params, 'uploadId'), request.headers.get('Content-Range'), request.body)
  if ('error' in result) return Response.json({ error: result.error }, { status: result.status })
  const headers = new Headers({ 'Content-Type': 'application/json' })
  headers.set('Range', `bytes=0-${result.received - 1}`)
  return new Response(JSON.stringify({ received: result.received, complete: result.complete }), { status: 200, headers })
}
