import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { LearnerPlayer, videoShouldRevalidate } from '~/components/video/learner-player'
import { resolveLocale } from '~/i18n/locale.server'
import { useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { getVideoForViewer } from '~/modules/videos/videos.server'
import { param } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.video.title ?? 'Video'}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getVideoForViewer(user, param(params, 'videoId'), await resolveLocale(request, user))
}

export const shouldRevalidate = videoShouldRevalidate

export default function WatchVideo() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const { video } = data
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start gap-3">
        <div className="mr-auto max-w-3xl">
          <p className="text-sm">
            <Link to="/videos">{t('videos.title')}</Link> · <span className="badge">{t(`videos.kind.${video.kind}`)}</span>
          </p>
          <h1 className="mt-1">{video.title}</h1>
          <p className="mt-1 text-slate-700">{video.description}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          {video.pair ? (
            <Link to={`/videos/compare/${video.id}`} className="btn-secondary">
              {t('videos.compare', { kind: t(`videos.kind.${video.pair.kind}`) })}
            </Link>
          ) : null}
          {data.can.edit ? (
            <Link to={`/videos/${video.id}/edit`} className="btn-secondary">
              {t('videos.edit')}
            </Link>
          ) : null}
          {data.can.present ? (
            <Link to={`/videos/${video.id}/present`} className="btn-secondary">
              {t('videos.present')}
            </Link>
          ) : null}
          {data.can.report ? (
            <Link to={`/videos/${video.id}/report`} className="btn-secondary">
              {t('videos.report')}
            </Link>
          ) : null}
        </div>
      </div>
      <LearnerPlayer key={video.id} data={data} />
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
