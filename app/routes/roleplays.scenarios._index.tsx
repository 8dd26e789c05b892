import { pageTitle } from '~/components/admin/page-title'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { KeyPointList } from '~/components/roleplay/scenario-parts'
import { RouteErrorBoundary } from '~/components/route-error'
import { useLocale, useT } from '~/i18n/use-t'
import { can } from '~/modules/auth/permissions'
import { requireUser } from '~/modules/auth/session.server'
import { listScenarios } from '~/modules/roleplay/scenario-library.server'
import { ScenarioFilter, keyPointNumbers } from '~/modules/roleplay/scenarios'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.scenarios'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const filter = ScenarioFilter.parse(Object.fromEntries(new URL(request.url).searchParams))
  return { scenarios: await listScenarios(user, filter), keyPoint: filter.keyPoint ?? null, canEdit: can(user, 'manage:roleplay-scenarios:all') }
}

export default function ScenarioLibrary() {
  const t = useT()
  const locale = useLocale()
  const { scenarios, keyPoint, canEdit } = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <h1>{t('roleplays.library.title')}</h1>
        {canEdit ? (
          <Link to="/roleplays/scenarios/new" className="btn-primary ml-auto">
            {t('roleplays.library.new')}
          </Link>
        ) : null}
      </div>
      <p className="text-slate-700">{t('roleplays.library.intro')}</p>
      <Form method="get" className="flex flex-wrap items-end gap-2" role="search">
        <div className="min-w-56">
          <label className="label" htmlFor="keyPoint">
            {t('roleplays.library.filter')}
          </label>
          <select id="keyPoint" name="keyPoint" defaultValue={keyPoint ?? ''} className="input">
            <option value="">{t('roleplays.library.allKeyPoints')}</option>
            {keyPointNumbers.map((n) => (
              <option key={n} value={n}>
                {t('roleplays.keyPointNumbered', { n, name: t(`roleplays.keyPoint.${n}`) })}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          {t('roleplays.library.apply')}
        </button>
      </Form>
      {scenarios.length === 0 ? (
        <p className="notice">{t('roleplays.library.empty')}</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-scenario-list>
          {scenarios.map((s) => (
            <li key={s.id} className="space-y-2 px-3 py-3" data-scenario-item={s.contentId}>
              <div className="flex flex-wrap items-baseline gap-2">
                <Link to={`/roleplays/scenarios/${s.id}`} className="font-medium">
                  {s.title[locale] || s.title.en}
                </Link>
                <span className="text-sm text-slate-600">{t('roleplays.library.roles', { count: s.roles })}</span>
                {s.source === 'browser' || s.editedAt ? <span className="text-xs text-slate-600">{t('roleplays.library.editedInBrowser')}</span> : null}
              </div>
              <KeyPointList points={s.keyPoints} />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
