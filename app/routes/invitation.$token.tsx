import { pageTitle } from '~/components/admin/page-title'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { SetPassword } from '~/components/set-password-form'
import { useT } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { SetPasswordForm } from '~/modules/auth/auth'
import { findTokenHolder, setPasswordWithToken } from '~/modules/auth/auth.server'
import { createSession } from '~/modules/auth/session.server'
import { param, readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => [...pageTitle(matches, (t) => t('title.welcome')), { name: 'referrer', content: 'no-referrer' }]

export async function loader({ params }: LoaderFunctionArgs) {
  const holder = await findTokenHolder(param(params, 'token'), 'invitation')
  return { invitee: holder ? { name: holder.name, email: holder.email } : null }
}

/** Accepting sets the password and signs the person in. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), { schema: SetPasswordForm })
  if (submission.status !== 'success') return { result: submission.reply({ hideFields: ['password', 'confirm'] }), invalid: false }
  const ip = clientIp(context)
  const done = await setPasswordWithToken(param(params, 'token'), 'invitation', submission.value.password, ip)
  if (!done) return { result: submission.reply({ hideFields: ['password', 'confirm'] }), invalid: true }
  const cookie = await createSession(done.userId, { ip, userAgent: request.headers.get('User-Agent') })
  throw redirect('/', { headers: { 'Set-Cookie': cookie } })
}

export default function AcceptInvitation() {
  const t = useT()
  const { invitee } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-md">
      <div className="card space-y-4">
        <h1>{t('auth.inviteTitle')}</h1>
        {!invitee || data?.invalid ? (
          <p className="alert" role="alert">
            {t('auth.linkInvalid')} <Link to="/login">{t('auth.signIn')}</Link>
          </p>
        ) : (
          <>
            <p>{t('auth.inviteIntro', { name: invitee.name, email: invitee.email })}</p>
            <SetPassword lastResult={data?.result} />
          </>
        )}
      </div>
    </div>
  )
}
