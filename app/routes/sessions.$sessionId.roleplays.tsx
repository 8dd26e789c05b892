import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { RouteErrorBoundary } from '~/components/route-error'
import { FieldErrors, FormErrors } from '~/components/ui/field'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { AssignRoleplayForm, PerformedLiveForm } from '~/modules/roleplay/roleplay'
import { assignRoleplay, getRoleplayBoard, markPerformedLive } from '~/modules/roleplay/roleplay.server'
import { instantToZoned } from '~/shared/time'
import { param, readForm } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.session.title ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const board = await getRoleplayBoard(user, param(params, 'sessionId'))
  // The default due time: the session's start, in its own time zone.
  return { ...board, defaultDue: instantToZoned(board.session.startsAt, board.session.timeZone) }
}

const BoardAction = z.discriminatedUnion('intent', [AssignRoleplayForm, PerformedLiveForm])

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const sessionId = param(params, 'sessionId')
  const submission = parseWithZod(await readForm(request), { schema: BoardAction })
  if (submission.status !== 'success') return data({ result: submission.reply(), groupId: null as string | null }, { status: 400 })
  const value = submission.value
  if (value.intent === 'assign') {
    const r = await assignRoleplay(user, sessionId, value)
    if (!r.ok) return data({ result: submission.reply({ fieldErrors: r.errors }), groupId: value.groupId as string | null }, { status: 400 })
    return { result: submission.reply(), groupId: value.groupId as string | null, saved: true }
  }
  const r = await markPerformedLive(user, sessionId, value.assignmentId, value.live === 'yes')
  if (!r.ok) return data({ result: submission.reply({ formErrors: [r.error] }), groupId: null as string | null }, { status: 400 })
  return { result: submission.reply(), groupId: null as string | null }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Group = Data['groups'][number]

export default function RoleplayBoard() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-5xl space-y-5">
      <p>
        <Link to={`/sessions/${d.session.id}`}>← {d.session.title}</Link>
      </p>
      <div>
        <h1>{t('rp.board.title')}</h1>
        <p className="text-slate-700">{t('rp.board.intro')}</p>
      </div>
      {actionData && actionData.groupId === null ? <FormErrors errors={actionData.result.error?.[''] ?? undefined} /> : null}
      {!d.cohort ? (
        <p className="notice" role="status">
          {t('groups.noCohort')}
        </p>
      ) : d.groups.length === 0 ? (
        <p className="notice" role="status">
          {t('rp.board.noGroups')} <Link to={`/sessions/${d.session.id}/groups`}>{t('groups.title')}</Link>
        </p>
      ) : d.scenarios.length === 0 ? (
        <p className="notice" role="status">
          {t('rp.board.noScenarios')}
        </p>
      ) : (
        d.groups.map((g) => <GroupCard key={g.id} d={d} group={g} />)
      )}
    </div>
  )
}

