import { pageTitle } from '~/components/admin/page-title'
import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { CourseFields } from '~/components/courses/course-fields'
import { RouteErrorBoundary } from '~/components/route-error'
import { FormErrors } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { assertCan } from '~/modules/auth/authorize.server'
import { requireUser } from '~/modules/auth/session.server'
import { createCourse } from '~/modules/courses/authoring.server'
import { CourseForm } from '~/modules/courses/courses'
import { readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.courseNew'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:courses:all')
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await readForm(request), { schema: CourseForm })
  if (submission.status !== 'success') return { result: submission.reply() }
  const outcome = await createCourse(user, submission.value, clientIp(context))
  if (!outcome.ok) {
    const { form, ...fieldErrors } = outcome.errors
    return { result: submission.reply({ fieldErrors, formErrors: form }) }
  }
  throw redirect(`/admin/courses/${outcome.key}/edit`)
}

export default function NewCourse() {
  const t = useT()
  const data = useActionData<typeof action>()
  const [form, fields] = useForm({
    lastResult: data?.result,
    constraint: getZodConstraint(CourseForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CourseForm }),
    shouldValidate: 'onBlur',
  })
  return (
    <div className="max-w-3xl space-y-4">
      <p className="text-sm">
        <Link to="/admin/courses">← {t('admin.courses.title')}</Link>
      </p>
      <h1>{t('author.newCourse')}</h1>
      <p className="text-slate-700">{t('author.newCourseIntro')}</p>
      <Form method="post" {...getFormProps(form)} className="card space-y-4">
        <FormErrors errors={form.errors} />
        <CourseFields fields={fields} />
        <button type="submit" className="btn-primary">
          {t('author.create')}
        </button>
      </Form>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
