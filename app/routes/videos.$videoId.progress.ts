import type { ActionFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/session.server'
import { recordProgress } from '~/modules/videos/progress.server'
import { ProgressReportSchema } from '~/modules/videos/videos'

// Watched ranges from the player: every few seconds by fetcher, and by sendBeacon when the page goes away.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  if (!request.headers.get('Content-Type')?.startsWith('application/json')) throw new Response('Unsupported media type', { status: 415 })
  const parsed = ProgressReportSchema.safeParse(await request.json().catch(() => null))
  if (!parsed.success) throw new Response('Bad request', { status: 400 })
  const state = await recordProgress(user, params.videoId ?? '', parsed.data)
  // A Response, not a plain object: the beacon reaches this route directly, not through Remix's data layer.
  return Response.json({
    creditedSeconds: state.creditedSeconds,
    creditedShare: state.creditedShare,
    completed: state.completed,
    requiredDone: state.requiredDone,
    requiredTotal: state.requiredTotal,
  })
}
