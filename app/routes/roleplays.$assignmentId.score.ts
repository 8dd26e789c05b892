import type { ActionFunctionArgs } from '@remix-run/node'
import { getCurrentUser } from '~/modules/auth/session.server'
import { ScoreDraftSchema } from '~/modules/roleplay/roleplay'
import { saveReview } from '~/modules/roleplay/review.server'
import { param, readJson } from '~/shared/forms'

// Autosave of the live score sheet (JSON from the sheet's script), like the check-in log's: a
// session that ended answers 401, not a redirect, so the tablet keeps what was typed.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await getCurrentUser(request)
  if (!user) return Response.json({ ok: false, signedOut: true }, { status: 401 })
  const assignmentId = param(params, 'assignmentId')
  const parsed = ScoreDraftSchema.safeParse(await readJson(request))
  if (!parsed.success) return Response.json({ ok: false, error: 'errors.badRequest' }, { status: 400 })
  const levels = Object.fromEntries(Object.entries(parsed.data.levels).filter(([, v]) => v !== null))
  const saved = await saveReview(user, assignmentId, { levels, summary: parsed.data.summary.trim(), mode: 'live' })
  return Response.json(saved, { status: saved.ok ? 200 : 409 })
}
