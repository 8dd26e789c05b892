import { pageTitle } from '~/components/admin/page-title'
import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { useFormatDate } from '~/components/courses/ui'
import { AudienceFields } from '~/components/org/audience-fields'
import { RouteErrorBoundary } from '~/components/route-error'
import { FieldErrors, FormErrors } from '~/components/ui/field'
import { useLocale, useT, useFormatList } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { can, roles } from '~/modules/auth/permissions'
import { requireUser } from '~/modules/auth/session.server'
import { AssignForm, pick, UnassignForm } from '~/modules/courses/courses'
import { assignCourseFromForm, unassign } from '~/modules/courses/enrolment.server'
import { getCourseAdmin, setCourseStatus } from '~/modules/courses/progress.server'
import { param, readForm, requireValid } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (_, locale) => pick(data?.course.title, locale))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const data = await getCourseAdmin(user, param(params, 'courseId'))
  return { ...data, canPublish: can(user, 'manage:courses:all'), canAssign: can(user, 'assign:courses:all') }
}

const StatusForm = z.object({ intent: z.literal('status'), status: z.enum(['draft', 'published']) })

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readForm(request)
  const intent = formData.get('intent')
  const { course } = await getCourseAdmin(user, param(params, 'courseId'))
  if (intent === 'status') {
    const { status } = await requireValid(formData, StatusForm)
    await setCourseStatus(user, course.key, status, clientIp(context))
    return { intent: 'status' as const, status }
  }
  if (intent === 'unassign') {
    const { assignmentId } = await requireValid(formData, UnassignForm)
    const result = await unassign(user, assignmentId, clientIp(context))
    return { intent: 'unassign' as const, unenrolled: result.unenrolled }
  }
  const submission = parseWithZod(formData, { schema: AssignForm })
  if (submission.status !== 'success') return { intent: 'assign' as const, result: submission.reply() }
  const outcome = await assignCourseFromForm(user, course.id, submission.value, clientIp(context))
  if (!outcome.ok) {
    const { form, ...fieldErrors } = outcome.errors
    return { intent: 'assign' as const, result: submission.reply({ fieldErrors, formErrors: form }), unknown: outcome.unknown }
  }
  return { intent: 'assign' as const, result: submission.reply({ resetForm: true }), enrolled: outcome.enrolled }
}

