import { pageTitle } from '~/components/admin/page-title'
import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { RouteErrorBoundary } from '~/components/route-error'
import { TextField } from '~/components/ui/field'
import { useFormatDateTime, useT, useFormatList } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { ChangePasswordForm } from '~/modules/auth/auth'
import { changePassword } from '~/modules/auth/auth.server'
import { audit } from '~/modules/audit/audit.server'
import { clearCookie, endAllSessions, listActiveSessions, requireUser } from '~/modules/auth/session.server'
import { readForm, requireValid } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.account'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const sessions = await listActiveSessions(user)
  return { user: { name: user.name, email: user.email, roles: user.roles }, sessions }
}

const SignOutEverywhere = z.object({ intent: z.literal('sign-out-everywhere') })

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readForm(request)
  if (formData.get('intent') === 'sign-out-everywhere') {
    await requireValid(formData, SignOutEverywhere)
    await endAllSessions(user.id)
    await audit({ actorId: user.id, action: 'auth.signed_out_everywhere', entityType: 'user', entityId: user.id, ip: clientIp(context) })
    throw redirect('/login', { headers: { 'Set-Cookie': await clearCookie() } })
  }
  const submission = parseWithZod(formData, { schema: ChangePasswordForm })
  if (submission.status !== 'success') return { result: submission.reply({ hideFields: ['current', 'password', 'confirm'] }), changed: false }
  const outcome = await changePassword(user, submission.value, clientIp(context))
  if (!outcome.ok) {
    return { result: submission.reply({ fieldErrors: { current: [outcome.error] }, hideFields: ['current', 'password', 'confirm'] }), changed: false }
  }
  return { result: submission.reply({ resetForm: true }), changed: true }
}

export default function Account() {
  const t = useT()
  const formatList = useFormatList()
  const formatDateTime = useFormatDateTime()
  const { user, sessions } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const [form, fields] = useForm({
    lastResult: data?.result,
    constraint: getZodConstraint(ChangePasswordForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChangePasswordForm }),
    shouldValidate: 'onBlur',
  })
  return (
    <div className="space-y-6">
      <div>
        <h1>{t('auth.accountTitle')}</h1>
        <p className="text-slate-700">
          {user.name} · {user.email} · {formatList(user.roles.map((r) => t(`role.${r}`)))}
        </p>
      </div>
      <section className="card max-w-lg space-y-4" aria-labelledby="change-password">
        <h2 id="change-password">{t('auth.changePassword')}</h2>
        {data?.changed ? (
          <p className="notice" role="status">
            {t('auth.passwordChanged')}
          </p>
        ) : null}
        <Form method="post" {...getFormProps(form)} className="space-y-4">
          <input type="hidden" name="intent" value="change-password" />
          <TextField field={fields.current} label={t('auth.currentPassword')} type="password" autoComplete="current-password" />
          <TextField field={fields.password} label={t('auth.newPassword')} type="password" autoComplete="new-password" hint={t('auth.passwordTooShort')} />
          <TextField field={fields.confirm} label={t('auth.confirmPassword')} type="password" autoComplete="new-password" />
          <button type="submit" className="btn-primary">
            {t('auth.changePassword')}
          </button>
        </Form>
      </section>
      <section className="card space-y-3" aria-labelledby="sessions">
        <h2 id="sessions">{t('auth.sessionsTitle')}</h2>
        <p className="text-sm text-slate-700">{t('auth.sessionsIntro')}</p>
        <ul className="divide-y divide-slate-200">
          {sessions.map((s) => (
            <li key={s.id} className="py-2 text-sm">
              <p className="font-medium">
                {s.userAgent ?? '—'} {s.current ? <span className="badge">{t('auth.thisBrowser')}</span> : null}
              </p>
              <p className="text-slate-600">
                {t('auth.signedInAt', { time: formatDateTime(s.createdAt) })} · {t('auth.lastSeen', { time: formatDateTime(s.lastSeenAt) })} · {s.ip}
              </p>
            </li>
          ))}
        </ul>
        <Form method="post">
          <button type="submit" name="intent" value="sign-out-everywhere" className="btn-danger">
            {t('auth.signOutEverywhere')}
          </button>
        </Form>
      </section>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
