import type { ActionFunctionArgs } from '@remix-run/node'
import { handleMuxWebhook } from '~/modules/videos/mux.server'

// Mux events (asset created / ready / errored). Authenticated by the mux-signature header, not a session.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') throw new Response('Method not allowed', { status: 405 })
  const outcome = await handleMuxWebhook(await request.text(), request.headers.get('mux-signature'))
  return new Response(outcome.message, { status: outcome.status, headers: { 'Content-Type': 'text/plain' } })
}
