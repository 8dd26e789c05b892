import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useState } from 'react'
import { z } from 'zod'
import { GroupBoard } from '~/components/cases/group-board'
import { replyFor } from '~/components/ui/action-reply'
import { RouteErrorBoundary } from '~/components/route-error'
import { FieldErrors, FormErrors } from '~/components/ui/field'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'
import { AssignForm, OrderForm, ReleaseForm } from '~/modules/assignments/assignments'
import { assignCases, getAssignmentOptions } from '~/modules/assignments/assignments.server'
import { releaseGrade, setPresentationOrder } from '~/modules/assignments/grading.server'
import { requireUser } from '~/modules/auth/session.server'
import { AddGroupForm, FormGroupsForm, MoveMemberForm, RemoveGroupForm } from '~/modules/groups/groups'
import { addGroup, cohortForSession, formGroups, getGroupBoard, moveMember, removeGroup } from '~/modules/groups/groups.server'
import { instantToZoned } from '~/shared/time'
import { param, readForm } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.session.title ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const board = await getGroupBoard(user, param(params, 'sessionId'))
  const options = await getAssignmentOptions(user, param(params, 'sessionId'))
  return { ...board, ...options }
}

const Release = ReleaseForm.extend({ assignmentId: z.string().uuid('errors.invalid') })
const BoardAction = z.discriminatedUnion('intent', [FormGroupsForm, MoveMemberForm, AddGroupForm, RemoveGroupForm, AssignForm, OrderForm, Release])

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const sessionId = param(params, 'sessionId')
  const submission = parseWithZod(await readForm(request), { schema: BoardAction })
  if (submission.status !== 'success') return data({ result: submission.reply(), intent: null }, { status: 400 })
  const value = submission.value
  const fail = (error: string) => data({ result: submission.reply({ formErrors: [error] }), intent: value.intent }, { status: 400 })
  const done = () => ({ result: submission.reply({ resetForm: true }), intent: value.intent })
  switch (value.intent) {
    case 'form': {
      const r = await formGroups(user, sessionId, value)
      return r.ok ? done() : fail(r.error)
    }
    case 'move': {
      const r = await moveMember(user, sessionId, value.userId, value.groupId)
      return r.ok ? done() : fail(r.error)
    }
    case 'add-group': {
      const r = await addGroup(user, sessionId)
      return r.ok ? done() : fail(r.error)
    }
    case 'remove-group': {
      const r = await removeGroup(user, sessionId, value.groupId)
      return r.ok ? done() : fail(r.error)
    }
    case 'assign': {
      const r = await assignCases(user, sessionId, value)
      if (!r.ok) return data({ result: submission.reply({ fieldErrors: r.errors }), intent: value.intent }, { status: 400 })
      return { result: submission.reply(), intent: value.intent, assigned: r.assigned }
    }
    case 'order': {
      const { cohort } = await cohortForSession(user, sessionId)
      if (!cohort) return fail('groups.noCohort')
      const r = await setPresentationOrder(user, cohort.id, value.mode, value.positions)
      return r.ok ? done() : fail(r.error)
    }
    case 'release': {
      await releaseGrade(user, value.assignmentId)
      return done()
    }
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function SessionGroups() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  // Several forms on one page: each shows the errors of the reply to its own intent.
  const errorsFor = (intent: string) => replyFor(actionData, intent)?.result.error?.[''] ?? undefined
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <p>
        <Link to={`/sessions/${d.session.id}`}>← {d.session.title}</Link>
      </p>
      <div>
        <h1>{t('groups.title')}</h1>
        {d.cohort ? <p className="text-slate-700">{t('groups.cohort', { name: d.cohort.name })}</p> : null}
      </div>
      {!d.cohort ? (
        <p className="notice" role="status">
          {t('groups.noCohort')}
        </p>
      ) : (
        <>
          <FormGroups errors={errorsFor('form')} hasWork={d.assignments.length > 0} />
          <section className="space-y-3">
            <div className="flex flex-wrap items-center gap-2">
              <h2>{t('groups.board')}</h2>
              <Form method="post" className="ml-auto">
                <button type="submit" name="intent" value="add-group" className="btn-secondary">
                  {t('groups.addGroup')}
                </button>
              </Form>
            </div>
            <FormErrors errors={errorsFor('move') ?? errorsFor('add-group') ?? errorsFor('remove-group') ?? undefined} />
            {d.groups.length === 0 && d.unassigned.length === 0 ? (
              <p className="text-slate-700">{t('groups.nobody')}</p>
            ) : (
              <GroupBoard groups={d.groups} unassigned={d.unassigned} />
            )}
          </section>
          {d.groups.length > 0 ? <Assign d={d} /> : null}
          {d.assignments.length > 0 ? <Work d={d} orderErrors={errorsFor('order')} /> : null}
        </>
      )}
    </div>
  )
}

