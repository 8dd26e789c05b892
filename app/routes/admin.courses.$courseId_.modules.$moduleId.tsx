import { pageTitle } from '~/components/admin/page-title'
import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { z } from 'zod'
import { InsertImage } from '~/components/courses/insert-image'
import lessonStyles from '~/components/courses/lesson.css?url'
import { QuizQuestions, SheetFieldsEditor } from '~/components/courses/quiz-editor'
import { RouteErrorBoundary } from '~/components/route-error'
import { FieldErrors, FormErrors } from '~/components/ui/field'
import { useLocale, useT } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { getModuleEditor, previewMarkdown, updateModule } from '~/modules/courses/authoring.server'
import { hasRef, ModuleForm, pick } from '~/modules/courses/courses'
import { param, readForm, requireValid } from '~/shared/forms'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: lessonStyles }]
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.moduleEdit'))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getModuleEditor(user, param(params, 'courseId'), param(params, 'moduleId'))
}

const PreviewForm = z.object({ intent: z.literal('preview'), bodyEn: z.string().max(100_000).default(''), bodyZh: z.string().max(100_000).default('') })

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readForm(request)
  if (formData.get('intent') === 'preview') {
    const { bodyEn, bodyZh } = await requireValid(formData, PreviewForm)
    return { intent: 'preview' as const, html: await previewMarkdown(user, { en: bodyEn, zh: bodyZh }) }
  }
  const submission = parseWithZod(formData, { schema: ModuleForm })
  if (submission.status !== 'success') return { intent: 'save' as const, result: submission.reply() }
  const outcome = await updateModule(user, param(params, 'courseId'), param(params, 'moduleId'), submission.value, clientIp(context))
  if (!outcome.ok) {
    const { form, ...fieldErrors } = outcome.errors
    return { intent: 'save' as const, result: submission.reply({ fieldErrors, formErrors: form }) }
  }
  return { intent: 'save' as const, result: submission.reply(), version: outcome.version }
}

// A preview renders Markdown and stores nothing: no need to reload the page for it.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get('intent') === 'preview' ? false : defaultShouldRevalidate

export default function EditModule() {
  const t = useT()
  const locale = useLocale()
  const { course, module } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const saveResult = data?.intent === 'save' ? data : null
  const values = module.values
  return (
    <div className="space-y-5">
      <p className="text-sm">
        <Link to={`/admin/courses/${course.key}/edit`}>← {pick(course.title, locale)}</Link>
      </p>
      <h1>
        {t('author.editModule')}: {pick({ en: values.titleEn, 'zh-CN': values.titleZh }, locale)}
      </h1>
      <p className="flex flex-wrap gap-2 text-sm">
        <span className="badge">{t(`module.kind.${module.kind}`)}</span>
        <span className="badge">{t('admin.courses.version', { version: module.version })}</span>
        {module.retired ? <span className="badge">{t('admin.courses.retired')}</span> : null}
      </p>
      {!course.editable ? (
        <p className="notice" role="status">
          {t('author.imported')}
        </p>
      ) : null}
      {saveResult && 'version' in saveResult ? (
        <p className="notice" role="status">
          {t('author.savedVersion', { version: saveResult.version ?? module.version })}
        </p>
      ) : null}
      {/* A new version remounts the form with the saved values (and the ids the server gave new questions). */}
      <ModuleEditorForm key={module.version} />
    </div>
  )
}

