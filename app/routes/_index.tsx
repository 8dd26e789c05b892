import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { useLocale, useT } from '~/i18n/use-t'
import { can } from '~/modules/auth/permissions'
import { requireUser } from '~/modules/auth/session.server'
import { OverdueBadge, ProgressBar, useFormatDate } from '~/components/courses/ui'
import { pick } from '~/modules/courses/courses'
import { listMyLearning } from '~/modules/courses/learning.server'
import { listMyBriefings } from '~/modules/briefings/briefings.server'
import { useSessionTime } from '~/components/sessions/badges'
import { KpiStatusCard } from '~/components/kpi/status-card'
import { currentPeriodStatus } from '~/modules/kpi/periods.server'

export const meta: MetaFunction = () => [{ title: 'Genjin' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return {
    user: { name: user.name, roles: user.roles },
    canManagePeople: can(user, 'manage:people:all'),
    learning: await listMyLearning(user),
    // Lecturers (and trainers) see the sessions they teach with their briefing packs.
    teaching: await listMyBriefings(user),
    isLecturer: user.roles.includes('lecturer'),
    kpiStatus: await currentPeriodStatus(user),
  }
}

export default function Home() {
  const t = useT()
  const { user, canManagePeople, learning, teaching, isLecturer, kpiStatus } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <div>
        <h1>{t('home.welcome', { name: user.name })}</h1>
        <p className="mt-1 max-w-2xl text-slate-700">{t('home.intro')}</p>
        <p className="mt-1 text-sm text-slate-600">{t('home.yourRoles', { roles: user.roles.map((r) => t(`role.${r}`)).join('、') })}</p>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        {teaching.length || isLecturer ? <YourTeaching teaching={teaching} /> : null}
        <YourLearning learning={learning} />
        {canManagePeople ? (
          <section className="card">
            <h2>{t('home.hr.title')}</h2>
            <p className="mt-2 text-slate-700">{t('home.hr.body')}</p>
            <p className="mt-3 flex flex-wrap gap-2">
              <Link to="/admin/people" className="btn-secondary">
                {t('nav.people')}
              </Link>
              <Link to="/admin/import" className="btn-secondary">
                {t('nav.import')}
              </Link>
            </p>
          </section>
        ) : null}
        {kpiStatus ? <KpiStatusCard status={kpiStatus} /> : null}
      </div>
    </div>
  )
}

function YourLearning({ learning }: { learning: ReturnType<typeof useLoaderData<typeof loader>>['learning'] }) {
  const t = useT()
  const locale = useLocale()
  const formatDate = useFormatDate()
  const open = learning.filter((c) => !c.completedAt)
  const shown = (open.length ? open : learning).slice(0, 3)
  return (
    <section className="card space-y-3" aria-labelledby="your-learning">
      <h2 id="your-learning">{t('home.learner.title')}</h2>
      {shown.length === 0 ? <p className="text-slate-700">{t('learn.homeEmpty')}</p> : null}
      <ul className="space-y-4">
        {shown.map((c) => (
          <li key={c.courseKey} className="space-y-1">
            <p className="flex flex-wrap items-center gap-2">
              <Link to={c.completedAt || !c.nextModuleKey ? `/learn/${c.courseKey}` : `/learn/${c.courseKey}/${c.nextModuleKey}`} className="font-medium">
                {pick(c.title, locale)}
              </Link>
              {c.overdue ? <OverdueBadge /> : null}
            </p>
            <ProgressBar percent={c.percent} label={t('learn.progress', { done: c.completedCount, total: c.requiredCount })} />
            <p className="text-sm text-slate-600">
              {c.completedAt
                ? t('learn.completedOn', { date: formatDate(c.completedAt) })
                : [c.dueAt ? t('learn.due', { date: formatDate(c.dueAt) }) : t('learn.noDue'), c.nextModuleTitle ? t('learn.next', { title: pick(c.nextModuleTitle, locale) }) : '']
                    .filter(Boolean)
                    .join(' · ')}
            </p>
          </li>
        ))}
      </ul>
      {learning.length ? (
        <p>
          <Link to="/learn" className="btn-secondary">
            {t('learn.homeAll')}
          </Link>
        </p>
      ) : null}
    </section>
  )
}

function YourTeaching({ teaching }: { teaching: ReturnType<typeof useLoaderData<typeof loader>>['teaching'] }) {
  const t = useT()
  const sessionTime = useSessionTime()
  return (
    <section className="card space-y-3" aria-labelledby="your-teaching">
      <h2 id="your-teaching">{t('briefings.home.title')}</h2>
      {teaching.length === 0 ? <p className="text-slate-700">{t('briefings.home.empty')}</p> : null}
      <ul className="space-y-3">
        {teaching.map((s) => (
          <li key={s.sessionId} className="space-y-1">
            <p className="flex flex-wrap items-center gap-2">
              <Link to={s.pending ? `/sessions/${s.sessionId}/briefing` : `/sessions/${s.sessionId}`} className="font-medium">
                {s.title}
              </Link>
              {s.pending ? (
                <Link to={`/sessions/${s.sessionId}/briefing`} className="badge bg-amber-100 text-amber-900">
                  {t('briefings.home.pending')}
                </Link>
              ) : s.published ? (
                <Link to={`/sessions/${s.sessionId}/briefing`} className="badge bg-emerald-100 text-emerald-900">
                  {t('briefings.home.read')}
                </Link>
              ) : (
                <span className="badge">{t('briefings.home.none')}</span>
              )}
            </p>
            <p className="text-sm text-slate-600" suppressHydrationWarning>
              {sessionTime(s)}
            </p>
          </li>
        ))}
      </ul>
    </section>
  )
}

export const ErrorBoundary = RouteErrorBoundary
