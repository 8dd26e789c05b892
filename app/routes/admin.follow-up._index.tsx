import { pageTitle } from '~/components/admin/page-title'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { DepartmentOptions } from '~/components/admin/department-options'
import { useFormatDate } from '~/components/courses/ui'
import { BeforeAfter, MeasuresChart, MonthTable, percent, score } from '~/components/followup/measures'
import { RouteErrorBoundary } from '~/components/route-error'
import { useLocale, useT } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { assertCan } from '~/modules/auth/authorize.server'
import { requireUser } from '~/modules/auth/session.server'
import { isContentReader, listContentReaders, setContentReader } from '~/modules/followup/access.server'
import { GrantForm, statements } from '~/modules/followup/followup'
import { allMeasures } from '~/modules/followup/reports.server'
import { importTeamResults } from '~/modules/followup/results-import.server'
import { listDepartmentOptions } from '~/modules/org/departments.server'
import type { MessageRef } from '~/modules/org/org-import'
import { parseOr400, readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.followUpMeasures'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const search = new URL(request.url).searchParams
  const departmentId = search.get('department') ?? ''
  const measures = await allMeasures(user, { departmentId })
  const [readers, departments, reader] = await Promise.all([listContentReaders(user), listDepartmentOptions(user), isContentReader(user)])
  // One manager's months as a chart, chosen from the table (the figures are already loaded).
  const chart = measures.managers.find((m) => m.managerId === search.get('manager')) ?? null
  return { ...measures, readers, departments, departmentId, reader, me: user.id, chart }
}

const isUpload = (value: unknown): value is File =>
  typeof value === 'object' && value !== null && 'arrayBuffer' in value && 'size' in value && Number(value.size) > 0
const Upload = z.object({ intent: z.literal('import'), file: z.custom<File>(isUpload, { message: 'import.fileRequired' }) })

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  // Guard first: nobody but HR gets an upload read into memory or a form error from this page.
  await assertCan(user, 'read:follow-up-measures:all')
  let formData: FormData
  try {
    formData = request.headers.get('Content-Type')?.startsWith('multipart/form-data')
      ? await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: 5_000_000 }))
      : await readForm(request)
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return Response.json({ importErrors: [{ key: 'import.fileTooLarge' }] }, { status: 400 })
    throw error
  }
  if (formData.get('intent') === 'import') {
    const submission = parseWithZod(formData, { schema: Upload })
    if (submission.status !== 'success') return Response.json({ importErrors: [{ key: 'import.fileRequired' }] }, { status: 400 })
    const file = submission.value.file
    const outcome = await importTeamResults(user, { filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }, clientIp(context))
    if (!outcome.ok) return Response.json({ importErrors: outcome.errors }, { status: 400 })
    return { imported: outcome.imported }
  }
  const grant = parseOr400(GrantForm, Object.fromEntries(formData))
  const outcome = await setContentReader(user, grant.userId, grant.intent === 'grant', clientIp(context))
  if (!outcome.ok) return Response.json({ grantError: outcome.error }, { status: 400 })
  return { granted: true }
}

type ActionResult = { importErrors?: MessageRef[]; imported?: number; grantError?: string; granted?: boolean }

