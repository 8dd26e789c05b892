import { pageTitle } from '~/components/admin/page-title'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { PresentStage } from '~/components/video/present'
import { resolveLocale } from '~/i18n/locale.server'
import { requireUser } from '~/modules/auth/session.server'
import { getVideoForPresenter } from '~/modules/videos/present.server'
import { param } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.videoPresent'))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getVideoForPresenter(user, param(params, 'videoId'), await resolveLocale(request, user))
}

// Notes posted from this page update its own state; reloading would restart the video.
export const shouldRevalidate = () => false

export default function PresentStageRoute() {
  const data = useLoaderData<typeof loader>()
  return <PresentStage data={data} />
}

export const ErrorBoundary = RouteErrorBoundary
