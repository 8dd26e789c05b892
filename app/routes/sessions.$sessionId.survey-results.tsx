import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { useSessionTime } from '~/components/sessions/badges'
import { formatAverage, RatingBars } from '~/components/surveys/rating-bars'
import { useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { surveyQuestions } from '~/modules/surveys/surveys'
import { getSessionSurveyResults } from '~/modules/surveys/surveys.server'
import { param } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.session.title ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getSessionSurveyResults(user, param(params, 'sessionId'))
}

export default function SurveyResults() {
  const t = useT()
  const locale = useLocale()
  const sessionTime = useSessionTime()
  const { session, window, attendees, responses, responseRate, questions, comments } = useLoaderData<typeof loader>()
  const closes = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: session.timeZone }).format(new Date(window.closesAt))
  return (
    <div className="space-y-6">
      <p className="flex flex-wrap gap-x-4">
        <Link to={`/sessions/${session.id}`}>← {session.title}</Link>
        <Link to="/admin/surveys">{t('surveys.results.title')}</Link>
      </p>
      <div className="space-y-1">
        <h1>{t('surveys.results.sessionTitle', { title: session.title })}</h1>
        <p className="text-slate-700" suppressHydrationWarning>
          {sessionTime(session)}
        </p>
        <p className="text-sm text-slate-600">{t('surveys.results.intro', { date: closes })}</p>
      </div>
      <section className="card flex flex-wrap items-center gap-4" aria-labelledby="rate">
        <h2 id="rate" className="sr-only">
          {t('surveys.results.rate')}
        </h2>
        <p className="text-3xl font-bold text-brand-800 tabular-nums">{responseRate === null ? '—' : `${responseRate}%`}</p>
        <p className="text-slate-700">{t('surveys.results.rateLine', { responses, attendees, rate: responseRate === null ? '—' : `${responseRate}%` })}</p>
        <a href={`/sessions/${session.id}/survey-results.csv`} className="btn-secondary ml-auto" download>
          {t('surveys.results.csv')}
        </a>
      </section>
      <section aria-labelledby="questions" className="space-y-3">
        <h2 id="questions">{t('surveys.results.average')}</h2>
        {responses === 0 ? <p className="text-slate-700">{t('surveys.results.noResponses')}</p> : null}
        <div className="grid gap-4 md:grid-cols-3">
          {surveyQuestions.map((q) => (
            <div key={q} className="card space-y-3" data-question={q}>
              <h3 className="text-base font-semibold">{t(`surveys.question.${q}`)}</h3>
              <p>
                <span className="text-3xl font-bold tabular-nums" data-testid={`average-${q}`}>
                  {formatAverage(questions[q].average, locale)}
                </span>
                <span className="text-slate-600"> / 5</span>
              </p>
              <RatingBars label={t('surveys.results.distribution', { question: t(`surveys.question.${q}`) })} counts={questions[q].counts} />
            </div>
          ))}
        </div>
      </section>
      <section aria-labelledby="comments" className="card space-y-3">
        <h2 id="comments">{t('surveys.results.comments')}</h2>
        {comments.length === 0 ? (
          <p className="text-slate-700">{t('surveys.results.noComments')}</p>
        ) : (
          <ul className="divide-y divide-slate-200">
            {comments.map((c, index) => (
              <li key={index} className="py-3">
                <p className="whitespace-pre-line text-slate-900">{c.comment}</p>
                <p className="mt-1 text-xs text-slate-600">— {c.anonymous ? t('surveys.results.anonymous') : c.name}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
