import { pageTitle } from '~/components/admin/page-title'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ProgressTable } from '~/components/courses/progress-table'
import { RouteErrorBoundary } from '~/components/route-error'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { pick } from '~/modules/courses/courses'
import { listSharedPrepSheets, listTeamProgress } from '~/modules/courses/progress.server'
import { listTeam } from '~/modules/org/people.server'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.team'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const [team, progress, prepSheets] = await Promise.all([listTeam(user), listTeamProgress(user), listSharedPrepSheets(user)])
  return { team, progress, prepSheets }
}

export default function Team() {
  const t = useT()
  const { team, progress, prepSheets } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <h1>{t('team.title')}</h1>
      <Link to="/team/follow-up">{t('team.followUpLink')}</Link>
      {team.length === 0 ? (
        <p className="text-slate-700">{t('team.empty')}</p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {team.map((p) => (
            <li key={p.id} className="card !p-4">
              <p className="font-medium">{p.name}</p>
              <p className="text-sm text-slate-600">{p.departmentPath}</p>
              <p className="text-sm text-slate-600">{p.email}</p>
            </li>
          ))}
        </ul>
      )}
      <TeamProgress progress={progress} />
      <SharedPrepSheets sheets={prepSheets} />
    </div>
  )
}

type TeamData = ReturnType<typeof useLoaderData<typeof loader>>

function TeamProgress({ progress }: { progress: TeamData['progress'] }) {
  const t = useT()
  return (
    <section className="space-y-2" aria-labelledby="team-progress">
      <h2 id="team-progress">{t('team.progress')}</h2>
      {progress.length === 0 ? <p className="text-slate-700">{t('team.progressEmpty')}</p> : <ProgressTable rows={progress} />}
    </section>
  )
}

function SharedPrepSheets({ sheets }: { sheets: TeamData['prepSheets'] }) {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  return (
    <section className="space-y-2" aria-labelledby="prep-sheets">
      <h2 id="prep-sheets">{t('team.prepSheets')}</h2>
      <p className="text-sm text-slate-700">{t('team.prepSheetsIntro')}</p>
      {sheets.length === 0 ? (
        <p className="text-slate-700">{t('team.prepSheetsEmpty')}</p>
      ) : (
        <ul className="space-y-3">
          {sheets.map((sheet) => (
            <li key={sheet.id} className="card" data-prep-sheet={sheet.userId}>
              <details open={sheets.length <= 3}>
                <summary className="cursor-pointer">
                  <span className="font-medium">{sheet.name}</span>
                  <span className="ml-2 text-sm text-slate-600">
                    {pick(sheet.moduleTitle, locale)} · {t('team.sharedOn', { time: formatDateTime(sheet.sharedAt) })}
                  </span>
                </summary>
                <dl className="mt-3 space-y-3">
                  {sheet.fields.map((f) => (
                    <div key={f.id}>
                      <dt className="text-sm font-semibold text-slate-800">{pick(f.label, locale)}</dt>
                      <dd className="mt-1 whitespace-pre-line text-slate-800">{f.value || '—'}</dd>
                    </div>
                  ))}
                </dl>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

export const ErrorBoundary = RouteErrorBoundary
