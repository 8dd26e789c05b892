import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { EmailKind, EmailStatus } from '~/components/admin/email-labels'
import { pageTitle } from '~/components/admin/page-title'
import { RouteErrorBoundary } from '~/components/route-error'
import { useFormatDateTime, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { listOutbox } from '~/modules/notifications/outbox.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('outbox.title'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return { emails: await listOutbox(user) }
}

export default function Outbox() {
  const t = useT()
  const formatDateTime = useFormatDateTime()
  const { emails } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <h1>{t('outbox.title')}</h1>
      <p className="text-slate-700">{t('outbox.intro')}</p>
      {emails.length === 0 ? (
        <p className="card text-slate-700">{t('outbox.empty')}</p>
      ) : (
        <>
          <p className="text-sm text-slate-600">{t('admin.outbox.latest', { count: emails.length })}</p>
          {/* Scrolls sideways on a phone; focusable so the keyboard can scroll it too. */}
          <div className="card overflow-x-auto !p-0" role="region" aria-label={t('outbox.title')} tabIndex={0}>
            <table className="table min-w-[40rem]">
              <thead>
                <tr>
                  <th scope="col">{t('common.when')}</th>
                  <th scope="col">{t('outbox.to')}</th>
                  <th scope="col">{t('outbox.subject')}</th>
                  <th scope="col">{t('admin.outbox.kind')}</th>
                  <th scope="col">{t('outbox.status')}</th>
                </tr>
              </thead>
              <tbody>
                {emails.map((e) => (
                  <tr key={e.id}>
                    <td className="whitespace-nowrap">{formatDateTime(e.createdAt)}</td>
                    <td className="break-all">{e.toAddress}</td>
                    <td>
                      <Link to={`/admin/outbox/${e.id}`}>{e.subject}</Link>
                    </td>
                    <td>
                      <EmailKind kind={e.kind} />
                    </td>
                    <td>
                      <EmailStatus status={e.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
