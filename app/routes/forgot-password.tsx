import { pageTitle } from '~/components/admin/page-title'
import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { z } from 'zod'
import { TextField } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { appUrl, clientIp } from '~/load-context'
import { Email } from '~/modules/auth/auth'
import { requestPasswordReset } from '~/modules/auth/auth.server'
import { requireAnonymous } from '~/modules/auth/session.server'
import { readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.forgotPassword'))

const ForgotForm = z.object({ email: Email })

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), { schema: ForgotForm })
  if (submission.status !== 'success') return { result: submission.reply(), sent: false }
  await requestPasswordReset(submission.value.email, appUrl(), clientIp(context))
  return { result: submission.reply({ resetForm: true }), sent: true }
}

export default function ForgotPassword() {
  const t = useT()
  const data = useActionData<typeof action>()
  const [form, fields] = useForm({
    lastResult: data?.result,
    constraint: getZodConstraint(ForgotForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotForm }),
  })
  return (
    <div className="mx-auto max-w-md">
      <div className="card space-y-4">
        <h1>{t('auth.forgotTitle')}</h1>
        <p className="text-slate-700">{t('auth.forgotIntro')}</p>
        {data?.sent ? (
          <p className="notice" role="status">
            {t('auth.linkSent')}
          </p>
        ) : null}
        <Form method="post" {...getFormProps(form)} className="space-y-4">
          <TextField field={fields.email} label={t('auth.email')} type="email" autoComplete="email" />
          <button type="submit" className="btn-primary w-full">
            {t('auth.sendLink')}
          </button>
        </Form>
        <p className="text-sm">
          <Link to="/login">{t('auth.signIn')}</Link>
        </p>
      </div>
    </div>
  )
}
