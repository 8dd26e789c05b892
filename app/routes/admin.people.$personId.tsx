import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { z } from 'zod'
import { pageTitle } from '~/components/admin/page-title'
import { PersonFields } from '~/components/admin/person-fields'
import { RouteErrorBoundary } from '~/components/route-error'
import { FormErrors } from '~/components/ui/field'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'
import { appUrl, clientIp } from '~/load-context'
import { env } from '~/env.server'
import { requireUser } from '~/modules/auth/session.server'
import { PersonForm } from '~/modules/org/org'
import { getPerson, listPickerOptions, resendInvitation, setPersonActive, updatePerson } from '~/modules/org/people.server'
import { pick } from '~/modules/courses/courses'
import { grantQuizAttempt, listPersonQuizzes } from '~/modules/courses/quiz-grants.server'
import { param, readForm, requireValid } from '~/shared/forms'
import { uuid } from '~/shared/validation'

export const meta: MetaFunction<typeof loader> = ({ data: loaded, matches }) =>
  pageTitle(matches, (t) => (loaded ? t('people.edit', { name: loaded.person.name }) : t('people.title')))

const notices = ['saved', 'invited', 'resent', 'deactivated', 'reactivated', 'granted'] as const
type Notice = (typeof notices)[number]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const person = await getPerson(user, param(params, 'personId'))
  const options = await listPickerOptions(user)
  const quizzes = await listPersonQuizzes(user, person.id)
  const url = new URL(request.url)
  // The notice names the person from the database, never text from the URL.
  const notice = notices.find((n) => url.searchParams.has(n)) ?? null
  return {
    person,
    options,
    quizzes,
    notice,
    confirmDeactivate: url.searchParams.get('confirm') === 'deactivate',
    isSelf: person.id === user.id,
    lecturerAccessDays: env().LECTURER_ACCESS_DAYS,
    accessEnded: Boolean(person.accessEndsAt && person.accessEndsAt.getTime() <= Date.now()),
  }
}

const SaveForm = PersonForm.extend({ intent: z.literal('save') })
const Intent = z.enum(['save', 'deactivate', 'reactivate', 'resend-invitation', 'grant-attempt'])

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const id = param(params, 'personId')
  const ip = clientIp(context)
  const formData = await readForm(request)
  const { intent } = await requireValid(formData, z.object({ intent: Intent }))
  const here = `/admin/people/${id}`

  if (intent === 'deactivate' || intent === 'reactivate') {
    const outcome = await setPersonActive(user, id, intent === 'reactivate', ip)
    if (!outcome.ok) return data({ result: undefined, statusError: outcome.error }, { status: 400 })
    throw redirect(`${here}?${intent}d=1`)
  }
  if (intent === 'grant-attempt') {
    const { moduleId } = await requireValid(formData, z.object({ moduleId: uuid }))
    const outcome = await grantQuizAttempt(user, id, moduleId, ip)
    if (!outcome.ok) return data({ result: undefined, statusError: outcome.error }, { status: 400 })
    throw redirect(`${here}?granted=1`)
  }
  if (intent === 'resend-invitation') {
    await resendInvitation(user, id, appUrl(), ip)
    throw redirect(`${here}?resent=1`)
  }

  const submission = parseWithZod(formData, { schema: SaveForm })
  if (submission.status !== 'success') return data({ result: submission.reply(), statusError: undefined }, { status: 400 })
  const { intent: _save, ...input } = submission.value
  const outcome = await updatePerson(user, id, input, ip)
  if (!outcome.ok) {
    const fieldErrors = Object.fromEntries(Object.entries(outcome.errors).map(([field, key]) => [field, [key]]))
    return data({ result: submission.reply({ fieldErrors }), statusError: undefined }, { status: 400 })
  }
  throw redirect(`${here}?saved=1`)
}

