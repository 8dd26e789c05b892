import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { z } from 'zod'
import { localeCookie } from '~/i18n/locale.server'
import { safeRedirect } from '~/modules/auth/auth'
import { setOwnLocale } from '~/modules/org/profile.server'
import { getCurrentUser } from '~/modules/auth/session.server'
import { requireValid } from '~/shared/forms'

const LocaleForm = z.object({ locale: z.enum(['zh-CN', 'en']), redirectTo: z.string().optional() })

export async function loader() {
  throw redirect('/')
}

/** Saves the language on the person when signed in, and in a cookie for this browser either way. */
export async function action({ request }: ActionFunctionArgs) {
  const input = await requireValid(request, LocaleForm)
  const user = await getCurrentUser(request)
  if (user) await setOwnLocale(user, input.locale)
  throw redirect(safeRedirect(input.redirectTo), {
    headers: { 'Set-Cookie': await localeCookie.serialize(input.locale) },
  })
}