export default function FollowUpAdmin() {
  const t = useT()
  const locale = useLocale()
  const data = useLoaderData<typeof loader>()
  const result = useActionData<ActionResult>()
  const navigation = useNavigation()
  const formatDate = useFormatDate()
  return (
    <div className="space-y-6">
      <h1>{t('followup.admin.title')}</h1>
      <p className="text-slate-700">{t('followup.admin.intro', { min: data.minRaters })}</p>
      <Form method="get" className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="department" className="label">
            {t('followup.admin.department')}
          </label>
          <select id="department" name="department" defaultValue={data.departmentId} className="input">
            <option value="">{t('followup.admin.allDepartments')}</option>
            <DepartmentOptions departments={data.departments} />
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          {t('followup.admin.filter')}
        </button>
      </Form>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="table text-sm" data-testid="measures-table">
          <thead>
            <tr>
              <th scope="col">{t('followup.admin.manager')}</th>
              <th scope="col">{t('followup.admin.completed')}</th>
              {(['coverage', 'adherence', 'confirmationRate', 'rating', 'teamResult'] as const).map((k) => (
                <th key={k} scope="col" className="text-right">
                  {t(`followup.measure.${k}`)} <span className="font-normal text-slate-600">{t('followup.admin.beforeAfter')}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.managers.map((m) => {
              const mean = (p: typeof m.before) => (p?.rating ? score(statements.reduce((a, s) => a + p.rating![s], 0) / statements.length, locale) : '—')
              // Before → after once the manager completed the course; until then the whole window.
              const pair = (a: string, b: string, overall: string) => (m.completedOn ? `${a} → ${b}` : overall)
              return (
                <tr key={m.managerId} data-manager={m.name}>
                  <th scope="row" className="font-medium">
                    {data.reader ? <Link to={`/admin/follow-up/${m.managerId}`}>{m.name}</Link> : m.name}{' '}
                    <Link
                      to={`?${new URLSearchParams({ ...(data.departmentId ? { department: data.departmentId } : {}), manager: m.managerId })}#manager-chart`}
                      className="text-sm font-normal"
                      aria-label={t('followup.admin.chartOf', { name: m.name })}
                    >
                      {t('followup.admin.chart')}
                    </Link>
                  </th>
                  <td className="whitespace-nowrap">{m.completedOn ? formatDate(m.completedOn) : '—'}</td>
                  <td className="text-right tabular-nums">
                    {pair(
                      percent(m.before?.coverage ?? null, locale),
                      percent(m.after?.coverage ?? null, locale),
                      percent(m.overall?.coverage ?? null, locale),
                    )}
                  </td>
                  <td className="text-right tabular-nums">
                    {pair(
                      percent(m.before?.adherence ?? null, locale),
                      percent(m.after?.adherence ?? null, locale),
                      percent(m.overall?.adherence ?? null, locale),
                    )}
                  </td>
                  <td className="text-right tabular-nums">
                    {pair(
                      percent(m.before?.confirmationRate ?? null, locale),
                      percent(m.after?.confirmationRate ?? null, locale),
                      percent(m.overall?.confirmationRate ?? null, locale),
                    )}
                  </td>
                  <td className="text-right tabular-nums">{pair(mean(m.before), mean(m.after), mean(m.overall))}</td>
                  <td className="text-right tabular-nums">
                    {pair(
                      m.before?.teamResult == null ? '—' : score(m.before.teamResult, locale),
                      m.after?.teamResult == null ? '—' : score(m.after.teamResult, locale),
                      m.overall?.teamResult == null ? '—' : score(m.overall.teamResult, locale),
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {data.chart ? (
        <section className="card space-y-3" aria-labelledby="manager-chart" data-testid="manager-chart">
          <h2 id="manager-chart">{t('followup.admin.chartOf', { name: data.chart.name })}</h2>
          <MeasuresChart months={data.chart.months} />
          <BeforeAfter before={data.chart.before} after={data.chart.after} completedOn={data.chart.completedOn} of="manager" />
          <MonthTable months={data.chart.months} />
        </section>
      ) : null}
      <section className="card space-y-3" aria-labelledby="results-import">
        <h2 id="results-import">{t('followup.import.title')}</h2>
        <p className="text-sm text-slate-700">{t('followup.import.intro')}</p>
        {result?.imported !== undefined ? (
          <p className="notice" role="status">
            {t('followup.import.done', { count: result.imported })}
          </p>
        ) : null}
        {result?.importErrors?.length ? (
          <ul className="alert" role="alert">
            {result.importErrors.map((e, i) => (
              <li key={i}>{t(e.key, e.vars)}</li>
            ))}
          </ul>
        ) : null}
        <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor="results-file" className="label">
              {t('followup.import.file')}
            </label>
            <input id="results-file" type="file" name="file" accept=".csv,.xlsx,text/csv" required className="block text-sm" />
          </div>
          <button type="submit" name="intent" value="import" className="btn-primary" disabled={navigation.state !== 'idle'}>
            {t('followup.import.submit')}
          </button>
        </Form>
      </section>
      <section className="card space-y-3" aria-labelledby="readers">
        <h2 id="readers">{t('followup.grants.title')}</h2>
        <p className="text-sm text-slate-700">{t('followup.grants.intro')}</p>
        {result?.grantError ? (
          <p className="alert" role="alert">
            {t(result.grantError)}
          </p>
        ) : null}
        <ul className="divide-y divide-slate-200">
          {data.readers.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                {r.name} <span className="text-sm text-slate-600">{r.email}</span>
              </span>
              {r.id === data.me ? (
                <span className="text-sm text-slate-600">{r.grantedAt ? t('followup.grants.granted') : t('followup.grants.notSelfShort')}</span>
              ) : (
                <Form method="post">
                  <input type="hidden" name="userId" value={r.id} />
                  <button type="submit" name="intent" value={r.grantedAt ? 'revoke' : 'grant'} className="btn-secondary">
                    {r.grantedAt ? t('followup.grants.revoke') : t('followup.grants.grant')}
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