function FormGroups({ errors, hasWork }: { errors?: string[]; hasWork: boolean }) {
  const t = useT()
  return (
    <section className="card space-y-3">
      <h2>{t('groups.form.title')}</h2>
      {hasWork ? <p className="text-sm text-slate-700">{t('groups.form.hasWork')}</p> : null}
      <FormErrors errors={errors ?? undefined} />
      <Form method="post" className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="intent" value="form" />
        <fieldset className="flex gap-3">
          <legend className="label">{t('groups.form.method')}</legend>
          {(['balanced', 'random'] as const).map((m) => (
            <label key={m} className="flex items-center gap-1">
              <input type="radio" name="method" value={m} defaultChecked={m === 'balanced'} /> {t(`groups.form.method.${m}`)}
            </label>
          ))}
        </fieldset>
        <div>
          <label className="label" htmlFor="form-by">
            {t('groups.form.by')}
          </label>
          <select id="form-by" name="by" className="input" defaultValue="size">
            <option value="size">{t('groups.form.by.size')}</option>
            <option value="count">{t('groups.form.by.count')}</option>
          </select>
        </div>
        <div>
          <label className="label" htmlFor="form-value">
            {t('groups.form.value')}
          </label>
          <input id="form-value" name="value" type="number" min={1} max={100} defaultValue={4} className="input w-24" required />
        </div>
        <label className="flex items-center gap-1">
          <input type="checkbox" name="seniority" /> {t('groups.form.seniority')}
        </label>
        <button type="submit" className="btn-primary" disabled={hasWork}>
          {t('groups.form.submit')}
        </button>
      </Form>
    </section>
  )
}

function Assign({ d }: { d: Data }) {
  const t = useT()
  const locale = useLocale()
  const actionData = useActionData<typeof action>()
  const result = actionData?.intent === 'assign' ? actionData.result : undefined
  const existing = d.assignments[0]
  const [mode, setMode] = useState<'same' | 'different'>(new Set(d.assignments.map((a) => a.caseId)).size > 1 ? 'different' : 'same')
  const zone = d.session.timeZone
  const defaultDue = existing
    ? instantToZoned(existing.dueAt, zone)
    : d.nextSession
      ? instantToZoned(new Date(new Date(d.nextSession.startsAt).getTime() - 86_400_000), zone)
      : ''
  const caseOptions = d.cases.map((c) => (
    <option key={c.id} value={c.id}>
      {c.title[locale] || c.title.en} ({t(`cases.function.${c.function}`)})
    </option>
  ))
  return (
    <section className="card space-y-3">
      <h2>{t('cases.assign.title')}</h2>
      {actionData && 'assigned' in actionData ? (
        <p className="notice" role="status">
          {t('cases.assign.done', { count: actionData.assigned ?? 0 })}
        </p>
      ) : null}
      <FormErrors errors={result?.error?.[''] ?? undefined} />
      <Form method="post" className="space-y-3">
        <input type="hidden" name="intent" value="assign" />
        <fieldset className="flex flex-wrap gap-3">
          <legend className="label">{t('cases.assign.mode')}</legend>
          {(['same', 'different'] as const).map((m) => (
            <label key={m} className="flex items-center gap-1">
              <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} /> {t(`cases.assign.mode.${m}`)}
            </label>
          ))}
        </fieldset>
        {mode === 'same' ? (
          <div>
            <label className="label" htmlFor="assign-case">
              {t('cases.assign.case')}
            </label>
            <select id="assign-case" name="caseId" className="input" defaultValue={existing?.caseId ?? ''}>
              <option value="">—</option>
              {caseOptions}
            </select>
            <FieldErrors errors={result?.error?.caseId ?? undefined} />
          </div>
        ) : (
          <div className="grid gap-2 sm:grid-cols-2">
            {d.groups.map((g) => (
              <div key={g.id}>
                <label className="label" htmlFor={`assign-case-${g.id}`}>
                  {t('groups.groupName', { name: g.name })}
                </label>
                <select
                  id={`assign-case-${g.id}`}
                  name={`cases.${g.id}`}
                  className="input"
                  defaultValue={d.assignments.find((a) => a.groupId === g.id)?.caseId ?? ''}
                >
                  <option value="">—</option>
                  {caseOptions}
                </select>
                <FieldErrors errors={result?.error?.[`cases.${g.id}`] ?? undefined} />
              </div>
            ))}
          </div>
        )}
        <div className="grid gap-3 sm:grid-cols-3">
          <div>
            <label className="label" htmlFor="assign-due">
              {t('cases.assign.due', { zone })}
            </label>
            <input id="assign-due" name="dueAt" type="datetime-local" className="input" defaultValue={defaultDue} required />
            {d.nextSession ? <p className="text-xs text-slate-600">{t('cases.assign.beforeSession2', { title: d.nextSession.title })}</p> : null}
            <FieldErrors errors={result?.error?.dueAt ?? undefined} />
          </div>
          <div>
            <label className="label" htmlFor="assign-rubric">
              {t('cases.assign.rubric')}
            </label>
            <select id="assign-rubric" name="rubricId" className="input" defaultValue={existing?.rubricId}>
              {d.rubrics.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name[locale] || r.name.en}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label className="label" htmlFor="assign-minutes">
              {t('cases.assign.minutes')}
            </label>
            <input
              id="assign-minutes"
              name="presentMinutes"
              type="number"
              min={1}
              max={120}
              defaultValue={existing?.presentMinutes ?? 10}
              className="input w-24"
            />
          </div>
        </div>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="peerRatings" defaultChecked={existing?.peerRatings ?? false} /> {t('cases.assign.peerRatings')}
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="contributionRatings" defaultChecked={existing?.contributionRatings ?? false} /> {t('cases.assign.contributionRatings')}
        </label>
        <button type="submit" className="btn-primary">
          {t('cases.assign.submit')}
        </button>
      </Form>
    </section>
  )
}

