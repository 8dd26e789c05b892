import { pageTitle } from '~/components/admin/page-title'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { myGroups } from '~/modules/groups/groups.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.groups'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return { groups: await myGroups(user) }
}

export default function MyGroups() {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  const { groups } = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1>{t('groups.mine')}</h1>
      {groups.length === 0 ? (
        <p className="text-slate-700">{t('groups.mineEmpty')}</p>
      ) : (
        <ul className="space-y-2">
          {groups.map((g) => (
            <li key={g.groupId} className="card">
              <Link to={`/groups/${g.groupId}`} className="font-semibold">
                {t('groups.groupName', { name: g.groupName })} · {g.cohortName}
              </Link>
              {g.caseTitle ? (
                <p className="text-sm text-slate-700" suppressHydrationWarning>
                  {g.caseTitle[locale] || g.caseTitle.en}
                  {g.dueAt ? ` · ${t('cases.due', { when: formatDateTime(g.dueAt) })}` : ''}
                </p>
              ) : (
                <p className="text-sm text-slate-700">{t('cases.noCaseYet')}</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
