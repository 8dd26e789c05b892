import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { EmailKind, EmailStatus } from '~/components/admin/email-labels'
import { pageTitle } from '~/components/admin/page-title'
import { RouteErrorBoundary } from '~/components/route-error'
import { useFormatDateTime, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { linkify } from '~/modules/notifications/linkify'
import { getOutboxEmail } from '~/modules/notifications/outbox.server'
import { param } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data: loaded, matches }) => pageTitle(matches, (t) => loaded?.email.subject ?? t('outbox.title'))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { html: _html, ...email } = await getOutboxEmail(user, param(params, 'emailId'))
  // The stored HTML never reaches the page; the text part is shown, its links made clickable.
  return { email }
}

/** Plain text with its http(s) addresses as links; React escapes everything else. */
function LinkedText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, i) =>
        part.kind === 'link' ? (
          <a key={i} href={part.href} className="break-all underline" rel="noreferrer noopener">
            {part.href}
          </a>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  )
}

export default function OutboxEmail() {
  const t = useT()
  const formatDateTime = useFormatDateTime()
  const { email } = useLoaderData<typeof loader>()
  const attachments = email.attachments ?? []
  return (
    <div className="max-w-3xl space-y-4">
      <p>
        <Link to="/admin/outbox" className="text-sm">
          ← {t('admin.outbox.back')}
        </Link>
      </p>
      <h1 className="break-words" lang={email.locale}>
        {email.subject}
      </h1>
      <section className="card" aria-label={t('common.details')}>
        <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium text-slate-600">{t('outbox.to')}</dt>
          <dd className="mb-2 break-all sm:mb-0">{email.toAddress}</dd>
          <dt className="font-medium text-slate-600">{t('outbox.subject')}</dt>
          <dd className="mb-2 break-words sm:mb-0" lang={email.locale}>
            {email.subject}
          </dd>
          <dt className="font-medium text-slate-600">{t('common.when')}</dt>
          <dd className="mb-2 sm:mb-0">{formatDateTime(email.createdAt)}</dd>
          <dt className="font-medium text-slate-600">{t('admin.outbox.kind')}</dt>
          <dd className="mb-2 sm:mb-0">
            <EmailKind kind={email.kind} />
          </dd>
          <dt className="font-medium text-slate-600">{t('common.language')}</dt>
          <dd className="mb-2 sm:mb-0">{t(`lang.name.${email.locale}`)}</dd>
          <dt className="font-medium text-slate-600">{t('outbox.status')}</dt>
          <dd className="mb-2 sm:mb-0">
            <EmailStatus status={email.status} />
          </dd>
          {email.sentAt ? (
            <>
              <dt className="font-medium text-slate-600">{t('admin.outbox.sentAt')}</dt>
              <dd className="mb-2 sm:mb-0">{formatDateTime(email.sentAt)}</dd>
            </>
          ) : null}
          {email.error ? (
            <>
              <dt className="font-medium text-slate-600">{t('admin.outbox.error')}</dt>
              <dd className="mb-2 break-words text-red-800 sm:mb-0">{email.error}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section className="card space-y-2" aria-labelledby="body-heading">
        <h2 id="body-heading">{t('admin.outbox.body')}</h2>
        <div className="whitespace-pre-wrap break-words text-sm leading-relaxed" lang={email.locale}>
          <LinkedText text={email.text} />
        </div>
      </section>
      <section className="card space-y-2" aria-labelledby="attachments-heading">
        <h2 id="attachments-heading">{t('admin.outbox.attachments')}</h2>
        {attachments.length === 0 ? (
          <p className="text-sm text-slate-700">{t('admin.outbox.noAttachments')}</p>
        ) : (
          <ul className="space-y-2 text-sm">
            {attachments.map((a, i) => (
              <li key={i}>
                <a href={`/admin/outbox/${email.id}/attachments/${i}`} download={a.filename} className="font-medium break-all">
                  {a.filename}
                </a>{' '}
                <span className="text-slate-600">({a.contentType})</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
