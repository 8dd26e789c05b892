import type { ActionFunctionArgs } from '@remix-run/node'
import { getCurrentUser } from '~/modules/auth/session.server'
import { SaveDraftForm } from '~/modules/followup/followup'
import { saveCheckInDraft } from '~/modules/followup/plans.server'
import { readJson } from '~/shared/forms'

// Autosave of the check-in log (JSON from the form's script). A session that ended answers 401,
// not a redirect to the sign-in page: the page and what was typed stay where they are.
export async function action({ request }: ActionFunctionArgs) {
  const user = await getCurrentUser(request)
  if (!user) return Response.json({ ok: false, signedOut: true }, { status: 401 })
  // readJson: JSON only (415 otherwise), bounded (413), no NUL bytes; malformed JSON is a 400.
  const body = await readJson(request)
  const parsed = SaveDraftForm.safeParse({ ...(body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {}), intent: 'save' })
  if (!parsed.success) return Response.json({ ok: false, error: 'errors.badRequest' }, { status: 400 })
  const { checkInId, intent: _intent, ...text } = parsed.data
  const saved = await saveCheckInDraft(user, checkInId, text)
  return Response.json(saved, { status: saved.ok ? 200 : 409 })
}
