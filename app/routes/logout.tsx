import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { endSession } from '~/modules/auth/session.server'

// Signing out changes state, so it is POST only; a GET just goes home.
export async function loader() {
  throw redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
  const cookie = await endSession(request)
  throw redirect('/login', { headers: { 'Set-Cookie': cookie } })
}
