import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod'
import { useActionData } from '@remix-run/react'
import { ScenarioEditor } from '~/components/roleplay/scenario-parts'
import { RouteErrorBoundary } from '~/components/route-error'
import { assertCan } from '~/modules/auth/authorize.server'
import { requireUser } from '~/modules/auth/session.server'
import { saveScenario } from '~/modules/roleplay/scenario-library.server'
import { ScenarioForm } from '~/modules/roleplay/scenarios'
import { invalid, readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.scenarioNew'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:roleplay-scenarios:all')
  return data({})
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:roleplay-scenarios:all')
  const submission = parseWithZod(await readForm(request), { schema: ScenarioForm })
  if (submission.status !== 'success') return invalid(submission)
  const saved = await saveScenario(user, null, submission.value)
  if (!saved.ok) return data({ result: submission.reply({ fieldErrors: saved.errors }) }, { status: 400 })
  return redirect(`/roleplays/scenarios/${saved.scenarioId}`)
}

export default function NewScenario() {
  const actionData = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <ScenarioEditor scenario={null} lastResult={actionData?.result} cancelTo="/roleplays/scenarios" />
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
