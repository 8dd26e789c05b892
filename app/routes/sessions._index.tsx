import { pageTitle } from '~/components/admin/page-title'
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { RouteErrorBoundary } from '~/components/route-error'
import { useSessionTime } from '~/components/sessions/badges'
import { TextField } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { appUrl } from '~/load-context'
import { can } from '~/modules/auth/permissions'
import { requireUser } from '~/modules/auth/session.server'
import { CohortForm } from '~/modules/sessions/sessions'
import { cancelCohort, createCohort, listCohorts, updateCohort } from '~/modules/sessions/cohorts.server'
import { listSessions } from '~/modules/sessions/sessions.server'
import { parseOr400, readForm, requireValid } from '~/shared/forms'

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

const CohortId = z.object({ cohortId: z.string().uuid() })

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readForm(request)
  if (formData.get('intent') === 'cancel-cohort') {
    const { cohortId } = await requireValid(formData, CancelCohort)
    const result = await cancelCohort(user, cohortId, { origin: appUrl() })
    return { intent: 'cancel-cohort' as const, cohortId, result: null, cancelled: result.cancelledSessions, created: null }
  }
  if (formData.get('intent') === 'rename-cohort') {
    // The cohort is a hidden field: only a tampered form gets it wrong (400); the name and programme are field errors.
    const { cohortId } = parseOr400(CohortId, { cohortId: formData.get('cohortId') })
    const submission = parseWithZod(formData, { schema: RenameCohort })
    if (submission.status !== 'success')
      return data({ intent: 'rename-cohort' as const, cohortId, result: submission.reply(), cancelled: null, created: null }, { status: 400 })
    await updateCohort(user, cohortId, submission.value)
    return { intent: 'rename-cohort' as const, cohortId, result: submission.reply(), cancelled: null, created: null }
  }
  const submission = parseWithZod(formData, { schema: CreateCohort })
  if (submission.status !== 'success')
    return data({ intent: 'create-cohort' as const, cohortId: null, result: submission.reply(), cancelled: null, created: null }, { status: 400 })
  const cohort = await createCohort(user, submission.value)
  return { intent: 'create-cohort' as const, cohortId: cohort.id, result: submission.reply({ resetForm: true }), cancelled: null, created: cohort.name }
}

/** One cohort's rename form: its own conform form, so its field errors and what was typed stay with it. */
function RenameCohortForm({ cohort, lastResult }: { cohort: { id: string; name: string; programme: string | null }; lastResult?: SubmissionResult<string[]> }) {
  const t = useT()
  const [form, fields] = useForm({
    id: `rename-cohort-${cohort.id}`,
    lastResult,
    defaultValue: { name: cohort.name, programme: cohort.programme ?? '' },
    constraint: getZodConstraint(CohortForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RenameCohort }),
    shouldValidate: 'onBlur',
  })
  return (
    // Open while it has errors, so they are seen (also when the page came back without JavaScript).
    <details className="ml-auto" open={form.valid ? undefined : true}>
      <summary className="cursor-pointer text-brand-700">{t('common.edit')}</summary>
      <Form method="post" {...getFormProps(form)} className="mt-2 flex flex-wrap items-start gap-2">
        <input type="hidden" name="intent" value="rename-cohort" />
        <input type="hidden" name="cohortId" value={cohort.id} />
        <TextField field={fields.name} label={t('sessions.cohortName')} />
        <TextField field={fields.programme} label={t('sessions.cohortProgramme')} />
        <button type="submit" className="btn-secondary mt-6">
          {t('common.save')}
        </button>
      </Form>
    </details>
  )
}

export default function Sessions() {
  const t = useT()
  const sessionTime = useSessionTime()
  const { when, sessions, cohorts, canSchedule, canManageCohorts, canCancelCohorts } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [params] = useSearchParams()
  const [form, fields] = useForm({
    id: 'create-cohort',
    lastResult: actionData?.intent === 'create-cohort' ? actionData.result : undefined,
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
        {actionData?.created ? (
          <p className="notice" role="status">
            {t('sessions.cohortCreated', { name: actionData.created })}
          </p>
        ) : null}
        {actionData?.cancelled !== null && actionData?.cancelled !== undefined ? (
          <p className="notice" role="status">
            {t('sessions.cohortCancelled', { count: actionData.cancelled })}
          </p>
        ) : null}
        {cohorts.length ? (
          <ul className="divide-y divide-slate-200">
            {cohorts.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
                <span className="font-medium">{c.name}</span>
                {c.programme ? <span className="text-slate-600">{c.programme}</span> : null}
                <span className="text-slate-600">{t('sessions.cohortSessions', { count: c.sessions })}</span>
                {c.cancelledAt ? <span className="badge bg-red-100 text-red-900">{t('sessions.cancelled')}</span> : null}
                {canManageCohorts && !c.cancelledAt ? (
                  // Keyed by the saved values: after a rename the form starts again from them.
                  <RenameCohortForm
                    key={`${c.id}:${c.name}:${c.programme ?? ''}`}
                    cohort={c}
                    lastResult={actionData?.intent === 'rename-cohort' && actionData.cohortId === c.id ? actionData.result : undefined}
                  />
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
