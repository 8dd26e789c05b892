import type { ActionFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { recordProgress } from '~/modules/videos/progress.server'
import { ProgressReportSchema } from '~/modules/videos/videos'
import { param, readJson } from '~/shared/forms'

// Watched ranges from the player: every few seconds by fetcher, and by sendBeacon when the page goes away.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const parsed = ProgressReportSchema.safeParse(await readJson(request))
  if (!parsed.success) throw new Response('Bad request', { status: 400 })
  const state = await recordProgress(user, param(params, 'videoId'), parsed.data)
  // A Response, not a plain object: the beacon reaches this route directly, not through Remix's data layer.
  return Response.json({
    creditedSeconds: state.creditedSeconds,
    creditedShare: state.creditedShare,
    completed: state.completed,
    requiredDone: state.requiredDone,
    requiredTotal: state.requiredTotal,
  })
}
