import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { FieldErrors } from '~/components/ui/field'
import { useLocale, useT } from '~/i18n/use-t'
import { RubricForm } from '~/modules/assignments/assignments'
import { createRubric, listRubrics } from '~/modules/assignments/case-library.server'
import { assertCan } from '~/modules/auth/authorize.server'
import { can } from '~/modules/auth/permissions'
import { requireUser } from '~/modules/auth/session.server'
import { readForm } from '~/shared/forms'

export const meta: MetaFunction = () => [{ title: 'Genjin · Rubrics' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return { rubrics: await listRubrics(user), canEdit: can(user, 'manage:cases:all') }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  await assertCan(user, 'manage:cases:all')
  const submission = parseWithZod(await readForm(request), { schema: RubricForm })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  await createRubric(user, submission.value)
  return { result: submission.reply({ resetForm: true }) }
}

export default function Rubrics() {
  const t = useT()
  const locale = useLocale()
  const { rubrics, canEdit } = useLoaderData<typeof loader>()
  const errors = useActionData<typeof action>()?.result.error
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <p>
        <Link to="/admin/cases">← {t('cases.library.title')}</Link>
      </p>
      <h1>{t('cases.rubric.title')}</h1>
      {rubrics.map((r) => (
        <section key={r.id} className="card space-y-1">
          <h2>{r.name[locale] || r.name.en}</h2>
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
        <Form method="post" className="card space-y-3">
          <h2>{t('cases.rubric.new')}</h2>
          <div className="grid gap-3 sm:grid-cols-2">
            <div>
              <label className="label" htmlFor="rubric-name-zh">
                {t('cases.rubric.nameZh')}
              </label>
              <input id="rubric-name-zh" name="nameZh" className="input" required maxLength={200} />
              <FieldErrors errors={errors?.nameZh ?? undefined} />
            </div>
            <div>
              <label className="label" htmlFor="rubric-name-en">
                {t('cases.rubric.nameEn')}
              </label>
              <input id="rubric-name-en" name="nameEn" className="input" required maxLength={200} />
              <FieldErrors errors={errors?.nameEn ?? undefined} />
            </div>
          </div>
          <div>
            <label className="label" htmlFor="rubric-criteria">
              {t('cases.rubric.criteria')}
            </label>
            <textarea id="rubric-criteria" name="criteria" rows={6} className="input font-mono text-sm" placeholder="Root cause | 根本原因 | 0, 10, 20, 25" />
            <p className="text-xs text-slate-600">{t('cases.rubric.criteriaHelp')}</p>
            <FieldErrors errors={errors?.criteria ?? undefined} />
          </div>
          <div className="flex flex-wrap gap-3">
            <div>
              <label className="label" htmlFor="rubric-min">
                {t('cases.rubric.min')}
              </label>
              <input id="rubric-min" name="minPercent" type="number" min={50} max={100} defaultValue={90} className="input w-24" />
              <FieldErrors errors={errors?.minPercent ?? undefined} />
            </div>
            <div>
              <label className="label" htmlFor="rubric-max">
                {t('cases.rubric.max')}
              </label>
              <input id="rubric-max" name="maxPercent" type="number" min={100} max={150} defaultValue={110} className="input w-24" />
              <FieldErrors errors={errors?.maxPercent ?? undefined} />
            </div>
          </div>
          <button type="submit" className="btn-primary">
            {t('common.save')}
          </button>
        </Form>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
