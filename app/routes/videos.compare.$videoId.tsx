import { pageTitle } from '~/components/admin/page-title'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { ComparePlayers } from '~/components/video/compare-players'
import { resolveLocale } from '~/i18n/locale.server'
import { useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { getComparison } from '~/modules/videos/videos.server'
import { param } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.videoCompare'))

// Opened with either video of a pair.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getComparison(user, param(params, 'videoId'), await resolveLocale(request, user))
}

export default function CompareVideos() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm">
          <Link to="/videos">{t('videos.title')}</Link>
        </p>
        <h1>{t('videos.compareTitle')}</h1>
      </div>
      <ComparePlayers data={data} />
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
