import { pageTitle } from '~/components/admin/page-title'
import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { TextField, FormErrors } from '~/components/ui/field'
import { env } from '~/env.server'
import { useFormatDateTime, useT } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { safeRedirect, SignInForm } from '~/modules/auth/auth'
import { signIn } from '~/modules/auth/auth.server'
import { createSession, requireAnonymous } from '~/modules/auth/session.server'
import { readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.login'))

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request)
  return { demoMode: env().DEMO_MODE }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request)
  const submission = parseWithZod(formData, { schema: SignInForm })
  if (submission.status !== 'success') return { result: submission.reply({ hideFields: ['password'] }) }
  const ip = clientIp(context)
  const result = await signIn({ email: submission.value.email, password: submission.value.password, ip })
  if (!result.ok) {
    return {
      result: submission.reply({ formErrors: [result.reason], hideFields: ['password'] }),
      reason: result.reason,
      minutes: result.reason === 'rate_limited' ? result.minutes : undefined,
      until: result.reason === 'locked' ? result.until.toISOString() : undefined,
    }
  }
  const cookie = await createSession(result.userId, { ip, userAgent: request.headers.get('User-Agent') })
  throw redirect(safeRedirect(submission.value.redirectTo), { headers: { 'Set-Cookie': cookie } })
}

export default function Login() {
  const t = useT()
  const formatDateTime = useFormatDateTime()
  const data = useActionData<typeof action>()
  const { demoMode } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    lastResult: data?.result,
    constraint: getZodConstraint(SignInForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignInForm }),
    shouldValidate: 'onBlur',
  })
  const reasonMessage =
    data?.reason === 'rate_limited'
      ? t('auth.rateLimited', { minutes: data.minutes ?? 15 })
      : data?.reason === 'locked'
        ? t('auth.locked', { time: formatDateTime(data.until) })
        : data?.reason === 'inactive'
          ? t('auth.inactive')
          : data?.reason === 'access_ended'
            ? t('auth.accessEnded')
            : data?.reason === 'invalid'
              ? t('auth.invalidCredentials')
              : undefined
  return (
    <div className="mx-auto max-w-md">
      <div className="card space-y-4">
        <h1>{t('auth.signInTitle')}</h1>
        {params.get('ended') ? <p className="notice">{t('auth.sessionEnded')}</p> : null}
        {params.get('reset') ? <p className="notice">{t('auth.passwordReset')}</p> : null}
        {reasonMessage ? <FormErrors errors={[reasonMessage]} /> : null}
        <Form method="post" {...getFormProps(form)} className="space-y-4">
          <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? '/'} />
          <TextField field={fields.email} label={t('auth.email')} type="email" autoComplete="username" autoFocus />
          <TextField field={fields.password} label={t('auth.password')} type="password" autoComplete="current-password" />
          <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
            {t('auth.signIn')}
          </button>
        </Form>
        <p className="text-sm">
          <Link to="/forgot-password">{t('auth.forgot')}</Link>
        </p>
      </div>
      {demoMode ? (
        <p className="notice mt-4">
          {t('demo.loginHint')} <Link to="/demo">{t('demo.title')}</Link>
        </p>
      ) : null}
    </div>
  )
}
