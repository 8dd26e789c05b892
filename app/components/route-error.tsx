import { isRouteErrorResponse, useRouteError } from '@remix-run/react'
import type { Translate } from '~/i18n'
import { useT } from '~/i18n/use-t'

export function ErrorMessage({ error, t }: { error: unknown; t: Translate }) {
  const status = isRouteErrorResponse(error) ? error.status : 500
  const message = status === 404 ? t('error.notFound') : status === 403 ? t('error.forbidden') : status === 400 ? t('error.badRequest') : t('error.unexpected')
  return (
    <div className="card" role="alert">
      <h1>{t('error.title')}</h1>
      <p className="mt-2 text-slate-700">
        {status} — {message}
      </p>
      <p className="mt-4">
        <a href="/">{t('error.backHome')}</a>
      </p>
    </div>
  )
}

/** Nested routes' error boundary: the shell stays, the message takes the page. */
export function RouteErrorBoundary() {
  const error = useRouteError()
  const t = useT()
  return <ErrorMessage error={error} t={t} />
}