export default function AdminCourse() {
  const t = useT()
  const formatList = useFormatList()
  const locale = useLocale()
  const formatDate = useFormatDate()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const { course } = data
  const assignData = actionData?.intent === 'assign' ? actionData : null
  const [form, fields] = useForm({
    lastResult: assignData?.result,
    constraint: getZodConstraint(AssignForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AssignForm }),
    shouldValidate: 'onSubmit',
  })
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to="/admin/courses">← {t('admin.courses.title')}</Link>
      </p>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1>{pick(course.title, locale)}</h1>
          <p className="mt-1 max-w-3xl text-slate-700">{pick(course.description, locale)}</p>
          <p className="mt-2 flex flex-wrap gap-2 text-sm">
            <span className="badge">{t(`admin.courses.audience.${course.audience}`)}</span>
            <span className="badge">{course.retiredAt ? t('admin.courses.retired') : t(`admin.courses.status.${course.status}`)}</span>
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link to={`/learn/${course.key}`} className="btn-secondary">
            {t('admin.courses.open')}
          </Link>
          <Link to={`/admin/progress?course=${course.key}`} className="btn-secondary">
            {t('admin.courses.progress')}
          </Link>
          {data.canPublish ? (
            <Link to={`/admin/courses/${course.key}/edit`} className="btn-secondary">
              {t('author.edit')}
            </Link>
          ) : null}
          {data.canPublish && !course.retiredAt ? (
            <Form method="post">
              <input type="hidden" name="intent" value="status" />
              <button type="submit" name="status" value={course.status === 'published' ? 'draft' : 'published'} className="btn-secondary">
                {course.status === 'published' ? t('admin.courses.unpublish') : t('admin.courses.publish')}
              </button>
            </Form>
          ) : null}
        </div>
      </div>
      {actionData?.intent === 'status' ? (
        <p className="notice" role="status">
          {actionData.status === 'published' ? t('admin.courses.published') : t('admin.courses.unpublished')}
        </p>
      ) : null}

      {data.canAssign ? (
        <section className="card space-y-4" aria-labelledby="assign">
          <h2 id="assign">{t('assign.title')}</h2>
          <p className="text-sm text-slate-700">{t('assign.rule')}</p>
          {assignData && 'enrolled' in assignData ? (
            <p className="notice" role="status">
              {t('assign.done', { count: assignData.enrolled ?? 0 })}
            </p>
          ) : null}
          <FormErrors errors={form.errors} />
          <Form method="post" {...getFormProps(form)} className="grid gap-4 md:grid-cols-2">
            <input type="hidden" name="intent" value="assign" />
            <AudienceFields
              fields={{ roles: fields.roles, departmentId: fields.departmentId, people: fields.people }}
              roles={roles}
              departments={data.departments}
              labels={{
                roles: 'assign.roles',
                department: 'assign.department',
                anyDepartment: 'assign.anyDepartment',
                people: 'assign.people',
                peopleHint: 'assign.peopleHint',
              }}
              unknownPeople={assignData && 'unknown' in assignData ? assignData.unknown : undefined}
            >
              <div>
                <label htmlFor={fields.dueDate.id} className="label">
                  {t('assign.dueDate')}
                </label>
                <input id={fields.dueDate.id} name={fields.dueDate.name} type="date" className="input" />
                <FieldErrors id={fields.dueDate.errorId} errors={fields.dueDate.errors} />
              </div>
            </AudienceFields>
            <div className="md:col-span-2">
              <button type="submit" className="btn-primary" disabled={navigation.state !== 'idle'}>
                {t('assign.submit')}
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      <section className="space-y-2" aria-labelledby="assignments">
        <h2 id="assignments">{t('assign.list')}</h2>
        {actionData?.intent === 'unassign' ? (
          <p className="notice" role="status">
            {t('assign.unassignedNow', { count: actionData.unenrolled })}
          </p>
        ) : null}
        {data.assignments.length === 0 ? (
          <p className="text-slate-700">{t('assign.none')}</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('assign.audience')}</th>
                  <th scope="col">{t('assign.dueDate')}</th>
                  <th scope="col" className="text-right">
                    {t('assign.enrolled')}
                  </th>
                  <th scope="col" className="text-right">
                    {t('assign.completed')}
                  </th>
                  <th scope="col">{t('assign.created')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.assignments.map((a) => (
                  <tr key={a.id} className={a.unassignedAt ? 'text-slate-500' : ''} data-assignment={a.id}>
                    <td>
                      {[
                        a.roles.length ? t('assign.everyone', { roles: formatList(a.roles.map((r) => t(`role.${r}`))) }) : null,
                        a.departmentPath ? t('assign.inDepartment', { department: a.departmentPath }) : null,
                        a.people.length ? t('assign.listed', { people: formatList(a.people) }) : null,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </td>
                    <td>{a.dueAt ? formatDate(a.dueAt) : '—'}</td>
                    <td className="text-right tabular-nums">{a.enrolled}</td>
                    <td className="text-right tabular-nums">{a.completed}</td>
                    <td>
                      {formatDate(a.createdAt)}
                      {a.createdByName ? <span className="block text-xs text-slate-600">{a.createdByName}</span> : null}
                    </td>
                    <td>
                      {a.unassignedAt ? (
                        t('assign.unassigned', { date: formatDate(a.unassignedAt) })
                      ) : data.canAssign ? (
                        <Form
                          method="post"
                          onSubmit={(event) => {
                            if (!confirm(t('assign.unassignConfirm'))) event.preventDefault()
                          }}
                        >
                          <input type="hidden" name="assignmentId" value={a.id} />
                          <button type="submit" name="intent" value="unassign" className="btn-secondary min-h-8 px-3 py-1">
                            {t('assign.unassign')}
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="space-y-2" aria-labelledby="modules">
        <h2 id="modules">{t('course.modules')}</h2>
        <ol className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {data.modules.map((m) => (
            <li key={m.key} className={`flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm ${m.retiredAt ? 'text-slate-500' : ''}`}>
              <span className="w-8 tabular-nums text-slate-500">{m.position}</span>
              <span className="min-w-0 flex-1 font-medium">{pick(m.title, locale)}</span>
              <span className="badge">{t(`module.kind.${m.kind}`)}</span>
              <span className="text-xs text-slate-600">{m.required ? t('course.required') : t('course.optional')}</span>
              <span className="text-xs text-slate-600">{t('admin.courses.version', { version: m.version })}</span>
              {m.retiredAt ? <span className="badge">{t('admin.courses.retired')}</span> : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
