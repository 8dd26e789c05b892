import { getFormProps, getInputProps, getTextareaProps, useForm, type FieldMetadata } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { useSessionTime } from '~/components/sessions/badges'
import { FieldErrors, FormErrors } from '~/components/ui/field'
import { useLocale, useT, useFormatList } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { ratingValues, surveyQuestions, SurveyForm, type SurveyQuestion } from '~/modules/surveys/surveys'
import { getSurvey, submitSurveyResponse } from '~/modules/surveys/surveys.server'
import { param, readForm } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.session.title ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getSurvey(user, param(params, 'sessionId'))
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await readForm(request), { schema: SurveyForm })
  if (submission.status !== 'success') return { result: submission.reply() }
  const result = await submitSurveyResponse(user, param(params, 'sessionId'), submission.value)
  if (!result.ok) return { result: submission.reply({ formErrors: [result.error] }) }
  return { result: submission.reply({ resetForm: true }), sent: true }
}

function RatingGroup({ question, field }: { question: SurveyQuestion; field: FieldMetadata<number> }) {
  const t = useT()
  const legendId = `${field.id}-legend`
  return (
    <fieldset aria-describedby={field.errors ? field.errorId : undefined} aria-invalid={field.errors ? true : undefined}>
      <legend id={legendId} className="text-base font-semibold text-slate-900">
        {t(`surveys.question.${question}`)}
      </legend>
      <div className="mt-2 grid grid-cols-5 gap-2">
        {ratingValues.map((value) => {
          const id = `${field.id}-${value}`
          return (
            <div key={value}>
              <input
                type="radio"
                id={id}
                name={field.name}
                value={value}
                defaultChecked={field.initialValue === String(value)}
                className="peer sr-only"
                required
              />
              <label
                htmlFor={id}
                className="flex min-h-14 cursor-pointer flex-col items-center justify-center rounded-md border border-slate-400 bg-white px-1 py-1 text-slate-800 hover:bg-slate-50 peer-checked:border-brand-700 peer-checked:bg-brand-700 peer-checked:text-white peer-focus-visible:outline-3 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-700"
              >
                <span className="text-lg font-semibold leading-tight">{value}</span>
                <span className="text-center text-[11px] leading-tight">{t(`surveys.rating.${value}`)}</span>
              </label>
            </div>
          )
        })}
      </div>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </fieldset>
  )
}

export default function SurveyPage() {
  const t = useT()
  const formatList = useFormatList()
  const locale = useLocale()
  const sessionTime = useSessionTime()
  const { session, trainers, state, closesAt } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'survey',
    lastResult: data?.result,
    constraint: getZodConstraint(SurveyForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SurveyForm }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const closes = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: session.timeZone }).format(new Date(closesAt))
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <p>
        <Link to="/my/sessions">← {t('surveys.backToMySessions')}</Link>
      </p>
      <div>
        <h1>{t('surveys.title')}</h1>
        <p className="mt-1 font-medium text-slate-900">{session.title}</p>
        <p className="text-sm text-slate-700" suppressHydrationWarning>
          {sessionTime(session)}
        </p>
        {trainers.length ? <p className="text-sm text-slate-700">{t('surveys.trainers', { names: formatList(trainers) })}</p> : null}
      </div>
      {data && 'sent' in data && data.sent ? (
        <p className="notice" role="status">
          {t('surveys.thanks')}
        </p>
      ) : state === 'answered' ? (
        <p className="notice" role="status">
          {t('surveys.alreadyAnswered')}
        </p>
      ) : state === 'not_open' ? (
        <p className="notice">{t('surveys.notOpenYet')}</p>
      ) : state === 'closed' ? (
        <p className="notice">{t('surveys.closedMessage')}</p>
      ) : (
        <Form method="post" {...getFormProps(form)} className="card space-y-6">
          <p className="text-sm text-slate-700">
            {t('surveys.intro')} <span className="whitespace-nowrap">{t('surveys.closesAt', { date: closes })}</span>
          </p>
          <p className="text-sm text-slate-600">{t('surveys.scale')}</p>
          <FormErrors errors={form.errors} />
          {surveyQuestions.map((q) => (
            <RatingGroup key={q} question={q} field={fields[q]} />
          ))}
          <div>
            <label htmlFor={fields.comment.id} className="label">
              {t('surveys.comment')}
            </label>
            <textarea
              {...getTextareaProps(fields.comment, { ariaDescribedBy: `${fields.comment.id}-hint` })}
              key={fields.comment.key}
              rows={4}
              className="input"
            />
            <p id={`${fields.comment.id}-hint`} className="mt-1 text-xs text-slate-600">
              {t('surveys.commentHint')}
            </p>
            <FieldErrors id={fields.comment.errorId} errors={fields.comment.errors} />
          </div>
          <div className="flex items-start gap-3">
            <input
              {...getInputProps(fields.anonymous, { type: 'checkbox', ariaDescribedBy: `${fields.anonymous.id}-hint` })}
              key={fields.anonymous.key}
              className="mt-1 size-5"
            />
            <div>
              <label htmlFor={fields.anonymous.id} className="font-medium text-slate-900">
                {t('surveys.anonymous')}
              </label>
              <p id={`${fields.anonymous.id}-hint`} className="text-xs text-slate-600">
                {t('surveys.anonymousHint')}
              </p>
            </div>
          </div>
          <button type="submit" className="btn-primary w-full sm:w-auto" disabled={navigation.state === 'submitting'}>
            {t('surveys.submit')}
          </button>
        </Form>
      )}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
