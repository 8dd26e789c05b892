import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node'
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  type ShouldRevalidateFunction,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import { AppShell } from './components/app-shell'
import { ErrorMessage } from './components/route-error'
import { env } from './env.server'
import { Suspense } from 'react'
import { type Locale } from './i18n/define'
import { catalogVersion } from './i18n/catalog.server'
import { hasMessages, loadMessages, messagesUrl, translate } from './i18n/runtime'
import { resolveLocale } from './i18n/locale.server'
import { getCurrentUser } from './modules/auth/session.server'
import { unreadNotificationCount } from './modules/notifications/inbox.server'
import { useNonce } from './nonce'
import stylesheet from './tailwind.css?url'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request)
  const locale = await resolveLocale(request, user)
  return {
    locale,
    messagesVersion: catalogVersion,
    user: user && { id: user.id, name: user.name, roles: user.roles },
    unreadNotifications: user ? await unreadNotificationCount(user.id) : 0,
    demoMode: env().DEMO_MODE,
  }
}

/** The bell's unread count stays current as people move between pages, not only after a form post. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ defaultShouldRevalidate, currentUrl, nextUrl }) =>
  defaultShouldRevalidate || currentUrl.pathname !== nextUrl.pathname

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root')
  const nonce = useNonce()
  const locale: Locale = data?.locale ?? 'zh-CN'
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {data && <link rel="preload" href={messagesUrl(locale, data.messagesVersion)} as="fetch" crossOrigin="anonymous" data-messages={locale} />}
      </head>
      <body className="min-h-screen">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return (
    <Suspense fallback={null}>
      <Page />
    </Suspense>
  )
}

function Page() {
  const { user, locale, unreadNotifications, messagesVersion } = useLoaderData<typeof loader>()
  // The browser holds the languages it has fetched; the first one is loaded before hydration
  // (entry.client.tsx), another one (signing in as someone who chose it) while this suspends.
  if (!hasMessages(locale)) throw loadMessages(locale, messagesVersion)
  return (
    <AppShell user={user} locale={locale} unreadNotifications={unreadNotifications}>
      <Outlet />
    </AppShell>
  )
}

export function ErrorBoundary() {
  const error = useRouteError()
  const data = useRouteLoaderData<typeof loader>('root')
  const t = translate(data?.locale ?? 'zh-CN')
  return (
    <main id="main" className="mx-auto max-w-xl p-6">
      <ErrorMessage error={error} t={t} />
    </main>
  )
}
