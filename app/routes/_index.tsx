import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { OverdueBadge, ProgressBar, useFormatDate } from '~/components/courses/ui'
import { pick } from '~/modules/courses/courses'
import { listMyLearning } from '~/modules/courses/learning.server'
import { NextActions, Panel, joinList } from '~/components/home/panels'
import { translator } from '~/i18n'
import { resolveLocale } from '~/i18n/locale.server'
import { homeFor } from '~/modules/home/home.server'
import { LastBackupNote } from '~/components/backups/last-backup'
import { lastBackup } from '~/modules/backups/backups.server'
import { can } from '~/modules/auth/permissions'
import { KpiStatusCard } from '~/components/kpi/status-card'
import { currentPeriodStatus } from '~/modules/kpi/periods.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? 'Genjin' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const locale = await resolveLocale(request, user)
  const [home, learning] = await Promise.all([homeFor(user), listMyLearning(user)])
  return {
    title: `${translator(locale)('home.title')} · ${translator(locale)('app.name')}`,
    user: { name: user.name, roles: user.roles },
    home,
    learning,
    lastBackup: can(user, 'read:backups:all') ? await lastBackup(user) : undefined,
    kpiStatus: await currentPeriodStatus(user, { stale: 'serve' }),
  }
}

export default function Home() {
  const t = useT()
  const { user, home, learning, lastBackup, kpiStatus } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6" data-home={home.kind}>
      <div>
        <h1>{t('home.welcome', { name: user.name })}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {t('home.yourRoles', {
            roles: joinList(
              user.roles.map((r) => t(`role.${r}`)),
              useLocale(),
            ),
          })}
        </p>
      </div>
      <NextActions actions={home.actions} />
      {lastBackup !== undefined ? <LastBackupNote last={lastBackup} /> : null}
      <div className="grid gap-4 md:grid-cols-2">
        {kpiStatus ? <KpiStatusCard status={kpiStatus} /> : null}
        {home.panels.map((panel) => (
          <Panel key={panel.id} panel={panel} />
        ))}
        {learning.length ? <YourLearning learning={learning} /> : null}
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
                : [
                    c.dueAt ? t('learn.due', { date: formatDate(c.dueAt) }) : t('learn.noDue'),
                    c.nextModuleTitle ? t('learn.next', { title: pick(c.nextModuleTitle, locale) }) : '',
                  ]
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

export const ErrorBoundary = RouteErrorBoundary
