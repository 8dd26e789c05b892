import type { ActionFunctionArgs } from '@remix-run/node'
import { clientIp } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { uploadImage } from '~/modules/courses/media.server'

// Uploads a lesson image: the raw file is the body (the editor sends it with XMLHttpRequest for progress).
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') return Response.json({ error: 'errors.invalid' }, { status: 405 })
  const user = await requireUser(request)
  const length = Number(request.headers.get('Content-Length') ?? '') || null
  const result = await uploadImage(user, request.body, length, clientIp(context))
  if (!result.ok) return Response.json({ error: result.error }, { status: result.status })
  return Response.json(result, { status: 201 })
}