function ModuleEditorForm() {
  const t = useT()
  const { course, module } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const preview = useFetcher<typeof action>({ key: 'markdown-preview' })
  const formRef = useRef<HTMLFormElement>(null)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const saveResult = data?.intent === 'save' ? data : null
  const [form, fields] = useForm({
    lastResult: saveResult?.result,
    defaultValue: module.values,
    constraint: getZodConstraint(ModuleForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ModuleForm }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const readOnly = !course.editable
  const html = preview.data && preview.data.intent === 'preview' ? preview.data.html : null
  const hasErrors = Object.keys(form.allErrors).length > 0

  const refreshPreview = () => {
    if (!formRef.current) return
    const formData = new FormData(formRef.current)
    preview.submit({ intent: 'preview', bodyEn: String(formData.get('bodyEn') ?? ''), bodyZh: String(formData.get('bodyZh') ?? '') }, { method: 'post' })
  }
  const schedulePreview = () => {
    clearTimeout(timer.current)
    timer.current = setTimeout(refreshPreview, 800)
  }
  useEffect(() => {
    refreshPreview()
    return () => clearTimeout(timer.current)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const text = (name: 'titleEn' | 'titleZh' | 'keyPoints' | 'ref', label: string) => {
    const props = getInputProps(fields[name], { type: 'text' })
    return (
      <div>
        <label htmlFor={fields[name].id} className="label">
          {label}
        </label>
        <input {...props} key={props.key} className="input" disabled={readOnly} />
        <FieldErrors id={fields[name].errorId} errors={fields[name].errors} />
      </div>
    )
  }
  const number = (name: 'estimatedMinutes' | 'passMark' | 'maxAttempts', label: string) => {
    const props = getInputProps(fields[name], { type: 'number' })
    return (
      <div>
        <label htmlFor={fields[name].id} className="label">
          {label}
        </label>
        <input {...props} key={props.key} className="input" disabled={readOnly} />
        <FieldErrors id={fields[name].errorId} errors={fields[name].errors} />
      </div>
    )
  }
  const requiredProps = getInputProps(fields.required, { type: 'checkbox' })
  const scoringProps = getSelectProps(fields.scoring)

  return (
    <Form method="post" ref={formRef} {...getFormProps(form)} className="space-y-5">
      <FormErrors errors={form.errors} />
      {hasErrors && !form.errors?.length ? (
        <p className="alert" role="alert">
          {t('authoring.quiz.fixErrors')}
        </p>
      ) : null}
      {/* Enter in a text field saves: the first submit button is the form's default, not "Move up". */}
      <button type="submit" className="sr-only" tabIndex={-1} aria-hidden="true" />
      <input type="hidden" name="intent" value="save" />
      <input type="hidden" name={fields.kind.name} value={module.kind} />
      <div className="card grid gap-4 md:grid-cols-2">
        {text('titleZh', t('author.titleZh'))}
        {text('titleEn', t('author.titleEn'))}
        {number('estimatedMinutes', t('author.minutes'))}
        {text('keyPoints', t('author.keyPoints'))}
        <label className="flex items-center gap-2 text-sm md:col-span-2">
          <input {...requiredProps} key={requiredProps.key} className="h-4 w-4 accent-brand-700" disabled={readOnly} />
          {t('author.required')}
        </label>
        {hasRef(module.kind) ? text('ref', t('author.ref')) : null}
      </div>

      <section className="card space-y-3" aria-labelledby="text">
        <h2 id="text">{module.kind === 'lesson' ? t('module.kind.lesson') : t('author.preview')}</h2>
        <p className="text-xs text-slate-600">{t('author.bodyHint')}</p>
        <div className="grid gap-4 lg:grid-cols-2">
          {(['bodyZh', 'bodyEn'] as const).map((name) => {
            const props = getTextareaProps(fields[name])
            return (
              <div key={name} className="space-y-2">
                <div className="flex flex-wrap items-end justify-between gap-2">
                  <label htmlFor={fields[name].id} className="label">
                    {name === 'bodyZh' ? t('author.bodyZh') : t('author.bodyEn')}
                  </label>
                  {!readOnly ? <InsertImage textareaId={fields[name].id} locale={name === 'bodyZh' ? 'zh-CN' : 'en'} onInserted={refreshPreview} /> : null}
                </div>
                <textarea
                  {...props}
                  key={props.key}
                  rows={module.kind === 'lesson' ? 16 : 5}
                  className="input font-mono text-sm"
                  onChange={schedulePreview}
                  disabled={readOnly}
                />
                <FieldErrors id={fields[name].errorId} errors={fields[name].errors} />
                <div className="rounded-md border border-dashed border-slate-300 p-3" aria-live="polite">
                  <p className="mb-2 text-xs font-semibold text-slate-500">
                    {t('author.preview')} · {t('author.previewHint')}
                  </p>
                  {/* Rendered by the server with the learners' sanitising renderer. */}
                  <div
                    className="lesson-text"
                    data-testid={`preview-${name}`}
                    dangerouslySetInnerHTML={{ __html: html ? (name === 'bodyZh' ? html.zh : html.en) : '' }}
                  />
                </div>
              </div>
            )
          })}
        </div>
      </section>

      {module.kind === 'quiz' ? (
        <>
          <section className="card space-y-4" aria-labelledby="quiz-settings">
            <h2 id="quiz-settings">{t('authoring.quiz.settings')}</h2>
            <div className="grid gap-4 md:grid-cols-3">
              {number('passMark', t('author.passMark'))}
              {number('maxAttempts', t('author.maxAttempts'))}
              <div>
                <label htmlFor={fields.scoring.id} className="label">
                  {t('author.scoring')}
                </label>
                <select {...scoringProps} key={scoringProps.key} className="input" disabled={readOnly}>
                  <option value="best">{t('quiz.scoring.best')}</option>
                  <option value="last">{t('quiz.scoring.last')}</option>
                </select>
                <FieldErrors id={fields.scoring.errorId} errors={fields.scoring.errors} />
              </div>
            </div>
          </section>
          <QuizQuestions form={form as never} questions={fields.questions as never} readOnly={readOnly} />
        </>
      ) : null}
      {module.kind === 'prep_sheet' ? <SheetFieldsEditor form={form as never} fields={fields.fields as never} readOnly={readOnly} /> : null}

      {!readOnly ? (
        <div className="sticky bottom-0 z-10 border-t border-slate-200 bg-slate-50/95 py-3">
          <button type="submit" className="btn-primary">
            {t('author.save')}
          </button>
        </div>
      ) : null}
    </Form>
  )
}

export const ErrorBoundary = RouteErrorBoundary