function GroupCard({ d, group }: { d: Data; group: Group }) {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  const navigation = useNavigation()
  const actionData = useActionData<typeof action>()
  const mine = actionData && actionData.groupId === group.id ? actionData : undefined
  const errors = mine?.result.error ?? {}
  const a = group.assignment
  const scenarioId = a?.scenarioId ?? d.scenarios[0].id
  const scenario = d.scenarios.find((s) => s.id === scenarioId) ?? d.scenarios[0]
  const titleId = `group-${group.id}-title`
  return (
    <section className="card space-y-3" aria-labelledby={titleId} data-group={group.name}>
      <div className="flex flex-wrap items-baseline gap-2">
        <h2 id={titleId}>{t('groups.groupName', { name: group.name })}</h2>
        <span className="text-sm text-slate-700">{group.members.map((m) => m.name).join(' · ')}</span>
        {a ? (
          <span className="ml-auto flex flex-wrap gap-2">
            <span className="badge">{t('rp.board.recordings', { n: a.recordings })}</span>
            {a.performedLiveAt ? <span className="badge bg-sky-100 text-sky-900">{t('rp.live.performed')}</span> : null}
            {a.releasedAt ? (
              <span className="badge bg-emerald-100 text-emerald-900">{t('rp.review.releasedScore', { score: a.score ?? 0 })}</span>
            ) : a.reviewMode ? (
              <span className="badge bg-amber-100 text-amber-900">{t('rp.review.draft')}</span>
            ) : null}
          </span>
        ) : null}
      </div>
      {mine && 'saved' in mine ? (
        <p className="notice" role="status">
          {t('rp.board.saved')}
        </p>
      ) : null}
      <FormErrors errors={errors[''] ?? undefined} />
      <Form method="post" className="space-y-3" key={`${group.id}-${a?.id ?? 'new'}-${a?.scenarioId ?? ''}`}>
        <input type="hidden" name="intent" value="assign" />
        <input type="hidden" name="groupId" value={group.id} />
        <div className="grid gap-3 sm:grid-cols-2">
          <div>
            <label className="label" htmlFor={`${group.id}-scenario`}>
              {t('rp.board.scenario')}
            </label>
            <select id={`${group.id}-scenario`} name="scenarioId" defaultValue={scenarioId} className="input">
              {d.scenarios.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title[locale] || s.title.en}
                </option>
              ))}
            </select>
            <FieldErrors errors={errors.scenarioId ?? undefined} />
          </div>
          <div>
            <label className="label" htmlFor={`${group.id}-due`}>
              {t('rp.board.dueAt', { zone: d.session.timeZone })}
            </label>
            <input
              id={`${group.id}-due`}
              type="datetime-local"
              name="dueAt"
              className="input"
              defaultValue={a ? instantToZoned(a.dueAt, d.session.timeZone) : d.defaultDue}
              required
            />
            <FieldErrors errors={errors.dueAt ?? undefined} />
          </div>
        </div>
        <fieldset className="space-y-2">
          <legend className="label">{t('rp.board.cast')}</legend>
          <p className="text-xs text-slate-600">{t('rp.board.castHelp')}</p>
          {group.members.map((m) => (
            <div key={m.userId} className="flex flex-wrap items-center gap-2">
              <label htmlFor={`${group.id}-cast-${m.userId}`} className="min-w-40">
                {m.name}
              </label>
              <select id={`${group.id}-cast-${m.userId}`} name={`cast.${m.userId}`} defaultValue={a?.cast[m.userId] ?? ''} className="input !w-auto">
                <option value="">{t('rp.board.observer')}</option>
                {scenario.roles.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name[locale] || r.name.en}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <FieldErrors errors={errors.cast ?? undefined} />
        </fieldset>
        <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting' || Boolean(a?.releasedAt)}>
          {a ? t('rp.board.update') : t('rp.board.assign')}
        </button>
      </Form>
      {a ? (
        <div className="flex flex-wrap items-center gap-2 border-t pt-3">
          <span className="text-sm text-slate-700" suppressHydrationWarning>
            {t('rp.due', { when: formatDateTime(a.dueAt) })}
          </span>
          <Link to={`/groups/${group.id}/roleplay`} className="btn-secondary">
            {t('rp.board.groupPage')}
          </Link>
          {a.recordings > 0 ? (
            <Link to={`/roleplays/${a.id}/review`} className="btn-secondary">
              {t('rp.review.open')}
            </Link>
          ) : null}
          <Link to={`/roleplays/${a.id}/live`} className="btn-secondary">
            {t('rp.live.open')}
          </Link>
          {!a.releasedAt ? (
            <Form method="post">
              <input type="hidden" name="intent" value="performed-live" />
              <input type="hidden" name="assignmentId" value={a.id} />
              <input type="hidden" name="live" value={a.performedLiveAt ? 'no' : 'yes'} />
              <button type="submit" className="btn-secondary">
                {a.performedLiveAt ? t('rp.live.undo') : t('rp.live.mark')}
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
    </section>
  )
}

export const ErrorBoundary = RouteErrorBoundary
