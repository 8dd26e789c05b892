import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { ScenarioEditor } from '~/components/roleplay/scenario-parts'
import { RouteErrorBoundary } from '~/components/route-error'
import { useT } from '~/i18n/use-t'
import { assertCan } from '~/modules/auth/authorize.server'
import { requireUser } from '~/modules/auth/session.server'
import { getScenario, retireScenario, saveScenario } from '~/modules/roleplay/scenario-library.server'
import { RetireScenarioForm, ScenarioForm } from '~/modules/roleplay/scenarios'
import { invalid, param, readForm, requireValid } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.scenarioEdit'))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:roleplay-scenarios:all')
  const scenario = await getScenario(user, param(params, 'scenarioId'))
  if (scenario.retiredAt) throw new Response('Not found', { status: 404 })
  return { scenario }
}

/** Saves HR's edit (field errors come back in the reader's language), or retires the scenario. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:roleplay-scenarios:all')
  const scenarioId = param(params, 'scenarioId')
  const form = await readForm(request)
  if (form.get('intent') === 'retire') {
    await requireValid(form, RetireScenarioForm)
    await retireScenario(user, scenarioId)
    return redirect(`/roleplays/scenarios/${scenarioId}`)
  }
  const submission = parseWithZod(form, { schema: ScenarioForm })
  if (submission.status !== 'success') return invalid(submission)
  const saved = await saveScenario(user, scenarioId, submission.value)
  if (!saved.ok) return data({ result: submission.reply({ fieldErrors: saved.errors }) }, { status: 400 })
  return redirect(`/roleplays/scenarios/${saved.scenarioId}`)
}

export default function EditScenario() {
  const t = useT()
  const { scenario } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <ScenarioEditor scenario={scenario} castRoleIds={scenario.castRoleIds} lastResult={actionData?.result} cancelTo={`/roleplays/scenarios/${scenario.id}`} />
      <Form method="post" className="card space-y-2" data-retire>
        <input type="hidden" name="intent" value="retire" />
        <h2>{t('roleplays.retire.title')}</h2>
        <p className="text-sm text-slate-700">{t('roleplays.retire.help')}</p>
        <button type="submit" className="btn-danger">
          {t('roleplays.retire.submit')}
        </button>
      </Form>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
