import { pageTitle } from '~/components/admin/page-title'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { resolveLocale } from '~/i18n/locale.server'
import { useFormatDateTime, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { getVideoReport } from '~/modules/videos/reports.server'
import { formatTime } from '~/modules/videos/videos'
import { param } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.videoReport'))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getVideoReport(user, param(params, 'videoId'), await resolveLocale(request, user))
}

const percent = (share: number) => `${Math.round(share * 100)}%`

export default function VideoReport() {
  const t = useT()
  const formatDateTime = useFormatDateTime()
  const report = useLoaderData<typeof loader>()
  const completed = report.learners.filter((l) => l.completedAt).length
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link to="/videos">{t('videos.title')}</Link> · <Link to={`/videos/${report.video.id}`}>{report.video.title}</Link>
        </p>
        <h1>{t('videos.report.title', { title: report.video.title })}</h1>
        <p className="mt-1 flex flex-wrap items-center gap-3 text-slate-700" data-testid="report-summary">
          {t('videos.report.summary', { learners: report.learners.length, completed })}
          <a href={`/videos/${report.video.id}/report.csv`} className="btn-secondary" download>
            {t('videos.report.csv')}
          </a>
        </p>
      </div>
      <section className="card overflow-x-auto" aria-labelledby="report-breakpoints">
        <h2 id="report-breakpoints">{t('videos.report.breakpoints')}</h2>
        <table className="table mt-3">
          <thead>
            <tr>
              <th scope="col">{t('videos.report.time')}</th>
              <th scope="col">{t('videos.editor.titleField')}</th>
              <th scope="col">{t('videos.report.acknowledged')}</th>
              <th scope="col">{t('videos.report.answered')}</th>
              <th scope="col">{t('videos.report.wrong')}</th>
              <th scope="col">{t('videos.report.predictions')}</th>
            </tr>
          </thead>
          <tbody>
            {report.breakpoints.map((b) => (
              <tr key={b.id} data-testid={`report-bp-${b.id}`}>
                <td className="font-mono">{formatTime(b.time)}</td>
                <td>{b.title}</td>
                <td>{b.mustAcknowledge ? b.acknowledged : t('videos.report.na')}</td>
                <td>{b.hasQuestion ? b.answered : t('videos.report.na')}</td>
                <td className={b.wrong > 0 ? 'font-semibold text-red-800' : ''}>{b.hasQuestion ? b.wrong : t('videos.report.na')}</td>
                <td>{b.hasPrediction ? b.predicted : t('videos.report.na')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card overflow-x-auto" aria-labelledby="report-learners">
        <h2 id="report-learners">{t('videos.report.learners')}</h2>
        {report.learners.length === 0 ? <p className="mt-2 text-slate-600">{t('videos.report.none')}</p> : null}
        {report.truncated ? <p className="mt-2 text-sm text-slate-600">{t('videos.report.truncated', { max: report.learners.length })}</p> : null}
        {report.learners.length ? (
          <table className="table mt-3">
            <thead>
              <tr>
                <th scope="col">{t('videos.report.name')}</th>
                <th scope="col">{t('videos.report.department')}</th>
                <th scope="col">{t('videos.report.watched')}</th>
                <th scope="col">{t('videos.report.acknowledged')}</th>
                <th scope="col">{t('videos.report.answers')}</th>
                <th scope="col">{t('videos.report.predictions')}</th>
                <th scope="col">{t('videos.report.completedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {report.learners.map((l) => (
                <tr key={l.id} data-testid="report-learner">
                  <td>
                    {l.name}
                    <span className="block text-xs text-slate-600">{l.email}</span>
                  </td>
                  <td>{l.department ?? t('videos.report.na')}</td>
                  <td>{percent(l.watchedShare)}</td>
                  <td>
                    {l.acknowledged} / {report.required}
                  </td>
                  <td>
                    {l.answered} / {report.questions} ({l.correct})
                  </td>
                  <td>{l.predicted}</td>
                  <td>{l.completedAt ? formatDateTime(l.completedAt) : t('videos.report.na')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
