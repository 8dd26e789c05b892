import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useState } from 'react'
import { z } from 'zod'
import { CaseText } from '~/components/cases/case-parts'
import { SlidesPreview } from '~/components/cases/slides-preview'
import { RouteErrorBoundary } from '~/components/route-error'
import { FormErrors } from '~/components/ui/field'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'
import { GradeForm, ReleaseForm } from '~/modules/assignments/assignments'
import { getGradingView, releaseGrade, saveGrade } from '~/modules/assignments/grading.server'
import { requireUser } from '~/modules/auth/session.server'
import { param, readForm } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.group.name ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return getGradingView(user, param(params, 'assignmentId'))
}

const GradeAction = z.discriminatedUnion('intent', [GradeForm, ReleaseForm])

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const assignmentId = param(params, 'assignmentId')
  const submission = parseWithZod(await readForm(request), { schema: GradeAction })
  if (submission.status !== 'success') return data({ result: submission.reply(), conflict: false }, { status: 400 })
  if (submission.value.intent === 'release') {
    await releaseGrade(user, assignmentId)
    return { result: submission.reply(), conflict: false, released: true }
  }
  const r = await saveGrade(user, assignmentId, submission.value)
  if (!r.ok)
    return data(
      { result: submission.reply({ formErrors: [`cases.grade.${r.error}`] }), conflict: r.error === 'conflict' },
      { status: r.error === 'conflict' ? 409 : 400 },
    )
  return { result: submission.reply(), conflict: false, saved: r.score }
}

export default function Grade() {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [page, setPage] = useState(1)
  const [slideComments, setSlideComments] = useState(d.grade?.slideComments ?? [])
  const pick = (l: { en: string; 'zh-CN': string }) => l[locale] || l.en
  return (
    <div className="mx-auto max-w-7xl space-y-4">
      <p>
        <Link to={`/groups/${d.group.id}`}>← {t('groups.groupName', { name: d.group.name })}</Link>
      </p>
      <h1>
        {t('cases.grade.title')} · {t('groups.groupName', { name: d.group.name })}
      </h1>
      <div className="grid gap-4 lg:grid-cols-[3fr_2fr]">
        <div className="space-y-3">
          <SlidesPreview submission={d.submission} preview={d.preview} page={page} onPageChange={setPage} />
          <ul className="text-sm">
            {d.versions.map((v) => (
              <li key={v.id}>
                {t('cases.submission.version', { version: v.version })} · <a href={`/files/${v.fileId}`}>{v.fileName}</a> ·{' '}
                <span suppressHydrationWarning>{t('cases.submission.by', { name: v.uploadedBy, when: formatDateTime(v.uploadedAt) })}</span>
                {v.late ? <span className="badge ml-1 bg-amber-100 text-amber-900">{t('cases.late')}</span> : null}
                {v.id === d.submission?.id ? <span className="badge ml-1">{t('cases.submission.current')}</span> : null}
              </li>
            ))}
          </ul>
          <details>
            <summary className="cursor-pointer">{t('cases.grade.showCase')}</summary>
            <CaseText theCase={d.case} />
          </details>
        </div>
        <div className="space-y-3">
          {actionData && 'saved' in actionData ? (
            <p className="notice" role="status">
              {t('cases.grade.saved', { score: actionData.saved ?? 0 })}
            </p>
          ) : null}
          {actionData && 'released' in actionData ? (
            <p className="notice" role="status">
              {t('cases.grade.releasedNotice')}
            </p>
          ) : null}
          <FormErrors errors={actionData?.result.error?.[''] ?? undefined} />
          {actionData?.conflict ? (
            <p>
              <Link to="." reloadDocument className="btn-secondary">
                {t('cases.grade.reload')}
              </Link>
            </p>
          ) : null}
          <Form method="post" className="card space-y-3" data-grade-form>
            <input type="hidden" name="intent" value="grade" />
            <input type="hidden" name="version" value={d.grade?.version ?? 0} />
            {d.rubric.criteria.map((c) => (
              <fieldset key={c.id} className="space-y-1">
                <legend className="font-semibold">{pick(c.title)}</legend>
                <div className="flex flex-wrap gap-2">
                  {c.levels.map((l, i) => (
                    <label key={i} className="flex items-center gap-1 rounded border border-slate-200 px-2 py-1 text-sm">
                      <input type="radio" name={`levels.${c.id}`} value={i} defaultChecked={d.grade?.levels[c.id] === i} required />
                      {pick(l.label)} ({l.points})
                    </label>
                  ))}
                </div>
              </fieldset>
            ))}
            <div>
              <label className="label" htmlFor="grade-comment">
                {t('cases.grade.comment')}
              </label>
              <textarea id="grade-comment" name="comment" rows={6} className="input" defaultValue={d.grade?.comment ?? ''} maxLength={10000} />
            </div>
            <div className="space-y-2">
              <div className="flex items-center gap-2">
                <span className="label">{t('cases.grade.slideComments')}</span>
                <button type="button" className="btn-secondary ml-auto !py-1 text-sm" onClick={() => setSlideComments((rows) => [...rows, { page, text: '' }])}>
                  {t('cases.grade.commentThisSlide', { page })}
                </button>
              </div>
              {slideComments.map((row, i) => (
                <div key={i} className="flex items-start gap-2">
                  <label className="sr-only" htmlFor={`slide-page-${i}`}>
                    {t('cases.grade.slidePage')}
                  </label>
                  <input id={`slide-page-${i}`} name={`slideComments[${i}].page`} type="number" min={1} defaultValue={row.page} className="input w-20" />
                  <label className="sr-only" htmlFor={`slide-text-${i}`}>
                    {t('cases.grade.slide', { page: row.page })}
                  </label>
                  <textarea id={`slide-text-${i}`} name={`slideComments[${i}].text`} rows={3} defaultValue={row.text} className="input" maxLength={2000} />
                </div>
              ))}
            </div>
            <button type="submit" className="btn-primary">
              {t('cases.grade.save')}
            </button>
          </Form>
          <section className="card space-y-2">
            <h2>{t('cases.grade.members')}</h2>
            <ul className="text-sm">
              {d.members.map((m) => (
                <li key={m.userId}>
                  {m.name}
                  {m.average !== null ? ` · ${t('cases.contribution.average', { average: m.average.toFixed(1) })}` : ''}
                  {m.mark !== null ? ` · ${t('cases.grade.ownMark', { mark: m.mark })}` : ''}
                </li>
              ))}
            </ul>
            {d.grade && !d.grade.releasedAt ? (
              <Form method="post">
                <button type="submit" name="intent" value="release" className="btn-primary">
                  {t('cases.grade.release')}
                </button>
              </Form>
            ) : d.grade?.releasedAt ? (
              <p className="badge">{t('cases.grade.released')}</p>
            ) : null}
          </section>
        </div>
      </div>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
