import { pageTitle } from '~/components/admin/page-title'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { formatAverage } from '~/components/surveys/rating-bars'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { surveyQuestions } from '~/modules/surveys/surveys'
import { getSurveyOverview } from '~/modules/surveys/surveys.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.surveys'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getSurveyOverview(user)
}

function rate(responses: number, attendees: number) {
  return attendees ? `${Math.round((responses / attendees) * 100)}%` : '—'
}

export default function SurveyOverview() {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  const { trainers, sessions, all } = useLoaderData<typeof loader>()
  const questionHeaders = surveyQuestions.map((q) => (
    <th key={q} scope="col" className="text-right">
      <abbr title={t(`surveys.question.${q}`)} className="no-underline">
        {t(`surveys.short.${q}`)}
      </abbr>
    </th>
  ))
  // Both tables end with the average answer to each question, under questionHeaders.
  const questionCells = (row: Record<(typeof surveyQuestions)[number], number | null>) =>
    surveyQuestions.map((q) => (
      <td key={q} className="text-right tabular-nums">
        {formatAverage(row[q], locale)}
      </td>
    ))
  return (
    <div className="space-y-6">
      <div>
        <h1>{t('surveys.results.title')}</h1>
        <p className="mt-1 text-slate-700">{t('surveys.results.overviewIntro')}</p>
        {!all ? <p className="text-sm text-slate-600">{t('surveys.results.ownOnly')}</p> : null}
      </div>
      <section aria-labelledby="by-trainer" className="card space-y-3">
        <h2 id="by-trainer">{t('surveys.results.byTrainer')}</h2>
        {trainers.length === 0 ? (
          <p className="text-slate-700">{t('surveys.results.none')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('surveys.results.trainer')}</th>
                  <th scope="col" className="text-right">
                    {t('surveys.results.sessions')}
                  </th>
                  <th scope="col" className="text-right">
                    {t('surveys.results.responses')}
                  </th>
                  <th scope="col" className="text-right">
                    {t('surveys.results.rate')}
                  </th>
                  {questionHeaders}
                </tr>
              </thead>
              <tbody>
                {trainers.map((row) => (
                  <tr key={row.userId}>
                    <th scope="row" className="!bg-transparent font-medium">
                      {row.name}
                    </th>
                    <td className="text-right tabular-nums">{row.sessions}</td>
                    <td className="text-right tabular-nums">{row.responses}</td>
                    <td className="text-right tabular-nums">{rate(row.responses, row.attendees)}</td>
                    {questionCells(row)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="by-session" className="card space-y-3">
        <h2 id="by-session">{t('surveys.results.bySession')}</h2>
        {sessions.length === 0 ? (
          <p className="text-slate-700">{t('surveys.results.none')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('surveys.results.session')}</th>
                  <th scope="col">{t('surveys.results.ended')}</th>
                  <th scope="col" className="text-right">
                    {t('surveys.results.responses')}
                  </th>
                  <th scope="col" className="text-right">
                    {t('surveys.results.rate')}
                  </th>
                  {questionHeaders}
                </tr>
              </thead>
              <tbody>
                {sessions.map((row) => (
                  <tr key={row.id}>
                    <th scope="row" className="!bg-transparent font-medium">
                      <Link to={`/sessions/${row.id}/survey-results`}>{row.title}</Link>
                    </th>
                    <td suppressHydrationWarning>{formatDateTime(row.endsAt)}</td>
                    <td className="text-right tabular-nums">
                      {row.responses} / {row.attendees}
                    </td>
                    <td className="text-right tabular-nums">{rate(row.responses, row.attendees)}</td>
                    {questionCells(row)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
