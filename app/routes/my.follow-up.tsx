import { pageTitle } from '~/components/admin/page-title'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { useFormatDate } from '~/components/courses/ui'
import { RouteErrorBoundary } from '~/components/route-error'
import { FieldErrors } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { checkInFieldNames, ConfirmForm, statementKeyPoint, statements, type Statement } from '~/modules/followup/followup'
import { confirmCheckIn, getMyFollowUp } from '~/modules/followup/employee.server'
import { readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.myFollowUp'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getMyFollowUp(user)
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await readForm(request), { schema: ConfirmForm })
  if (submission.status !== 'success') {
    return Response.json({ ok: false, checkInId: null, errors: submission.error ?? { form: ['errors.badRequest'] } }, { status: 400 })
  }
  const result = await confirmCheckIn(user, submission.value, new Date(), clientIp(context))
  if (!result.ok) {
    return Response.json({ ok: false, checkInId: submission.value.checkInId, errors: result.fieldErrors ?? { form: [result.error] } }, { status: 400 })
  }
  return { ok: true, checkInId: submission.value.checkInId, rated: result.rated, errors: {} }
}

type ActionResult = { ok: boolean; checkInId: string | null; rated?: boolean; errors: Record<string, string[] | null> }

export default function MyFollowUp() {
  const t = useT()
  const formatDate = useFormatDate()
  const { plans, checkIns } = useLoaderData<typeof loader>()
  const result = useActionData<ActionResult>()
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1>{t('followup.my.title')}</h1>
      <p className="text-slate-700">{t('followup.my.intro')}</p>
      {result?.ok ? (
        <p className="notice" role="status">
          {result.rated ? t('followup.my.thanksRated') : t('followup.my.thanks')}
        </p>
      ) : null}
      <section className="space-y-3" aria-labelledby="my-plans">
        <h2 id="my-plans">{t('followup.my.plans')}</h2>
        {plans.length === 0 ? <p className="text-slate-700">{t('followup.my.noPlan')}</p> : null}
        {plans.map((p) => (
          <div key={p.id} className="card space-y-1">
            <p className="font-medium">{t('followup.my.planWith', { name: p.managerName })}</p>
            <p className="text-sm text-slate-700">{t('followup.plan.summary', { days: p.frequencyDays, channel: t(`followup.channel.${p.channel}`) })}</p>
            {p.nextDueOn ? <p className="text-sm">{t('followup.my.next', { date: formatDate(p.nextDueOn) })}</p> : null}
            {p.notes ? <p className="whitespace-pre-line text-sm text-slate-700">{p.notes}</p> : null}
            <p className="text-sm">
              <Link to="/learn/employees-managing-up/check-in-prep-sheet">{t('followup.my.prepare')}</Link>
            </p>
          </div>
        ))}
      </section>
      <section className="space-y-3" aria-labelledby="my-check-ins">
        <h2 id="my-check-ins">{t('followup.my.checkIns')}</h2>
        {checkIns.length === 0 ? <p className="text-slate-700">{t('followup.history.empty')}</p> : null}
        <ul className="space-y-3">
          {[...checkIns.filter((c) => c.happened === null), ...checkIns.filter((c) => c.happened !== null)].map((c) => (
            <li key={c.id} className="card space-y-3" data-check-in={c.id}>
              <p className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{t('followup.my.checkInOn', { date: formatDate(c.heldOn), name: c.managerName })}</span>
                {c.happened === null ? null : c.happened ? (
                  <span className="badge bg-emerald-100 text-emerald-900">{t('followup.history.confirmed')}</span>
                ) : (
                  <span className="badge bg-amber-100 text-amber-900">{t('followup.history.disputed')}</span>
                )}
              </p>
              <details open={c.happened === null}>
                <summary className="cursor-pointer text-sm text-slate-700">{t('followup.my.details')}</summary>
                <dl className="mt-2 space-y-1 text-sm">
                  {checkInFieldNames.map((f) =>
                    c[f] ? (
                      <div key={f}>
                        <dt className="font-semibold text-slate-800">{t(`followup.field.${f}`)}</dt>
                        <dd className="whitespace-pre-line">{c[f]}</dd>
                      </div>
                    ) : null,
                  )}
                </dl>
              </details>
              {c.happened === null ? <ConfirmCheckIn checkInId={c.id} canRate={c.canRate} result={result?.checkInId === c.id ? result : undefined} /> : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  )
}

function ConfirmCheckIn({ checkInId, canRate, result }: { checkInId: string; canRate: boolean; result?: ActionResult }) {
  const t = useT()
  const navigation = useNavigation()
  const [happened, setHappened] = useState<'yes' | 'no' | null>(null)
  const errors = (result?.errors ?? {}) as Record<string, string[] | undefined>
  return (
    <Form method="post" className="space-y-3 border-t border-slate-200 pt-3" aria-label={t('followup.confirm.title')}>
      <input type="hidden" name="intent" value="confirm" />
      <input type="hidden" name="checkInId" value={checkInId} />
      <fieldset className="space-y-2">
        <legend className="font-semibold">{t('followup.confirm.question')}</legend>
        <div className="flex flex-wrap gap-4">
          {(['yes', 'no'] as const).map((v) => (
            <label key={v} className="inline-flex min-h-11 items-center gap-2">
              <input type="radio" name="happened" value={v} required onChange={() => setHappened(v)} />
              {t(`followup.confirm.${v}`)}
            </label>
          ))}
        </div>
        <FieldErrors errors={errors.happened} />
      </fieldset>
      {happened !== 'no' && canRate ? (
        <div className="space-y-3">
          <p className="text-sm text-slate-700">{t('followup.confirm.anonymous')}</p>
          {statements.map((s) => (
            <StatementRating key={s} statement={s} checkInId={checkInId} errors={errors[s]} />
          ))}
        </div>
      ) : null}
      {happened === 'yes' && !canRate ? <p className="text-sm text-slate-700">{t('followup.confirm.ratedThisMonth')}</p> : null}
      <FieldErrors errors={errors.form} />
      <button type="submit" className="btn-primary" disabled={navigation.state !== 'idle'}>
        {t('followup.confirm.submit')}
      </button>
    </Form>
  )
}

function StatementRating({ statement, checkInId, errors }: { statement: Statement; checkInId: string; errors?: string[] }) {
  const t = useT()
  const id = `${checkInId}-${statement}`
  return (
    <fieldset aria-invalid={errors ? true : undefined}>
      <legend className="text-sm font-medium">
        {t(`followup.statement.${statement}.long`)} <span className="text-slate-500">({t('followup.keyPoint', { n: statementKeyPoint[statement] })})</span>
      </legend>
      <div className="mt-1 grid grid-cols-5 gap-2">
        {[1, 2, 3, 4, 5].map((v) => (
          <div key={v}>
            <input type="radio" id={`${id}-${v}`} name={statement} value={v} className="peer sr-only" />
            <label
              htmlFor={`${id}-${v}`}
              className="flex min-h-11 cursor-pointer flex-col items-center justify-center rounded-md border border-slate-400 bg-white text-slate-800 hover:bg-slate-50 peer-checked:border-brand-700 peer-checked:bg-brand-700 peer-checked:text-white peer-focus-visible:outline-3 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-700"
            >
              <span className="font-semibold">{v}</span>
              <span className="text-[11px] leading-tight">{t(`followup.scale.${v}`)}</span>
            </label>
          </div>
        ))}
      </div>
      <FieldErrors errors={errors} />
    </fieldset>
  )
}

export const ErrorBoundary = RouteErrorBoundary
