import { pageTitle } from '~/components/admin/page-title'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { resolveLocale } from '~/i18n/locale.server'
import { useT } from '~/i18n/use-t'
import { can } from '~/modules/auth/permissions'
import { requireUser } from '~/modules/auth/session.server'
import { formatTime } from '~/modules/videos/videos'
import { listVideos } from '~/modules/videos/videos.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.videos'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const videos = await listVideos(user, await resolveLocale(request, user))
  return {
    videos,
    can: {
      edit: can(user, 'edit:videos:all'),
      upload: can(user, 'upload:videos:all'),
      report: can(user, 'read:video-reports:all'),
      present: can(user, 'present:videos:all'),
    },
  }
}

const kindBadge = { positive: 'bg-green-100 text-green-900', negative: 'bg-red-100 text-red-900', lecture: 'bg-slate-200 text-slate-800' }

export default function VideoLibrary() {
  const t = useT()
  const { videos, can } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-3">
        <div className="mr-auto">
          <h1>{t('videos.title')}</h1>
          <p className="mt-1 max-w-3xl text-slate-700">{t('videos.intro')}</p>
        </div>
        {can.upload ? (
          <Link to="/videos/new" className="btn-primary">
            {t('videos.upload')}
          </Link>
        ) : null}
      </div>
      {videos.length === 0 ? <p>{t('videos.empty')}</p> : null}
      <ul className="grid gap-4 md:grid-cols-2">
        {videos.map((v) => (
          <li key={v.id} className="card flex flex-col gap-3" data-testid={`video-${v.id}`}>
            {v.poster ? <img src={v.poster} alt="" className="aspect-video w-full rounded-md object-cover" loading="lazy" /> : null}
            <div className="flex flex-wrap items-center gap-2 text-xs">
              <span className={`badge ${kindBadge[v.kind]}`}>{t(`videos.kind.${v.kind}`)}</span>
              {v.status !== 'ready' ? <span className="badge">{t(`videos.status.${v.status}`)}</span> : null}
              <span className="text-slate-600">{t('videos.duration', { time: formatTime(v.duration) })}</span>
              <span className="text-slate-600">{t('videos.breakpointCount', { count: v.breakpoints })}</span>
            </div>
            <h2>{v.title}</h2>
            <p className="text-sm text-slate-700">{v.description}</p>
            <p className="text-sm">
              {v.completed ? (
                <span className="badge bg-green-100 text-green-900">{t('videos.completed')}</span>
              ) : v.watchedShare > 0 ? (
                t('videos.watched', { percent: Math.round(v.watchedShare * 100) })
              ) : (
                <span className="text-slate-600">{t('videos.notStarted')}</span>
              )}
            </p>
            <div className="mt-auto flex flex-wrap gap-2">
              {v.status === 'ready' ? (
                <Link to={`/videos/${v.id}`} className="btn-primary">
                  {t('videos.watch')}
                </Link>
              ) : null}
              {v.pairId && v.status === 'ready' ? (
                <Link to={`/videos/compare/${v.id}`} className="btn-secondary">
                  {t('videos.compareTitle')}
                </Link>
              ) : null}
              {can.edit ? (
                <Link to={`/videos/${v.id}/edit`} className="btn-secondary">
                  {t('videos.edit')}
                </Link>
              ) : null}
              {can.present && v.status === 'ready' ? (
                <Link to={`/videos/${v.id}/present`} className="btn-secondary">
                  {t('videos.present')}
                </Link>
              ) : null}
              {can.report ? (
                <Link to={`/videos/${v.id}/report`} className="btn-secondary">
                  {t('videos.report')}
                </Link>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
