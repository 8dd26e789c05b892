import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DepartmentOptions } from '~/components/admin/department-options'
import { pageTitle } from '~/components/admin/page-title'
import { RouteErrorBoundary } from '~/components/route-error'
import { TextField } from '~/components/ui/field'
import { SelectField } from '~/components/ui/select-field'
import { useT } from '~/i18n/use-t'
import { clientIp } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { createDepartment, listDepartmentTree } from '~/modules/org/departments.server'
import { DepartmentForm } from '~/modules/org/org'
import { readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('departments.title'))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const tree = await listDepartmentTree(user)
  // The notice names the department from the database, never text from the URL.
  const addedId = new URL(request.url).searchParams.get('added')
  const added = tree.find((d) => d.id === addedId)?.path ?? null
  return { tree, added }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await readForm(request), { schema: DepartmentForm })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await createDepartment(user, submission.value, clientIp(context))
  if (!outcome.ok) {
    const fieldErrors = Object.fromEntries(Object.entries(outcome.errors).map(([field, key]) => [field, [key]]))
    return data({ result: submission.reply({ fieldErrors }) }, { status: 400 })
  }
  throw redirect(`/admin/departments?added=${outcome.id}`)
}

type Department = ReturnType<typeof useLoaderData<typeof loader>>['tree'][number]
type Node = Department & { children: Node[] }

/** Nests the flat, tree-ordered list so the markup (nested lists) carries the hierarchy. */
function nest(departments: Department[]): Node[] {
  const nodes = new Map(departments.map((d) => [d.id, { ...d, children: [] as Node[] }]))
  const roots: Node[] = []
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

function Branch({ nodes, level }: { nodes: Node[]; level: number }) {
  const t = useT()
  return (
    <ul className={level === 0 ? 'divide-y divide-slate-200' : 'mt-1 space-y-1 border-l-2 border-slate-200 pl-3 sm:pl-5'}>
      {nodes.map((d) => (
        <li key={d.id} className={level === 0 ? 'py-2' : ''}>
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 rounded-md py-1">
            <span className="font-medium">{d.name}</span>
            <span className="text-sm text-slate-700">
              {t('admin.departments.own', { count: d.members })}
              {d.children.length ? ` · ${t('admin.departments.subtree', { count: d.subtreeMembers })}` : null}
            </span>
            <Link to={`/admin/people?department=${d.id}`} className="text-sm" aria-label={t('admin.departments.showPeopleOf', { name: d.path })}>
              {t('admin.departments.showPeople')}
            </Link>
          </div>
          {d.children.length ? <Branch nodes={d.children} level={level + 1} /> : null}
        </li>
      ))}
    </ul>
  )
}

function AddDepartment({ tree }: { tree: Department[] }) {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'add-department',
    lastResult: navigation.state === 'idle' ? actionData?.result : undefined,
    constraint: getZodConstraint(DepartmentForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DepartmentForm }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <section className="card space-y-4" aria-labelledby="add-heading">
      <h2 id="add-heading">{t('departments.add')}</h2>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <TextField field={fields.name} label={t('admin.departments.name')} autoComplete="off" />
        <SelectField field={fields.parentId} label={t('departments.parent')}>
          <option value="">{t('departments.topLevel')}</option>
          <DepartmentOptions departments={tree} />
        </SelectField>
        <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
          {t('departments.add')}
        </button>
      </Form>
    </section>
  )
}

export default function Departments() {
  const t = useT()
  const { tree, added } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <h1>{t('departments.title')}</h1>
      {added ? (
        <p className="notice" role="status">
          {t('departments.added', { name: added })}
        </p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-[2fr_1fr] lg:items-start">
        <section className="card space-y-2" aria-labelledby="tree-heading">
          <h2 id="tree-heading" className="sr-only">
            {t('departments.title')}
          </h2>
          <p className="text-sm text-slate-600">{t('admin.departments.countsNote')}</p>
          {tree.length === 0 ? <p className="text-slate-700">{t('admin.departments.empty')}</p> : <Branch nodes={nest(tree)} level={0} />}
        </section>
        {/* Keyed by the last addition so the fields clear once a department is added. */}
        <AddDepartment key={added ?? 'new'} tree={tree} />
      </div>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
