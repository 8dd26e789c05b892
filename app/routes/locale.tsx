import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { z } from 'zod'
import { localeCookie } from '~/i18n/locale.server'
import { safeRedirect } from '~/modules/auth/auth'
import { setOwnLocale } from '~/modules/org/profile.server'
import { getCurrentUser } from '~/modules/auth/session.server'

const LocaleForm = z.object({ locale: z.enum(['zh-CN', 'en']), redirectTo: z.string().optional() })

export async function loader() {
  throw redirect('/')
}

/** Saves the language on the person when signed in, and in a cookie for this browser either way. */
export async function action({ request }: ActionFunctionArgs) {
  const parsed = LocaleForm.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('Bad request', { status: 400 })
  const user = await getCurrentUser(request)
  if (user) await setOwnLocale(user, parsed.data.locale)
  throw redirect(safeRedirect(parsed.data.redirectTo), {
    headers: { 'Set-Cookie': await localeCookie.serialize(parsed.data.locale) },
  })
}
