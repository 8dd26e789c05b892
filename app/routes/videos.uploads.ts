import type { ActionFunctionArgs } from '@remix-run/node'
import { appUrl } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { createMuxDirectUpload, muxConfigured } from '~/modules/videos/mux.server'
import { createUpload, CreateUploadSchema } from '~/modules/videos/uploads.server'
import { readJson } from '~/shared/forms'

// Starts an upload: the uploader's endpoint. Local chunk store by default, a Mux direct upload when configured.
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const parsed = CreateUploadSchema.safeParse(await readJson(request))
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0].message }, { status: 400 })
  if (muxConfigured()) {
    const upload = await createMuxDirectUpload(user, appUrl())
    return Response.json({ provider: 'mux', ...upload })
  }
  return Response.json({ provider: 'local', ...(await createUpload(user, parsed.data)) })
}
