import type { ActionFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { addTrainerNote } from '~/modules/videos/present.server'
import { TrainerNoteSchema } from '~/modules/videos/videos'
import { param, readJson } from '~/shared/forms'

// Live notes from present mode and the presenter window (JSON).
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const parsed = TrainerNoteSchema.safeParse(await readJson(request))
  if (!parsed.success) return { ok: false as const, error: parsed.error.issues[0].message }
  return addTrainerNote(user, param(params, 'videoId'), parsed.data)
}
