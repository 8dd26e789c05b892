import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { useT } from '~/i18n/use-t'
import { can } from '~/modules/auth/permissions'
import { requireUser } from '~/modules/auth/session.server'

export const meta: MetaFunction = () => [{ title: 'Genjin' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return { user: { name: user.name, roles: user.roles }, canManagePeople: can(user, 'manage:people:all') }
}

export default function Home() {
  const t = useT()
  const { user, canManagePeople } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <div>
        <h1>{t('home.welcome', { name: user.name })}</h1>
        <p className="mt-1 max-w-2xl text-slate-700">{t('home.intro')}</p>
        <p className="mt-1 text-sm text-slate-600">{t('home.yourRoles', { roles: user.roles.map((r) => t(`role.${r}`)).join('、') })}</p>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <section className="card">
          <h2>{t('home.learner.title')}</h2>
          <p className="mt-2 text-slate-700">{t('home.learner.body')}</p>
        </section>
        {canManagePeople ? (
          <section className="card">
            <h2>{t('home.hr.title')}</h2>
            <p className="mt-2 text-slate-700">{t('home.hr.body')}</p>
            <p className="mt-3 flex flex-wrap gap-2">
              <Link to="/admin/people" className="btn-secondary">
                {t('nav.people')}
              </Link>
              <Link to="/admin/import" className="btn-secondary">
                {t('nav.import')}
              </Link>
            </p>
          </section>
        ) : null}
      </div>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