function NoticeText({ notice, person }: { notice: Notice; person: { name: string; email: string } }) {
  const t = useT()
  const text = {
    saved: t('admin.people.saved', { name: person.name }),
    invited: t('people.invited', { email: person.email }),
    resent: t('admin.people.resent', { email: person.email }),
    deactivated: t('people.deactivated', { name: person.name }),
    reactivated: t('people.reactivated', { name: person.name }),
    granted: t('people.quizzes.granted', { name: person.name }),
  }[notice]
  return (
    <p className="notice" role="status">
      {text}
    </p>
  )
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>

function ProfileForm({ person, options }: Pick<Loaded, 'person' | 'options'>) {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: `person-${person.id}`,
    lastResult: navigation.state === 'idle' ? actionData?.result : undefined,
    defaultValue: savedValues(person),
    constraint: getZodConstraint(PersonForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SaveForm }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const hasErrors = Boolean(actionData?.result?.error && Object.values(actionData.result.error).some((e) => e?.length))
  return (
    <section className="card space-y-4" aria-labelledby="profile-heading">
      <h2 id="profile-heading">{t('admin.people.profile')}</h2>
      {hasErrors ? <FormErrors errors={['admin.people.fixErrors', ...(form.errors ?? [])]} /> : null}
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <input type="hidden" name="intent" value="save" />
        <PersonFields
          fields={fields}
          options={options}
          personId={person.id}
          currentManager={person.managerId ? { id: person.managerId, name: person.managerName ?? '' } : null}
        />
        <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
          {t('common.save')}
        </button>
      </Form>
    </section>
  )
}

function savedValues(person: Loaded['person']) {
  return {
    name: person.name,
    email: person.email,
    employeeNumber: person.employeeNumber ?? '',
    departmentId: person.departmentId ?? '',
    managerId: person.managerId ?? '',
    locale: person.locale ?? '',
    roles: person.roles,
  }
}

export default function PersonDetail() {
  const t = useT()
  const { person, options, quizzes, notice, confirmDeactivate, isSelf, lecturerAccessDays, accessEnded } = useLoaderData<typeof loader>()
  const formatDateTime = useFormatDateTime()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const confirmRef = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (confirmDeactivate) confirmRef.current?.focus()
  }, [confirmDeactivate])

  return (
    <div className="space-y-4">
      <p>
        <Link to="/admin/people" className="text-sm">
          ← {t('admin.people.backToList')}
        </Link>
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-2">{person.name}</h1>
        {person.active ? null : <span className="badge bg-slate-300 text-slate-900">{t('common.inactive')}</span>}
        {!person.hasPassword && person.active ? <span className="badge bg-amber-100 text-amber-900">{t('people.pendingInvite')}</span> : null}
        {isSelf ? <span className="text-sm text-slate-600">{t('admin.you')}</span> : null}
      </div>
      {notice ? <NoticeText notice={notice} person={person} /> : null}

      <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
        {/* Remounted when the saved values change, so the form shows them as stored (e.g. the email lower-cased). */}
        <ProfileForm key={JSON.stringify(savedValues(person))} person={person} options={options} />

        <div className="space-y-4">
          <section className="card space-y-3" aria-labelledby="account-heading">
            <h2 id="account-heading">{t('admin.people.account')}</h2>
            <p className="text-sm text-slate-700">{person.active ? t('admin.people.activeNote') : t('admin.people.deactivatedNote')}</p>
            {person.accessEndsAt ? (
              <p className={accessEnded ? 'alert' : 'text-sm text-slate-700'} suppressHydrationWarning>
                {accessEnded
                  ? t('briefings.person.accessEnded', { date: formatDateTime(person.accessEndsAt) })
                  : t('briefings.person.accessUntil', { date: formatDateTime(person.accessEndsAt), days: lecturerAccessDays })}
              </p>
            ) : null}
            {actionData?.statusError ? <FormErrors errors={[actionData.statusError]} /> : null}

            {person.active && !person.hasPassword ? (
              <div className="space-y-2">
                <p className="text-sm text-slate-700">{t('admin.people.pendingNote')}</p>
                <Form method="post">
                  <button type="submit" name="intent" value="resend-invitation" className="btn-secondary" disabled={busy}>
                    {t('people.resendInvite')}
                  </button>
                </Form>
              </div>
            ) : null}

            {!person.active ? (
              <Form method="post">
                <button type="submit" name="intent" value="reactivate" className="btn-primary" disabled={busy}>
                  {t('people.reactivate')}
                </button>
              </Form>
            ) : isSelf ? (
              <p className="text-sm text-slate-600">{t('people.cannotDeactivateSelf')}</p>
            ) : confirmDeactivate ? (
              <section className="space-y-3 rounded-md border border-red-200 bg-red-50 p-3" aria-labelledby="deactivate-heading">
                <h3 id="deactivate-heading" ref={confirmRef} tabIndex={-1} className="font-semibold text-red-900 focus:outline-none">
                  {t('people.deactivateConfirm', { name: person.name })}
                </h3>
                <p className="text-sm text-red-900">{t('admin.people.deactivateIntro')}</p>
                <div className="flex flex-wrap gap-2">
                  <Form method="post">
                    <button type="submit" name="intent" value="deactivate" className="btn-danger" disabled={busy}>
                      {t('admin.people.deactivateYes')}
                    </button>
                  </Form>
                  <Link to={`/admin/people/${person.id}`} className="btn-secondary" preventScrollReset>
                    {t('common.cancel')}
                  </Link>
                </div>
              </section>
            ) : (
              // Only asks: the change itself is the POST in the confirmation step.
              <Link to="?confirm=deactivate" className="btn-secondary !text-red-800" preventScrollReset>
                {t('admin.people.deactivateAsk')}
              </Link>
            )}
          </section>

          <QuizAttempts quizzes={quizzes} busy={busy} />

          <section className="card space-y-2" aria-labelledby="reports-heading">
            <h2 id="reports-heading">{t('people.reports')}</h2>
            {person.reports.length === 0 ? (
              <p className="text-sm text-slate-700">{t('admin.people.noReports')}</p>
            ) : (
              <ul className="divide-y divide-slate-200">
                {person.reports.map((r) => (
                  <li key={r.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
                    <Link to={`/admin/people/${r.id}`}>{r.name}</Link>
                    {r.active ? null : <span className="badge bg-slate-300 text-slate-900">{t('common.inactive')}</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </div>
  )
}

/** The person's quizzes: attempts used of allowed, extra attempts HR granted, and a grant when all are used. */
function QuizAttempts({ quizzes, busy }: { quizzes: Loaded['quizzes']; busy: boolean }) {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  return (
    <section className="card space-y-2" aria-labelledby="quizzes-heading">
      <h2 id="quizzes-heading">{t('people.quizzes.title')}</h2>
      {quizzes.length === 0 ? (
        <p className="text-sm text-slate-700">{t('people.quizzes.none')}</p>
      ) : (
        <ul className="divide-y divide-slate-200">
          {quizzes.map((q) => (
            <li key={q.moduleId} className="space-y-1 py-2 text-sm">
              <p className="font-medium">
                {pick(q.quizTitle, locale)} <span className="font-normal text-slate-600">· {pick(q.courseTitle, locale)}</span>
              </p>
              <p>
                {q.maxAttempts === 0
                  ? t('people.quizzes.usedUnlimited', { used: q.used })
                  : t('people.quizzes.used', { used: q.used, allowed: q.maxAttempts + q.granted })}
                {q.bestScore !== null ? ` · ${t('people.quizzes.best', { score: q.bestScore })}` : ''}
                {' · '}
                {q.passed ? t('people.quizzes.passed') : q.exhausted ? t('people.quizzes.exhausted') : t('people.quizzes.open')}
              </p>
              {q.granted > 0 && q.lastGrant ? (
                <p className="text-slate-700" suppressHydrationWarning>
                  {t('people.quizzes.grantedBy', { count: q.granted, name: q.lastGrant.by, date: formatDateTime(q.lastGrant.at) })}
                </p>
              ) : null}
              {q.exhausted ? (
                <Form method="post">
                  <input type="hidden" name="moduleId" value={q.moduleId} />
                  <button type="submit" name="intent" value="grant-attempt" className="btn-secondary" disabled={busy}>
                    {t('people.quizzes.grant')}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

export const ErrorBoundary = RouteErrorBoundary
