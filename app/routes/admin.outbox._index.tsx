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
          <div className="card hidden overflow-x-auto !p-0 sm:block">
            <table className="table">
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
          {/* Below `sm` each email is a card, the subject (the link) first. */}
          <ul className="space-y-2 sm:hidden">
            {emails.map((e) => (
              <li key={e.id} className="card space-y-1 !p-3">
                <p>
                  <Link to={`/admin/outbox/${e.id}`} className="font-medium">
                    {e.subject}
                  </Link>
                </p>
                <p className="break-all text-sm text-slate-700">
                  <span className="sr-only">{t('outbox.to')}: </span>
                  {e.toAddress}
                </p>
                <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
                  <span>{formatDateTime(e.createdAt)}</span>
                  <span>
                    <EmailKind kind={e.kind} />
                  </span>
                  <EmailStatus status={e.status} />
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
