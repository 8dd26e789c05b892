import type { ActionFunctionArgs } from '@remix-run/node'
import { resolveLocale } from '~/i18n/locale.server'
import { requireUser } from '~/modules/auth/session.server'
import { RespondSchema } from '~/modules/videos/videos'
import { respondToBreakpoint } from '~/modules/videos/videos.server'
import { readJson } from '~/shared/forms'

// A learner acknowledges, answers or predicts at a breakpoint (JSON from the player's fetcher).
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const parsed = RespondSchema.safeParse(await readJson(request))
  if (!parsed.success) throw new Response('Bad request', { status: 400 })
  return respondToBreakpoint(user, parsed.data, await resolveLocale(request, user))
}
