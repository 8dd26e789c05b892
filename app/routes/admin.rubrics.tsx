import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { RubricCriteria } from '~/components/cases/rubric-editor'
import { RouteErrorBoundary } from '~/components/route-error'
import { FieldErrors, FormErrors } from '~/components/ui/field'
import { useLocale, useT } from '~/i18n/use-t'
import { createRubric, listRubrics, updateRubric } from '~/modules/assignments/case-library.server'
import { newCriterion, rubricFromForm, rubricToForm, RubricEditorForm, type RubricEditorValue } from '~/modules/assignments/rubric-editor'
import { assertCan } from '~/modules/auth/authorize.server'
import { can } from '~/modules/auth/permissions'
import { requireUser } from '~/modules/auth/session.server'
import { readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.rubrics'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const rubrics = await listRubrics(user)
  const canEdit = can(user, 'manage:cases:all')
  // ?edit=<id> opens that rubric in the editor; anything else opens a new one.
  const editId = new URL(request.url).searchParams.get('edit')
  const editing = canEdit ? (rubrics.find((r) => r.id === editId) ?? null) : null
  const copied = new URL(request.url).searchParams.has('copied')
  return { rubrics, canEdit, editing: editing ? rubricToForm(editing) : null, copied }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:cases:all')
  const formData = await readForm(request)
  const submission = parseWithZod(formData, { schema: RubricEditorForm })
  // An add/remove/move button without JavaScript: answer with the changed form (not an error).
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: formData.has('__intent__') ? 200 : 400 })
  const input = rubricFromForm(submission.value)
  if (submission.value.rubricId && submission.value.saveAs === 'new') {
    // A copy with HR's changes; the original (and the grades made with it) stays as it was.
    const { id } = await createRubric(user, input)
    return redirect(`/admin/rubrics?edit=${id}&copied`)
  }
  if (submission.value.rubricId) {
    const r = await updateRubric(user, submission.value.rubricId, input)
    if (!r.ok) return data({ result: submission.reply({ formErrors: ['cases.rubric.inUse'] }) }, { status: 409 })
    return { result: submission.reply(), saved: true }
  }
  await createRubric(user, input)
  return { result: submission.reply({ resetForm: true }), saved: true }
}

export default function Rubrics() {
  const t = useT()
  const locale = useLocale()
  const { rubrics, canEdit, editing, copied } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <p>
        <Link to="/admin/cases">← {t('cases.library.title')}</Link>
      </p>
      <h1>{t('cases.rubric.title')}</h1>
      {rubrics.map((r) => (
        <section key={r.id} className="card space-y-1" data-rubric={r.id}>
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2>{r.name[locale] || r.name.en}</h2>
            {canEdit ? <Link to={`?edit=${r.id}`}>{t('cases.rubric.edit')}</Link> : null}
          </div>
          <ul className="text-sm">
            {r.criteria.map((c) => (
              <li key={c.id}>
                <strong>{c.title[locale] || c.title.en}</strong>: {c.levels.map((l) => `${l.label[locale] || l.label.en} (${l.points})`).join(' · ')}
              </li>
            ))}
          </ul>
          <p className="text-xs text-slate-600">{t('cases.rubric.bounds', { min: r.contributionMinPercent, max: r.contributionMaxPercent })}</p>
        </section>
      ))}
      {canEdit ? (
        <RubricEditor
          key={editing?.rubricId ?? 'new'}
          editing={editing}
          lastResult={result?.result}
          saved={Boolean(result && 'saved' in result)}
          copied={copied && !result}
        />
      ) : null}
    </div>
  )
}

function RubricEditor({
  editing,
  lastResult,
  saved,
  copied,
}: {
  editing: ReturnType<typeof rubricToForm> | null
  lastResult: Parameters<typeof useForm<RubricEditorValue, RubricEditorValue, string[]>>[0]['lastResult']
  saved: boolean
  copied: boolean
}) {
  const t = useT()
  const [form, fields] = useForm<RubricEditorValue, RubricEditorValue, string[]>({
    id: 'rubric-editor',
    lastResult,
    defaultValue: editing ?? { nameEn: '', nameZh: '', minPercent: 90, maxPercent: 110, criteria: [newCriterion] },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RubricEditorForm }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const text = (field: (typeof fields)['nameEn']) => {
    const props = getInputProps(field, { type: 'text' })
    return <input {...props} key={props.key} className="input" />
  }
  const number = (field: (typeof fields)['minPercent']) => {
    const props = getInputProps(field, { type: 'number' })
    return <input {...props} key={props.key} className="input w-24" />
  }
  return (
    <Form method="post" {...getFormProps(form)} className="card space-y-3">
      <h2>{editing ? t('cases.rubric.editing', { name: editing.nameZh }) : t('cases.rubric.new')}</h2>
      {editing ? <input type="hidden" name={fields.rubricId.name} value={editing.rubricId} /> : null}
      <FormErrors errors={form.errors} />
      {saved && !form.errors?.length ? (
        <p role="status" className="notice">
          {t('cases.rubric.saved')}
        </p>
      ) : null}
      {copied ? (
        <p role="status" className="notice">
          {t('cases.rubric.copied')}
        </p>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label className="label" htmlFor={fields.nameZh.id}>
            {t('cases.rubric.nameZh')}
          </label>
          {text(fields.nameZh)}
          <FieldErrors id={fields.nameZh.errorId} errors={fields.nameZh.errors} />
        </div>
        <div>
          <label className="label" htmlFor={fields.nameEn.id}>
            {t('cases.rubric.nameEn')}
          </label>
          {text(fields.nameEn)}
          <FieldErrors id={fields.nameEn.errorId} errors={fields.nameEn.errors} />
        </div>
      </div>
      <RubricCriteria form={form as never} criteria={fields.criteria as never} />
      <div className="flex flex-wrap gap-3">
        <div>
          <label className="label" htmlFor={fields.minPercent.id}>
            {t('cases.rubric.min')}
          </label>
          {number(fields.minPercent)}
          <FieldErrors id={fields.minPercent.errorId} errors={fields.minPercent.errors} />
        </div>
        <div>
          <label className="label" htmlFor={fields.maxPercent.id}>
            {t('cases.rubric.max')}
          </label>
          {number(fields.maxPercent)}
          <FieldErrors id={fields.maxPercent.errorId} errors={fields.maxPercent.errors} />
        </div>
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary">
          {t('common.save')}
        </button>
        {editing ? (
          <button type="submit" name={fields.saveAs.name} value="new" className="btn-secondary">
            {t('cases.rubric.saveAsNew')}
          </button>
        ) : null}
        {editing ? (
          <Link to="." className="btn-secondary">
            {t('cases.rubric.newInstead')}
          </Link>
        ) : null}
      </div>
    </Form>
  )
}

export const ErrorBoundary = RouteErrorBoundary
