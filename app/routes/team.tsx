import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { listTeam } from '~/modules/org/people.server'

export const meta: MetaFunction = () => [{ title: 'Genjin · My team' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return { team: await listTeam(user) }
}

export default function Team() {
  const t = useT()
  const { team } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <h1>{t('team.title')}</h1>
      {team.length === 0 ? (
        <p className="text-slate-700">{t('team.empty')}</p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {team.map((p) => (
            <li key={p.id} className="card !p-4">
              <p className="font-medium">{p.name}</p>
              <p className="text-sm text-slate-600">{p.departmentPath}</p>
              <p className="text-sm text-slate-600">{p.email}</p>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
