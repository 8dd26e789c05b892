import { pageTitle } from '~/components/admin/page-title'
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { CheckInResult, type CheckInOutcome } from '~/components/sessions/check-in-result'
import { FieldErrors } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { ShortCodeForm } from '~/modules/attendance/attendance'
import { checkInWithCode } from '~/modules/attendance/attendance.server'
import { requireUser } from '~/modules/auth/session.server'
import { readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.checkIn'))

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  return null
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await readForm(request), { schema: ShortCodeForm })
  if (submission.status !== 'success') return { result: submission.reply(), outcome: null }
  const result = await checkInWithCode(user, submission.value.code)
  const outcome: CheckInOutcome = result.ok
    ? { ok: true, status: result.status, already: result.already, title: result.title }
    : { ok: false, reason: result.reason, opensAt: result.opensAt }
  return { result: submission.reply({ resetForm: result.ok }), outcome }
}

/** For people without a camera: type the 6 digits shown in the room. */
export default function CheckInByCode() {
  const t = useT()
  const data = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    lastResult: data?.result,
    constraint: getZodConstraint(ShortCodeForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ShortCodeForm }),
    shouldValidate: 'onSubmit',
  })
  return (
    <div className="mx-auto max-w-md">
      <div className="card space-y-4">
        <h1>{t('checkIn.title')}</h1>
        <p className="text-slate-700">{t('checkIn.codeIntro')}</p>
        {data?.outcome ? <CheckInResult outcome={data.outcome} /> : null}
        <Form method="post" {...getFormProps(form)} className="space-y-4">
          <div>
            <label htmlFor={fields.code.id} className="label">
              {t('checkIn.code')}
            </label>
            <input
              {...getInputProps(fields.code, { type: 'text' })}
              key={fields.code.key}
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]*"
              maxLength={7}
              autoFocus
              className="input text-center font-mono text-3xl tracking-widest"
            />
            <FieldErrors id={fields.code.errorId} errors={fields.code.errors} />
          </div>
          <button type="submit" className="btn-primary min-h-14 w-full text-lg" disabled={navigation.state === 'submitting'}>
            {t('checkIn.confirm')}
          </button>
        </Form>
        <p className="text-sm">
          <Link to="/my/sessions">{t('mySessions.title')}</Link>
        </p>
      </div>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
