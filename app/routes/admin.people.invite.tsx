import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { pageTitle } from '~/components/admin/page-title'
import { PersonFields } from '~/components/admin/person-fields'
import { RouteErrorBoundary } from '~/components/route-error'
import { FormErrors } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { appUrl, clientIp } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { PersonForm } from '~/modules/org/org'
import { invitePerson, listPickerOptions } from '~/modules/org/people.server'
import { readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('people.inviteTitle'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return { options: await listPickerOptions(user) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await readForm(request), { schema: PersonForm })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await invitePerson(user, submission.value, appUrl(), clientIp(context))
  if (!outcome.ok) {
    const fieldErrors = Object.fromEntries(Object.entries(outcome.errors).map(([field, key]) => [field, [key]]))
    return data({ result: submission.reply({ fieldErrors }) }, { status: 400 })
  }
  throw redirect(`/admin/people/${outcome.id}?invited=1`)
}

export default function InvitePerson() {
  const t = useT()
  const { options } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'invite-person',
    lastResult: navigation.state === 'idle' ? actionData?.result : undefined,
    defaultValue: { roles: ['employee'] },
    constraint: getZodConstraint(PersonForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PersonForm }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const hasErrors = Boolean(actionData?.result?.error && Object.values(actionData.result.error).some((e) => e?.length))
  return (
    <div className="max-w-3xl space-y-4">
      <p>
        <Link to="/admin/people" className="text-sm">
          ← {t('admin.people.backToList')}
        </Link>
      </p>
      <h1>{t('people.inviteTitle')}</h1>
      <p className="text-slate-700">{t('people.inviteIntro')}</p>
      <section className="card space-y-4" aria-label={t('people.inviteTitle')}>
        {hasErrors ? <FormErrors errors={['admin.people.fixErrors', ...(form.errors ?? [])]} /> : null}
        <Form method="post" {...getFormProps(form)} className="space-y-4">
          <PersonFields fields={fields} options={options} />
          <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
            {t('people.sendInvite')}
          </button>
        </Form>
      </section>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
