import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import { SetPasswordForm } from '~/modules/auth/auth'
import { TextField } from './ui/field'

/** New password + confirmation, used by password reset and invitation acceptance. */
export function SetPassword({ lastResult }: { lastResult?: SubmissionResult<string[]> }) {
  const t = useT()
  const [form, fields] = useForm({
    lastResult,
    constraint: getZodConstraint(SetPasswordForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SetPasswordForm }),
    shouldValidate: 'onBlur',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <TextField field={fields.password} label={t('auth.newPassword')} type="password" autoComplete="new-password" hint={t('auth.passwordTooShort')} />
      <TextField field={fields.confirm} label={t('auth.confirmPassword')} type="password" autoComplete="new-password" />
      <button type="submit" className="btn-primary w-full">
        {t('auth.setPassword')}
      </button>
    </Form>
  )
}
