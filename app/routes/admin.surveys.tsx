import { pageTitle } from '~/components/admin/page-title'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
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
  // Both tables end with the responses, the response rate and the average answer to each question.
  const answerHeaders = (
    <>
      <th scope="col" className="text-right">
        {t('surveys.results.responses')}
      </th>
      <th scope="col" className="text-right">
        {t('surveys.results.rate')}
      </th>
      {surveyQuestions.map((q) => (
        <th key={q} scope="col" className="text-right">
          <abbr title={t(`surveys.question.${q}`)} className="no-underline">
            {t(`surveys.short.${q}`)}
          </abbr>
        </th>
      ))}
    </>
  )
  const rateAndAverages = (row: { responses: number; attendees: number } & Record<(typeof surveyQuestions)[number], number | null>) => (
    <>
      <td className="text-right tabular-nums">{rate(row.responses, row.attendees)}</td>
      {surveyQuestions.map((q) => (
        <td key={q} className="text-right tabular-nums">
          {formatAverage(row[q], locale)}
        </td>
      ))}
    </>
  )
  return (
    <div className="space-y-6">
      <div>
        <h1>{t('surveys.results.title')}</h1>
        <p className="mt-1 text-slate-700">{t('surveys.results.overviewIntro')}</p>
        {!all ? <p className="text-sm text-slate-600">{t('surveys.results.ownOnly')}</p> : null}
      </div>
      <ResultsSection id="by-trainer" title={t('surveys.results.byTrainer')} empty={trainers.length === 0}>
        <thead>
          <tr>
            <th scope="col">{t('surveys.results.trainer')}</th>
            <th scope="col" className="text-right">
              {t('surveys.results.sessions')}
            </th>
            {answerHeaders}
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
              {rateAndAverages(row)}
            </tr>
          ))}
        </tbody>
      </ResultsSection>
      <ResultsSection id="by-session" title={t('surveys.results.bySession')} empty={sessions.length === 0}>
        <thead>
          <tr>
            <th scope="col">{t('surveys.results.session')}</th>
            <th scope="col">{t('surveys.results.ended')}</th>
            {answerHeaders}
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
              {rateAndAverages(row)}
            </tr>
          ))}
        </tbody>
      </ResultsSection>
    </div>
  )
}

/** One breakdown of the answers (by trainer, by session) in its card, or a line saying there are none yet. */
function ResultsSection({ id, title, empty, children }: { id: string; title: string; empty: boolean; children: ReactNode }) {
  const t = useT()
  return (
    <section aria-labelledby={id} className="card space-y-3">
      <h2 id={id}>{title}</h2>
      {empty ? (
        <p className="text-slate-700">{t('surveys.results.none')}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="table">{children}</table>
        </div>
      )}
    </section>
  )
}

export const ErrorBoundary = RouteErrorBoundary
