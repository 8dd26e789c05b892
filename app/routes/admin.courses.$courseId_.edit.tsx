import { pageTitle } from '~/components/admin/page-title'
import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { CourseFields } from '~/components/courses/course-fields'
import { RouteErrorBoundary } from '~/components/route-error'
import { FieldErrors, FormErrors } from '~/components/ui/field'
import { useLocale, useT } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { addModule, getCourseEditor, moveModule, setModuleRetired, updateCourse } from '~/modules/courses/authoring.server'
import { authorableKinds, CourseForm, NewModuleForm, pick } from '~/modules/courses/courses'
import { param, readForm, requireValid } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.courseEdit'))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getCourseEditor(user, param(params, 'courseId'))
}

const ModuleAction = z.object({
  intent: z.enum(['up', 'down', 'retire', 'restore']),
  moduleKey: z.string().min(1).max(80),
})

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const key = param(params, 'courseId')
  const ip = clientIp(context)
  const formData = await readForm(request)
  const intent = formData.get('intent')
  if (intent === 'add-module') {
    const submission = parseWithZod(formData, { schema: NewModuleForm })
    if (submission.status !== 'success') return { intent, result: submission.reply() }
    const outcome = await addModule(user, key, submission.value, ip)
    if (!outcome.ok) {
      const { form, ...fieldErrors } = outcome.errors
      return { intent, result: submission.reply({ fieldErrors, formErrors: form }) }
    }
    throw redirect(`/admin/courses/${key}/modules/${outcome.moduleKey}`)
  }
  if (intent === 'course') {
    const submission = parseWithZod(formData, { schema: CourseForm })
    if (submission.status !== 'success') return { intent, result: submission.reply() }
    const outcome = await updateCourse(user, key, submission.value, ip)
    if (!outcome.ok) {
      const { form, ...fieldErrors } = outcome.errors
      return { intent, result: submission.reply({ fieldErrors, formErrors: form }) }
    }
    return { intent, result: submission.reply(), saved: true }
  }
  const move = await requireValid(formData, ModuleAction)
  if (move.intent === 'up' || move.intent === 'down') await moveModule(user, key, move.moduleKey, move.intent, ip)
  else await setModuleRetired(user, key, move.moduleKey, move.intent === 'retire', ip)
  return { intent: move.intent }
}