function Work({ d, orderErrors }: { d: Data; orderErrors?: string[] }) {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  const rows = [...d.assignments].sort((a, b) => (a.presentOrder ?? 999) - (b.presentOrder ?? 999))
  const groupName = (id: string) => d.groups.find((g) => g.id === id)?.name ?? ''
  return (
    <section className="card space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <h2>{t('cases.work.title')}</h2>
        <Link to={`/sessions/${d.session.id}/groups/present`} className="btn-primary ml-auto">
          {t('cases.present.start')}
        </Link>
      </div>
      <FormErrors errors={orderErrors} />
      <Form method="post" id="order-form">
        <input type="hidden" name="intent" value="order" />
      </Form>
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left">
              <th>{t('cases.work.order')}</th>
              <th>{t('cases.work.group')}</th>
              <th>{t('cases.work.case')}</th>
              <th>{t('cases.work.submission')}</th>
              <th>{t('cases.work.grade')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((a, i) => (
              <tr key={a.id} className="border-t border-slate-200" data-assignment={groupName(a.groupId)}>
                <td>
                  <label className="sr-only" htmlFor={`pos-${a.id}`}>
                    {t('cases.work.order')}
                  </label>
                  <input
                    id={`pos-${a.id}`}
                    form="order-form"
                    name={`positions.${a.id}`}
                    type="number"
                    min={1}
                    defaultValue={a.presentOrder ?? i + 1}
                    className="input w-16"
                  />
                </td>
                <td>
                  <Link to={`/groups/${a.groupId}`}>{t('groups.groupName', { name: groupName(a.groupId) })}</Link>
                  {a.presentedAt ? <span className="badge ml-1">{t('cases.module.presented')}</span> : null}
                </td>
                <td>{a.caseTitle[locale] || a.caseTitle.en}</td>
                <td suppressHydrationWarning>
                  {a.versions === 0 ? t('cases.work.nothing') : t('cases.work.versions', { count: a.versions })}
                  {a.lateVersions > 0 ? <span className="badge ml-1 bg-amber-100 text-amber-900">{t('cases.late')}</span> : null}
                  <div className="text-xs text-slate-600">{t('cases.due', { when: formatDateTime(a.dueAt) })}</div>
                </td>
                <td>
                  {a.gradeScore === null ? '—' : `${a.gradeScore} / 100`}
                  {a.releasedAt ? <span className="badge ml-1">{t('cases.grade.released')}</span> : null}
                </td>
                <td className="space-x-2 whitespace-nowrap">
                  {a.versions > 0 ? (
                    <Link to={`/assignments/${a.id}/grade`} className="btn-secondary">
                      {t('cases.work.gradeLink')}
                    </Link>
                  ) : null}
                  {a.gradeScore !== null && !a.releasedAt ? (
                    <Form method="post" className="inline">
                      <input type="hidden" name="assignmentId" value={a.id} />
                      <button type="submit" name="intent" value="release" className="btn-secondary">
                        {t('cases.grade.release')}
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="submit" form="order-form" name="mode" value="manual" className="btn-secondary">
          {t('cases.present.saveOrder')}
        </button>
        <button type="submit" form="order-form" name="mode" value="random" className="btn-secondary">
          {t('cases.present.randomOrder')}
        </button>
      </div>
    </section>
  )
}

export const ErrorBoundary = RouteErrorBoundary
