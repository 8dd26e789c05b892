import { pageTitle } from '~/components/admin/page-title'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { SessionFormFields } from '~/components/sessions/session-form'
import { useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { SessionForm } from '~/modules/sessions/sessions'
import { createSession, getSessionFormOptions } from '~/modules/sessions/sessions.server'
import { readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.sessionNew'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const options = await getSessionFormOptions(user)
  return { options: { cohorts: options.cohorts, trainers: options.trainers, programmes: options.programmes } }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await readForm(request), { schema: SessionForm })
  if (submission.status !== 'success') return { result: submission.reply() }
  const result = await createSession(user, submission.value)
  if (!result.ok) return { result: submission.reply({ fieldErrors: Object.fromEntries(Object.entries(result.errors).map(([k, v]) => [k, [v]])) }) }
  throw redirect(`/sessions/${result.sessionId}?created=1`)
}

export default function NewSession() {
  const t = useT()
  const { options } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  return (
    <div className="max-w-3xl space-y-4">
      <p>
        <Link to="/sessions">← {t('sessions.title')}</Link>
      </p>
      <h1>{t('sessions.schedule')}</h1>
      <div className="card">
        <SessionFormFields lastResult={data?.result} options={options} submitLabel={t('sessions.scheduleSubmit')} />
      </div>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