export default function EditCourse() {
  const t = useT()
  const locale = useLocale()
  const { course, modules } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const courseResult = data?.intent === 'course' && 'result' in data ? data.result : undefined
  const moduleResult = data?.intent === 'add-module' && 'result' in data ? data.result : undefined
  const [courseForm, courseFields] = useForm({
    id: 'course',
    lastResult: courseResult,
    constraint: getZodConstraint(CourseForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CourseForm }),
    shouldValidate: 'onBlur',
  })
  const [moduleForm, moduleFields] = useForm({
    id: 'add-module',
    lastResult: moduleResult,
    constraint: getZodConstraint(NewModuleForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NewModuleForm }),
    shouldValidate: 'onSubmit',
  })
  const active = modules.filter((m) => !m.retiredAt)
  return (
    <div className="max-w-4xl space-y-6">
      <p className="text-sm">
        <Link to={`/admin/courses/${course.key}`}>← {t('author.backToCourse')}</Link>
      </p>
      <h1>
        {t('author.editCourse')}: {pick({ en: course.values.titleEn, 'zh-CN': course.values.titleZh }, locale)}
      </h1>
      {!course.editable ? (
        <p className="notice" role="status">
          {t('author.imported')}
        </p>
      ) : null}

      {course.editable ? (
        <Form method="post" {...getFormProps(courseForm)} className="card space-y-4" aria-labelledby="details">
          <h2 id="details">{t('author.details')}</h2>
          {data?.intent === 'course' && 'saved' in data ? (
            <p className="notice" role="status">
              {t('author.saved')}
            </p>
          ) : null}
          <FormErrors errors={courseForm.errors} />
          <input type="hidden" name="intent" value="course" />
          <CourseFields fields={courseFields} values={course.values} idLocked />
          <button type="submit" className="btn-primary">
            {t('author.save')}
          </button>
        </Form>
      ) : null}

      <section className="space-y-2" aria-labelledby="modules">
        <h2 id="modules">{t('course.modules')}</h2>
        <p className="text-sm text-slate-600">{t('author.retiredNote')}</p>
        <ol className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {modules.map((m) => {
            const index = active.findIndex((a) => a.key === m.key)
            return (
              <li key={m.key} className={`flex flex-wrap items-center gap-2 px-4 py-2 text-sm ${m.retiredAt ? 'text-slate-500' : ''}`} data-module={m.key}>
                <span className="min-w-0 flex-1">
                  <span className="font-medium">{pick(m.title, locale)}</span>
                  <span className="ml-2 text-xs text-slate-600">
                    {t(`module.kind.${m.kind}`)} · {m.required ? t('course.required') : t('course.optional')} ·{' '}
                    {t('admin.courses.version', { version: m.version })}
                  </span>
                </span>
                {m.retiredAt ? <span className="badge">{t('admin.courses.retired')}</span> : null}
                <Link to={`/admin/courses/${course.key}/modules/${m.key}`} className="btn-secondary min-h-8 px-3 py-1">
                  {course.editable ? t('author.edit') : t('admin.courses.open')}
                </Link>
                {course.editable ? (
                  <Form method="post" className="flex gap-1">
                    <input type="hidden" name="moduleKey" value={m.key} />
                    {m.retiredAt ? (
                      <button type="submit" name="intent" value="restore" className="btn-secondary min-h-8 px-3 py-1">
                        {t('author.restore')}
                      </button>
                    ) : (
                      <>
                        <button
                          type="submit"
                          name="intent"
                          value="up"
                          className="btn-secondary min-h-8 px-2 py-1"
                          disabled={index === 0}
                          aria-label={`${t('author.moveUp')}: ${pick(m.title, locale)}`}
                        >
                          ↑
                        </button>
                        <button
                          type="submit"
                          name="intent"
                          value="down"
                          className="btn-secondary min-h-8 px-2 py-1"
                          disabled={index === active.length - 1}
                          aria-label={`${t('author.moveDown')}: ${pick(m.title, locale)}`}
                        >
                          ↓
                        </button>
                        <button type="submit" name="intent" value="retire" className="btn-secondary min-h-8 px-3 py-1">
                          {t('author.retire')}
                        </button>
                      </>
                    )}
                  </Form>
                ) : null}
              </li>
            )
          })}
        </ol>
      </section>

      {course.editable ? (
        <Form method="post" {...getFormProps(moduleForm)} className="card space-y-4" aria-labelledby="add-module-title">
          <h2 id="add-module-title">{t('author.addModule')}</h2>
          <FormErrors errors={moduleForm.errors} />
          <input type="hidden" name="intent" value="add-module" />
          <div className="grid gap-4 md:grid-cols-2">
            <div>
              <label htmlFor={moduleFields.kind.id} className="label">
                {t('author.kind')}
              </label>
              <select id={moduleFields.kind.id} name={moduleFields.kind.name} className="input" defaultValue="lesson">
                {authorableKinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`module.kind.${k}`)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor={moduleFields.contentId.id} className="label">
                {t('author.moduleId')}
              </label>
              <input id={moduleFields.contentId.id} name={moduleFields.contentId.name} className="input" autoComplete="off" />
              <FieldErrors id={moduleFields.contentId.errorId} errors={moduleFields.contentId.errors} />
            </div>
            <div>
              <label htmlFor={moduleFields.titleZh.id} className="label">
                {t('author.titleZh')}
              </label>
              <input id={moduleFields.titleZh.id} name={moduleFields.titleZh.name} className="input" />
              <FieldErrors id={moduleFields.titleZh.errorId} errors={moduleFields.titleZh.errors} />
            </div>
            <div>
              <label htmlFor={moduleFields.titleEn.id} className="label">
                {t('author.titleEn')}
              </label>
              <input id={moduleFields.titleEn.id} name={moduleFields.titleEn.name} className="input" />
              <FieldErrors id={moduleFields.titleEn.errorId} errors={moduleFields.titleEn.errors} />
            </div>
          </div>
          <button type="submit" className="btn-primary">
            {t('author.add')}
          </button>
        </Form>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
