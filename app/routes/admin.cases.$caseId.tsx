import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { CaseText } from '~/components/cases/case-parts'
import { RouteErrorBoundary } from '~/components/route-error'
import { FieldErrors } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { CaseForm, caseFunctions } from '~/modules/assignments/cases'
import { getCase, saveCase } from '~/modules/assignments/case-library.server'
import { assertCan } from '~/modules/auth/authorize.server'
import { can } from '~/modules/auth/permissions'
import { requireUser } from '~/modules/auth/session.server'
import { param, readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.case'))

/** `/admin/cases/new` writes a new case (HR); `/admin/cases/:id` shows one (HR and trainers) and HR edits it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const caseId = param(params, 'caseId')
  if (caseId === 'new') {
    await assertCan(user, 'manage:cases:all')
    return { theCase: null, canEdit: true }
  }
  return { theCase: await getCase(user, caseId), canEdit: can(user, 'manage:cases:all') }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:cases:all')
  const submission = parseWithZod(await readForm(request), { schema: CaseForm })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const caseId = param(params, 'caseId') === 'new' ? null : param(params, 'caseId')
  const r = await saveCase(user, caseId, submission.value)
  if (!r.ok) return data({ result: submission.reply({ fieldErrors: r.errors }) }, { status: 400 })
  return redirect(`/admin/cases/${r.caseId}`)
}

export default function CaseEditor() {
  const t = useT()
  const { theCase, canEdit } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CaseForm }),
    shouldValidate: 'onBlur',
    defaultValue: theCase
      ? {
          function: theCase.function,
          titleEn: theCase.title.en,
          titleZh: theCase.title['zh-CN'],
          narrativeEn: theCase.narrative.en,
          narrativeZh: theCase.narrative['zh-CN'],
          questionsEn: theCase.questions.map((q) => q.en).join('\n'),
          questionsZh: theCase.questions.map((q) => q['zh-CN']).join('\n'),
          notesEn: theCase.trainerNotes.en,
          notesZh: theCase.trainerNotes['zh-CN'],
        }
      : { function: 'other' },
  })
  const text = (name: 'titleEn' | 'titleZh', label: string) => (
    <div>
      <label className="label" htmlFor={fields[name].id}>
        {label}
      </label>
      <input {...getInputProps(fields[name], { type: 'text' })} className="input" />
      <FieldErrors id={fields[name].errorId} errors={fields[name].errors} />
    </div>
  )
  const area = (name: 'narrativeEn' | 'narrativeZh' | 'questionsEn' | 'questionsZh' | 'notesEn' | 'notesZh', label: string, rows: number) => (
    <div>
      <label className="label" htmlFor={fields[name].id}>
        {label}
      </label>
      <textarea {...getTextareaProps(fields[name])} rows={rows} className="input" />
      <FieldErrors id={fields[name].errorId} errors={fields[name].errors} />
    </div>
  )
  const chosen = new Set((theCase?.keyPoints ?? []).map(String))
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <p>
        <Link to="/admin/cases">← {t('cases.library.title')}</Link>
      </p>
      {theCase ? <CaseText theCase={theCase} /> : null}
      {canEdit ? (
        <Form method="post" {...getFormProps(form)} className="card space-y-3">
          <input type="hidden" name="intent" value="save" />
          <h2>{theCase ? t('cases.editor.edit') : t('cases.library.new')}</h2>
          <div>
            <label className="label" htmlFor={fields.function.id}>
              {t('cases.editor.function')}
            </label>
            <select id={fields.function.id} name={fields.function.name} defaultValue={fields.function.initialValue as string} className="input">
              {caseFunctions.map((f) => (
                <option key={f} value={f}>
                  {t(`cases.function.${f}`)}
                </option>
              ))}
            </select>
          </div>
          <fieldset>
            <legend className="label">{t('cases.editor.keyPoints')}</legend>
            <div className="flex flex-wrap gap-3">
              {Array.from({ length: 10 }, (_, i) => String(i + 1)).map((n) => (
                <label key={n} className="flex items-center gap-1">
                  <input type="checkbox" name="keyPoints" value={n} defaultChecked={chosen.has(n)} /> {n}
                </label>
              ))}
            </div>
            <FieldErrors errors={fields.keyPoints.errors} />
          </fieldset>
          <div className="grid gap-3 md:grid-cols-2">
            {text('titleZh', t('cases.editor.titleZh'))}
            {text('titleEn', t('cases.editor.titleEn'))}
            {area('narrativeZh', t('cases.editor.narrativeZh'), 10)}
            {area('narrativeEn', t('cases.editor.narrativeEn'), 10)}
            {area('questionsZh', t('cases.editor.questionsZh'), 4)}
            {area('questionsEn', t('cases.editor.questionsEn'), 4)}
            {area('notesZh', t('cases.editor.notesZh'), 5)}
            {area('notesEn', t('cases.editor.notesEn'), 5)}
          </div>
          <p className="text-xs text-slate-600">{t('cases.editor.help')}</p>
          <button type="submit" className="btn-primary">
            {t('common.save')}
          </button>
        </Form>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
