import { pageTitle } from '~/components/admin/page-title'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useFormatDate } from '~/components/courses/ui'
import { BeforeAfter, MeasuresChart, MonthTable, RatingSummary } from '~/components/followup/measures'
import { RouteErrorBoundary } from '~/components/route-error'
import { useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { listTeamFollowUp } from '~/modules/followup/plans.server'
import { myTeamMeasures } from '~/modules/followup/reports.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.followUp'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const team = await listTeamFollowUp(user)
  const { measures, minRaters } = await myTeamMeasures(user)
  return { team, measures, minRaters }
}

export default function TeamFollowUp() {
  const t = useT()
  const formatDate = useFormatDate()
  const { team, measures, minRaters } = useLoaderData<typeof loader>()
  const current = measures?.months.at(-1) ?? null
  return (
    <div className="space-y-6">
      <nav className="text-sm">
        <Link to="/team">← {t('nav.myTeam')}</Link>
      </nav>
      <h1>{t('followup.team.title')}</h1>
      <p className="text-slate-700">{t('followup.team.intro')}</p>
      {team.length === 0 ? (
        <p className="text-slate-700">{t('team.empty')}</p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label={t('followup.team.title')}>
          {team.map((p) => (
            <li key={p.id} className="card !p-4 space-y-2" data-person={p.name} data-overdue={p.next?.overdue ? 'true' : 'false'}>
              <div className="flex items-start justify-between gap-2">
                <p className="font-medium">{p.name}</p>
                {!p.plan ? (
                  <span className="badge bg-slate-100 text-slate-700">{t('followup.team.noPlan')}</span>
                ) : p.next?.overdue ? (
                  <span className="badge bg-red-100 text-red-900">{t('followup.team.overdue')}</span>
                ) : (
                  <span className="badge bg-emerald-100 text-emerald-900">{t('followup.team.onTrack')}</span>
                )}
              </div>
              {p.plan ? (
                <p className="text-sm text-slate-700">
                  {t('followup.plan.summary', { days: p.plan.frequencyDays, channel: t(`followup.channel.${p.plan.channel}`) })}
                </p>
              ) : null}
              <dl className="grid grid-cols-2 gap-1 text-sm">
                <dt className="text-slate-600">{t('followup.team.next')}</dt>
                <dd>{p.next ? formatDate(p.next.dueOn) : '—'}</dd>
                <dt className="text-slate-600">{t('followup.team.last')}</dt>
                <dd>{p.lastHeld ? formatDate(p.lastHeld) : '—'}</dd>
                <dt className="text-slate-600">{t('followup.team.confirmed')}</dt>
                <dd>{t('followup.team.confirmedOf', { confirmed: p.confirmed, held: p.held })}</dd>
              </dl>
              <Link to={`/team/follow-up/${p.id}`} className="btn-secondary inline-flex min-h-11 w-full items-center justify-center no-underline">
                {p.plan ? (p.next?.hasDraft ? t('followup.team.continue') : t('followup.team.open')) : t('followup.team.makePlan')}
              </Link>
            </li>
          ))}
        </ul>
      )}
      {measures ? (
        <>
          <section className="space-y-3" aria-labelledby="fu-rating">
            <h2 id="fu-rating">{t('followup.rating.title')}</h2>
            <p className="text-sm text-slate-700">{t('followup.rating.intro', { min: minRaters })}</p>
            <h3 className="text-base font-semibold">{t('followup.rating.thisMonth')}</h3>
            <RatingSummary rating={current?.rating ?? null} minRaters={minRaters} />
          </section>
          <section className="space-y-3" aria-labelledby="fu-measures">
            <h2 id="fu-measures">{t('followup.measures.title')}</h2>
            <MeasuresChart months={measures.months} />
            <BeforeAfter before={measures.before} after={measures.after} completedOn={measures.completedOn} />
            <MonthTable months={measures.months} />
          </section>
        </>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
