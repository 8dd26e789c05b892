import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { resolveLocale } from '~/i18n/locale.server'
import { useFormatDateTime, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { listNotifications, markAllNotificationsRead, markNotificationRead } from '~/modules/notifications/inbox.server'
import { NotificationAction } from '~/modules/notifications/notifications'
import { page as pageParam } from '~/shared/validation'
import { requireValid } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.notifications'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const locale = await resolveLocale(request, user)
  const page = pageParam.parse(new URL(request.url).searchParams.get('page') ?? undefined)
  return await listNotifications(user, { page, locale })
}

/** Only paths inside the app: a stored link never sends anyone elsewhere. */
function safeLink(link: string | null) {
  return link && link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\') ? link : null
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const input = await requireValid(request, NotificationAction)
  if (input.intent === 'read-all') {
    await markAllNotificationsRead(user)
    return { notice: 'notifications.allMarked' as const }
  }
  const { link } = await markNotificationRead(user, input.id)
  // "Open" marks the notification read and follows it.
  const target = input.open ? safeLink(link) : null
  if (target) throw redirect(target)
  return { notice: null }
}

export default function Notifications() {
  const { items, page, pages, unread, total } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const t = useT()
  const formatDateTime = useFormatDateTime()
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle'
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="mr-auto">{t('notifications.title')}</h1>
        {unread > 0 ? (
          <>
            <span className="text-sm text-slate-600">{t('notifications.unreadSummary', { count: unread })}</span>
            <Form method="post">
              <button type="submit" name="intent" value="read-all" className="btn-secondary" disabled={busy}>
                {t('notifications.markAllRead')}
              </button>
            </Form>
          </>
        ) : null}
      </div>
      {data?.notice ? (
        <p className="notice" role="status">
          {t(data.notice)}
        </p>
      ) : null}
      {total === 0 ? (
        <p className="card text-slate-700">{t('notifications.empty')}</p>
      ) : (
        <ul className="space-y-2" aria-label={t('notifications.title')}>
          {items.map((n) => (
            <li key={n.id} className={`card flex flex-wrap items-start gap-3 !p-4 ${n.read ? '' : 'border-l-4 border-l-brand-600'}`}>
              <div className="min-w-0 flex-1">
                <p className={n.read ? 'text-slate-700' : 'font-semibold text-slate-900'}>
                  {n.read ? null : <span className="badge mr-2 bg-brand-50 text-brand-800">{t('notifications.new')}</span>}
                  {n.text}
                </p>
                <p className="mt-1 text-sm text-slate-600">
                  <time dateTime={new Date(n.createdAt).toISOString()}>{formatDateTime(n.createdAt)}</time>
                </p>
              </div>
              <Form method="post" className="flex gap-2">
                <input type="hidden" name="id" value={n.id} />
                <input type="hidden" name="intent" value="read" />
                {n.link ? (
                  <button type="submit" name="open" value="1" className="btn-primary min-h-9 px-3 py-1" disabled={busy}>
                    {t('notifications.open')}
                  </button>
                ) : null}
                {n.read ? null : (
                  <button type="submit" className="btn-secondary min-h-9 px-3 py-1" disabled={busy}>
                    {t('notifications.markRead')}
                  </button>
                )}
              </Form>
            </li>
          ))}
        </ul>
      )}
      {pages > 1 ? (
        <nav aria-label={t('notifications.title')} className="flex items-center justify-between text-sm">
          {page > 1 ? <Link to={`?page=${page - 1}`}>← {t('common.previous')}</Link> : <span />}
          <span className="text-slate-600">{t('common.page', { page, pages })}</span>
          {page < pages ? <Link to={`?page=${page + 1}`}>{t('common.next')} →</Link> : <span />}
        </nav>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
