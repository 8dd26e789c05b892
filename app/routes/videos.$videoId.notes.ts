import type { ActionFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { addTrainerNote } from '~/modules/videos/present.server'
import { TrainerNoteSchema } from '~/modules/videos/videos'

// Live notes from present mode and the presenter window (JSON).
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const parsed = TrainerNoteSchema.safeParse(await request.json().catch(() => null))
  if (!parsed.success) return { ok: false as const, error: parsed.error.issues[0].message }
  return addTrainerNote(user, params.videoId ?? '', parsed.data)
}
