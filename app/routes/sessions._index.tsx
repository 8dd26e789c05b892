import { pageTitle } from '~/components/admin/page-title'
import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { RouteErrorBoundary } from '~/components/route-error'
import { useSessionTime } from '~/components/sessions/badges'
import { FormErrors, TextField } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { appUrl } from '~/load-context'
import { can } from '~/modules/auth/permissions'
import { requireUser } from '~/modules/auth/session.server'
import { CohortForm } from '~/modules/sessions/sessions'
import { cancelCohort, createCohort, listCohorts, updateCohort } from '~/modules/sessions/cohorts.server'
import { listSessions } from '~/modules/sessions/sessions.server'
import { readForm, requireValid } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.sessions'))

const When = z.enum(['upcoming', 'past']).catch('upcoming')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const when = When.parse(new URL(request.url).searchParams.get('when') ?? undefined)
  const [sessions, cohorts] = await Promise.all([listSessions(user, { when }), listCohorts(user)])
  return {
    when,
    sessions,
    cohorts,
    canSchedule: can(user, 'manage:sessions:own'),
    canManageCohorts: can(user, 'manage:cohorts:all'),
    canCancelCohorts: can(user, 'manage:sessions:all'),
  }
}

const CreateCohort = CohortForm.extend({ intent: z.literal('create-cohort') })
const CancelCohort = z.object({ intent: z.literal('cancel-cohort'), cohortId: z.string().uuid() })
const RenameCohort = CohortForm.extend({ intent: z.literal('rename-cohort'), cohortId: z.string().uuid() })

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readForm(request)
  if (formData.get('intent') === 'cancel-cohort') {
    const { cohortId } = await requireValid(formData, CancelCohort)
    const result = await cancelCohort(user, cohortId, { origin: appUrl() })
    return { result: null, cancelled: result.cancelledSessions, created: null }
  }
  if (formData.get('intent') === 'rename-cohort') {
    const parsed = RenameCohort.safeParse(Object.fromEntries(formData))
    if (!parsed.success) return { result: null, cancelled: null, created: null, renameError: parsed.error.issues[0].message }
    await updateCohort(user, parsed.data.cohortId, parsed.data)
    return { result: null, cancelled: null, created: null }
  }
  const submission = parseWithZod(formData, { schema: CreateCohort })
  if (submission.status !== 'success') return { result: submission.reply(), cancelled: null, created: null }
  const cohort = await createCohort(user, submission.value)
  return { result: submission.reply({ resetForm: true }), cancelled: null, created: cohort.name }
}

