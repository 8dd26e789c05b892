import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useRevalidator } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { RouteErrorBoundary } from '~/components/route-error'
import { useFormatDateTime, useT } from '~/i18n/use-t'
import { appUrl } from '~/load-context'
import { getCheckInScreen } from '~/modules/attendance/attendance.server'
import { qrSvg } from '~/modules/attendance/qr.server'
import { requireUser } from '~/modules/auth/session.server'
import { param } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.session.title ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const screen = await getCheckInScreen(user, param(params, 'sessionId'))
  const url = `${appUrl()}/check-in/${screen.token}`
  return { ...screen, url, svg: await qrSvg(url) }
}

/** Fetches the next code just after the current one rotates. */
function useRotation(refreshInMs: number, token: string) {
  const revalidator = useRevalidator()
  const latest = useRef(revalidator)
  latest.current = revalidator
  useEffect(() => {
    const id = window.setTimeout(() => latest.current.revalidate(), refreshInMs + 250)
    return () => window.clearTimeout(id)
  }, [refreshInMs, token])
}

/** How often the checked-in counter is refreshed while the screen is visible (the code itself rotates every 30 s). */
export const COUNT_REFRESH_MS = 3000

/** Polls the loader every few seconds, so people see the counter move as they check in. */
function useLiveCount() {
  const revalidator = useRevalidator()
  const latest = useRef(revalidator)
  latest.current = revalidator
  useEffect(() => {
    const id = window.setInterval(() => {
      if (document.visibilityState === 'visible' && latest.current.state === 'idle') latest.current.revalidate()
    }, COUNT_REFRESH_MS)
    return () => window.clearInterval(id)
  }, [])
}

export default function CheckInScreen() {
  const t = useT()
  const formatDateTime = useFormatDateTime()
  const { session, svg, code, url, refreshInMs, token, state, window, checkedIn, expected } = useLoaderData<typeof loader>()
  useRotation(refreshInMs, token)
  useLiveCount()
  return (
    // Covers the app's navigation: this screen is meant for a projector or a tablet at the door.
    <div className="fixed inset-0 z-50 flex flex-col items-center overflow-auto bg-white p-4 text-slate-900">
      <div className="flex w-full max-w-5xl items-center gap-3">
        <Link to={`/sessions/${session.id}/roster`} className="text-sm">
          ← {t('roster.title')}
        </Link>
        <button
          type="button"
          className="btn-secondary ml-auto min-h-9 px-3 py-1"
          onClick={() => {
            if (document.fullscreenElement) void document.exitFullscreen()
            else void document.documentElement.requestFullscreen?.()
          }}
        >
          {t('checkInScreen.fullScreen')}
        </button>
      </div>
      <h1 className="mt-2 text-center !text-3xl">{session.title}</h1>
      {state === 'open' ? (
        <div className="mt-4 flex flex-1 flex-col items-center justify-center gap-6 lg:flex-row lg:gap-16">
          <div
            className="aspect-square w-[min(70vmin,32rem)]"
            role="img"
            aria-label={t('checkInScreen.qrLabel')}
            data-check-in-url={url}
            // Generated on the server by `qrcode` from our own URL.
            dangerouslySetInnerHTML={{ __html: svg }}
          />
          <div className="text-center">
            <p className="text-xl text-slate-700">{t('checkInScreen.scan')}</p>
            <p className="mt-6 text-xl text-slate-700">{t('checkInScreen.orType')}</p>
            <p className="text-lg font-medium text-brand-800">{t('checkInScreen.codeUrl', { url: new URL(url).origin + '/check-in' })}</p>
            <p
              className="mt-2 font-mono text-7xl font-bold tracking-widest tabular-nums"
              aria-live="polite"
              aria-label={t('checkInScreen.codeLabel', { code: code.split('').join(' ') })}
            >
              {code.slice(0, 3)} {code.slice(3)}
            </p>
            <p className="mt-2 text-slate-600">{t('checkInScreen.rotates')}</p>
            <p className="mt-6 text-2xl" aria-live="polite" data-testid="checked-in-count">
              {t('checkInScreen.count', { checkedIn, expected })}
            </p>
          </div>
        </div>
      ) : (
        <div className="mt-10 max-w-xl text-center text-xl text-slate-700" role="status" suppressHydrationWarning>
          {state === 'not_yet'
            ? t('checkInScreen.notYet', { time: formatDateTime(window.opensAt) })
            : state === 'closed'
              ? t('checkInScreen.closed')
              : t('sessions.alreadyCancelled')}
        </div>
      )}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
