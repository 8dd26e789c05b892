import { pageTitle } from '~/components/admin/page-title'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { useLocale, useT } from '~/i18n/use-t'
import { listCases } from '~/modules/assignments/case-library.server'
import { can } from '~/modules/auth/permissions'
import { requireUser } from '~/modules/auth/session.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.cases'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return { cases: await listCases(user), canEdit: can(user, 'manage:cases:all') }
}

export default function CaseLibrary() {
  const t = useT()
  const locale = useLocale()
  const { cases, canEdit } = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <h1>{t('cases.library.title')}</h1>
        <Link to="/admin/rubrics" className="btn-secondary ml-auto">
          {t('cases.rubric.title')}
        </Link>
        {canEdit ? (
          <Link to="/admin/cases/new" className="btn-primary">
            {t('cases.library.new')}
          </Link>
        ) : null}
      </div>
      <p className="text-slate-700">{t('cases.library.intro')}</p>
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
        {cases.map((c) => (
          <li key={c.id} className="flex flex-wrap items-baseline gap-2 px-3 py-2">
            <Link to={`/admin/cases/${c.id}`} className="font-medium">
              {c.title[locale] || c.title.en}
            </Link>
            <span className="badge">{t(`cases.function.${c.function}`)}</span>
            <span className="text-sm text-slate-600">{t('cases.library.keyPoints', { points: c.keyPoints.join(', ') })}</span>
            {c.source === 'browser' || c.editedAt ? <span className="text-xs text-slate-600">{t('cases.library.editedInBrowser')}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
