import type { LoaderFunctionArgs } from '@remix-run/node'
import { catalogs } from '~/i18n'
import { catalogVersion } from '~/i18n/catalog.server'
import { isLocale } from '~/i18n/define'

/** One language's messages for the browser (see app/i18n/runtime.ts); cached for good under its version. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  if (!isLocale(params.locale)) throw new Response('Not found', { status: 404 })
  const current = new URL(request.url).searchParams.get('v') === catalogVersion
  return new Response(JSON.stringify(catalogs[params.locale]), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': current ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
  })
}
