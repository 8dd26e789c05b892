import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getCurrentUser } from '~/modules/auth/session.server'
import { handleTusRequest } from '~/modules/files/uploads.server'

// The tus endpoint for resumable uploads (docs/decisions/023): POST creates, HEAD resumes,
// PATCH appends, DELETE cancels. Signed-in people only; a 401 rather than a redirect, since
// the caller is tus-js-client, not a page.
async function handle(request: Request) {
  const user = await getCurrentUser(request)
  if (!user) return new Response(null, { status: 401 })
  return handleTusRequest(user, request)
}

export const loader = ({ request }: LoaderFunctionArgs) => handle(request)
export const action = ({ request }: ActionFunctionArgs) => handle(request)