export default function Sessions() {
  const t = useT()
  const sessionTime = useSessionTime()
  const { when, sessions, cohorts, canSchedule, canManageCohorts, canCancelCohorts } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const [params] = useSearchParams()
  const [form, fields] = useForm({
    id: 'create-cohort',
    lastResult: data?.result,
    constraint: getZodConstraint(CohortForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateCohort }),
    shouldValidate: 'onBlur',
  })
  const tab = (value: 'upcoming' | 'past') => {
    const next = new URLSearchParams(params)
    next.set('when', value)
    return `?${next}`
  }
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="mr-auto">{t('sessions.title')}</h1>
        {canSchedule ? (
          <Link to="/sessions/new" className="btn-primary">
            {t('sessions.schedule')}
          </Link>
        ) : null}
      </div>
      <nav aria-label={t('sessions.title')} className="flex gap-2">
        {(['upcoming', 'past'] as const).map((value) => (
          <Link
            key={value}
            to={tab(value)}
            aria-current={when === value ? 'page' : undefined}
            className={`rounded-md px-3 py-2 text-sm no-underline ${when === value ? 'bg-brand-50 font-semibold text-brand-800' : 'text-slate-700 hover:bg-slate-100'}`}
          >
            {t(`sessions.when.${value}`)}
          </Link>
        ))}
      </nav>
      {sessions.length === 0 ? (
        <p className="text-slate-700">{t('sessions.empty')}</p>
      ) : (
        <ul className="space-y-3">
          {sessions.map((s) => (
            <li key={s.id} className="card !p-4">
              <div className="flex flex-wrap items-baseline gap-2">
                <Link to={`/sessions/${s.id}`} className="text-lg font-semibold">
                  {s.title}
                </Link>
                {s.status === 'cancelled' ? <span className="badge bg-red-100 text-red-900">{t('sessions.cancelled')}</span> : null}
                {s.cohortName ? <span className="badge">{s.cohortName}</span> : null}
              </div>
              <p className="text-sm text-slate-700" suppressHydrationWarning>
                {sessionTime(s)}
              </p>
              <p className="text-sm text-slate-700">{[s.place, s.onlineUrl].filter(Boolean).join(' · ')}</p>
              <p className="mt-1 text-sm text-slate-600">
                {t('sessions.counts', {
                  accepted: s.accepted,
                  capacity: s.capacity ?? '∞',
                  invited: s.invited,
                  waitlisted: s.waitlisted,
                  declined: s.declined,
                })}
              </p>
            </li>
          ))}
        </ul>
      )}
      <section className="card space-y-3" aria-labelledby="cohorts">
        <h2 id="cohorts">{t('sessions.cohorts')}</h2>
        <p className="text-sm text-slate-700">{t('sessions.cohortsIntro')}</p>
        {data?.created ? (
          <p className="notice" role="status">
            {t('sessions.cohortCreated', { name: data.created })}
          </p>
        ) : null}
        {data?.cancelled !== null && data?.cancelled !== undefined ? (
          <p className="notice" role="status">
            {t('sessions.cohortCancelled', { count: data.cancelled })}
          </p>
        ) : null}
        {data && 'renameError' in data && data.renameError ? <FormErrors errors={[data.renameError]} /> : null}
        {cohorts.length ? (
          <ul className="divide-y divide-slate-200">
            {cohorts.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
                <span className="font-medium">{c.name}</span>
                {c.programme ? <span className="text-slate-600">{c.programme}</span> : null}
                <span className="text-slate-600">{t('sessions.cohortSessions', { count: c.sessions })}</span>
                {c.cancelledAt ? <span className="badge bg-red-100 text-red-900">{t('sessions.cancelled')}</span> : null}
                {canManageCohorts && !c.cancelledAt ? (
                  <details className="ml-auto">
                    <summary className="cursor-pointer text-brand-700">{t('common.edit')}</summary>
                    <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
                      <input type="hidden" name="intent" value="rename-cohort" />
                      <input type="hidden" name="cohortId" value={c.id} />
                      <label className="text-sm">
                        <span className="label">{t('sessions.cohortName')}</span>
                        <input name="name" defaultValue={c.name} required maxLength={200} className="input" />
                      </label>
                      <label className="text-sm">
                        <span className="label">{t('sessions.cohortProgramme')}</span>
                        <input name="programme" defaultValue={c.programme ?? ''} maxLength={200} className="input" />
                      </label>
                      <button type="submit" className="btn-secondary">
                        {t('common.save')}
                      </button>
                    </Form>
                  </details>
                ) : null}
                {canCancelCohorts && !c.cancelledAt ? (
                  <Form method="post">
                    <input type="hidden" name="cohortId" value={c.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="cancel-cohort"
                      className="btn-secondary min-h-9 px-3 py-1"
                      onClick={(e) => {
                        if (!confirm(t('sessions.cancelCohortConfirm', { name: c.name }))) e.preventDefault()
                      }}
                    >
                      {t('sessions.cancelCohort')}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        {canManageCohorts ? (
          <Form method="post" {...getFormProps(form)} className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
            <input type="hidden" name="intent" value="create-cohort" />
            <TextField field={fields.name} label={t('sessions.cohortName')} placeholder={t('sessions.cohortNameExample')} />
            <TextField field={fields.programme} label={t('sessions.cohortProgramme')} />
            <button type="submit" className="btn-secondary">
              {t('sessions.addCohort')}
            </button>
          </Form>
        ) : null}
      </section>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
