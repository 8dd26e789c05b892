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
import { param, readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => [...pageTitle(matches, (t) => t('title.newPassword')), { name: 'referrer', content: 'no-referrer' }]

// Opening the link changes nothing; only submitting the form consumes it.
export async function loader({ params }: LoaderFunctionArgs) {
  const holder = await findTokenHolder(param(params, 'token'), 'password_reset')
  return { valid: Boolean(holder) }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), { schema: SetPasswordForm })
  if (submission.status !== 'success') return { result: submission.reply({ hideFields: ['password', 'confirm'] }), invalid: false }
  const done = await setPasswordWithToken(param(params, 'token'), 'password_reset', submission.value.password, clientIp(context))
  if (!done) return { result: submission.reply({ hideFields: ['password', 'confirm'] }), invalid: true }
  throw redirect('/login?reset=1')
}

export default function ResetPassword() {
  const t = useT()
  const { valid } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-md">
      <div className="card space-y-4">
        <h1>{t('auth.resetTitle')}</h1>
        {!valid || data?.invalid ? (
          <p className="alert" role="alert">
            {t('auth.linkInvalid')} <Link to="/forgot-password">{t('auth.forgot')}</Link>
          </p>
        ) : (
          <SetPassword lastResult={data?.result} />
        )}
      </div>
    </div>
  )
}
