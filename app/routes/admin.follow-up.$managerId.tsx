import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useFormatDate } from '~/components/courses/ui'
import { RouteErrorBoundary } from '~/components/route-error'
import { useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { checkInFieldNames } from '~/modules/followup/followup'
import { listManagerCheckIns } from '~/modules/followup/plans.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.manager.name ?? ''}` }]

// Check-in contents for HR admins personally granted the right (docs/follow-up-privacy.md); each view is audited.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return listManagerCheckIns(user, params.managerId ?? '')
}

export default function ManagerCheckIns() {
  const t = useT()
  const formatDate = useFormatDate()
  const { manager, checkIns } = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <nav className="text-sm">
        <Link to="/admin/follow-up">← {t('followup.admin.title')}</Link>
      </nav>
      <h1>{t('followup.admin.checkInsOf', { name: manager.name })}</h1>
      <p className="notice">{t('followup.admin.audited')}</p>
      {checkIns.length === 0 ? <p className="text-slate-700">{t('followup.history.empty')}</p> : null}
      <ul className="space-y-3">
        {checkIns.map((c) => (
          <li key={c.id} className="card space-y-2">
            <p className="font-medium">
              {c.employeeName} · {formatDate(c.heldOn)}{' '}
              <span className="text-sm font-normal text-slate-600">
                {c.happened === null ? t('followup.history.unconfirmed') : c.happened ? t('followup.history.confirmed') : t('followup.history.disputed')}
              </span>
            </p>
            <dl className="space-y-1 text-sm">
              {checkInFieldNames.map((f) =>
                c[f] ? (
                  <div key={f}>
                    <dt className="font-semibold">{t(`followup.field.${f}`)}</dt>
                    <dd className="whitespace-pre-line">{c[f]}</dd>
                  </div>
                ) : null,
              )}
            </dl>
          </li>
        ))}
      </ul>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
