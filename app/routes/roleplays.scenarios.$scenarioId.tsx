import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { ScenarioText } from '~/components/roleplay/scenario-parts'
import { RouteErrorBoundary } from '~/components/route-error'
import { useT } from '~/i18n/use-t'
import { assertCan } from '~/modules/auth/authorize.server'
import { can } from '~/modules/auth/permissions'
import { requireUser } from '~/modules/auth/session.server'
import { getScenario, restoreScenario } from '~/modules/roleplay/scenario-library.server'
import { RestoreScenarioForm } from '~/modules/roleplay/scenarios'
import { param, requireValid } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.scenario'))

/** One scenario with every role's private brief and the observer notes (HR and trainers). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const scenario = await getScenario(user, param(params, 'scenarioId'))
  const canManage = can(user, 'manage:roleplay-scenarios:all')
  return { scenario, canEdit: canManage && !scenario.retiredAt, canRestore: canManage && Boolean(scenario.retiredAt) }
}

/** HR brings a retired scenario back. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:roleplay-scenarios:all')
  const scenarioId = param(params, 'scenarioId')
  await requireValid(request, RestoreScenarioForm)
  await restoreScenario(user, scenarioId)
  return redirect(`/roleplays/scenarios/${scenarioId}`)
}

export default function ScenarioDetail() {
  const t = useT()
  const { scenario, canEdit, canRestore } = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <Link to="/roleplays/scenarios">← {t('roleplays.scenario.back')}</Link>
        {canEdit ? (
          <Link to={`/roleplays/scenarios/${scenario.id}/edit`} className="btn-secondary ml-auto">
            {t('roleplays.scenario.edit')}
          </Link>
        ) : null}
        {canRestore ? (
          <Form method="post" className="ml-auto">
            <input type="hidden" name="intent" value="restore" />
            <button type="submit" className="btn-secondary">
              {t('roleplays.restore.submit')}
            </button>
          </Form>
        ) : null}
      </div>
      <ScenarioText scenario={scenario} />
      {scenario.source === 'file' ? (
        <p className="text-xs text-slate-600">
          {t('roleplays.scenario.fromFile', { file: `content/roleplays/${scenario.contentId}.yaml` })}
          {scenario.editedAt ? ` · ${t('roleplays.library.editedInBrowser')}` : ''}
        </p>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
