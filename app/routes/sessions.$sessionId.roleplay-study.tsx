import { pageTitle } from '~/components/admin/page-title'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { parseWithZod } from '@conform-to/zod'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/route-error'
import { FormErrors } from '~/components/ui/field'
import { ResumableUpload } from '~/components/upload/resumable-upload'
import { translator } from '~/i18n'
import { resolveLocale } from '~/i18n/locale.server'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'
import { requireUser } from '~/modules/auth/session.server'
import { UploadRejected, uploadRejectionMessage } from '~/modules/files/uploads.server'
import { StudyPackForm } from '~/modules/roleplay/study'
import { editStudyPack, studyChoices, studyGrid, type StudyGridGroup } from '~/modules/roleplay/study.server'
import { param, readForm } from '~/shared/forms'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.roleplayStudy'))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const sessionId = param(params, 'sessionId')
  const grid = await studyGrid(user, sessionId)
  return { sessionId, groups: grid.groups, choices: await studyChoices() }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  // The page's own session must be one the actor teaches; the edit itself checks the assignment's cohort.
  await studyGrid(user, param(params, 'sessionId'))
  const submission = parseWithZod(await readForm(request), { schema: StudyPackForm })
  if (submission.status !== 'success') return data({ result: submission.reply(), target: null }, { status: 400 })
  const value = submission.value
  const target = 'assignmentId' in value ? value.assignmentId : value.itemId
  try {
    const r = await editStudyPack(user, value)
    if (!r.ok) return data({ result: submission.reply({ formErrors: [r.error] }), target }, { status: 400 })
    return { result: submission.reply({ resetForm: true }), target }
  } catch (error) {
    if (!(error instanceof UploadRejected)) throw error
    return data(
      { result: submission.reply({ formErrors: [uploadRejectionMessage(translator(await resolveLocale(request)), error)] }), target },
      { status: 400 },
    )
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function RoleplayStudyPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-5xl space-y-5">
      <p>
        <Link to={`/sessions/${d.sessionId}`}>← {t('common.back')}</Link>
      </p>
      <h1>{t('roleplayStudy.staff.title')}</h1>
      <p className="text-slate-700">{t('roleplayStudy.staff.intro')}</p>
      {d.groups.length === 0 ? <p className="card">{t('roleplayStudy.staff.none')}</p> : null}
      {d.groups.map((g) => (
        <GroupSection key={g.assignmentId} group={g} choices={d.choices} />
      ))}
    </div>
  )
}

function GroupSection({ group, choices }: { group: Data['groups'][number]; choices: Data['choices'] }) {
  const t = useT()
  const locale = useLocale()
  const navigation = useNavigation()
  const result = useActionData<typeof action>()
  const mine = result && (result.target === group.assignmentId || group.items.some((i) => i.id === result.target))
  const text = (v: { en: string; 'zh-CN': string } | null | undefined) => (v ? v[locale] || v.en : '')
  const busy = navigation.state === 'submitting'
  const headingId = `group-${group.assignmentId}`
  return (
    <section className="card space-y-4" aria-labelledby={headingId}>
      <div>
        <h2 id={headingId}>{t('roleplayStudy.group', { name: group.groupName })}</h2>
        <p className="text-sm text-slate-600">
          {t('roleplayStudy.scenario', { title: text(group.scenarioTitle) })} ·{' '}
          <Link to={`/roleplay/${group.assignmentId}/study`}>{t('roleplayStudy.staff.memberView')}</Link>
        </p>
      </div>
      {mine ? <FormErrors errors={result?.result.error?.[''] ?? undefined} /> : null}
      <div className="space-y-2">
        <h3>{t('roleplayStudy.staff.pack')}</h3>
        {group.items.length === 0 ? <p className="text-sm text-slate-600">{t('roleplayStudy.staff.emptyPack')}</p> : null}
        <ol className="space-y-1">
          {group.items.map((item, index) => {
            const title = text(item.title)
            return (
              <li key={item.id} className="flex flex-wrap items-center gap-2">
                <span className="badge bg-slate-100 text-slate-800">{t(`roleplayStudy.kind.${item.kind}`)}</span>
                <span className="min-w-0 flex-1">
                  {index + 1}. {title}
                  {item.course ? <span className="text-sm text-slate-600"> · {text(item.course)}</span> : null}
                </span>
                <Form method="post" className="inline">
                  <input type="hidden" name="intent" value="move" />
                  <input type="hidden" name="itemId" value={item.id} />
                  <button
                    type="submit"
                    name="direction"
                    value="up"
                    className="btn-secondary"
                    disabled={busy || index === 0}
                    aria-label={t('roleplayStudy.staff.up', { title })}
                  >
                    ↑
                  </button>{' '}
                  <button
                    type="submit"
                    name="direction"
                    value="down"
                    className="btn-secondary"
                    disabled={busy || index === group.items.length - 1}
                    aria-label={t('roleplayStudy.staff.down', { title })}
                  >
                    ↓
                  </button>
                </Form>
                <Form method="post" className="inline">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="itemId" value={item.id} />
                  <button type="submit" className="btn-secondary" disabled={busy} aria-label={t('roleplayStudy.staff.remove', { title })}>
                    ✕
                  </button>
                </Form>
              </li>
            )
          })}
        </ol>
        <div className="grid gap-3 md:grid-cols-3">
          <AddForm
            assignmentId={group.assignmentId}
            kind="course_module"
            label={t('roleplayStudy.staff.addLesson')}
            options={choices.lessons.map((l) => ({ value: l.id, label: `${text(l.course)} · ${text(l.title)}` }))}
          />
          <AddForm
            assignmentId={group.assignmentId}
            kind="video"
            label={t('roleplayStudy.staff.addVideo')}
            options={choices.videos.map((v) => ({ value: v.id, label: text(v.title) }))}
          />
          <Form method="post" className="space-y-1">
            <input type="hidden" name="intent" value="add-file" />
            <input type="hidden" name="assignmentId" value={group.assignmentId} />
            <p className="text-sm font-medium">{t('roleplayStudy.staff.addFile')}</p>
            <ResumableUpload purpose="roleplay-study" name="uploadId" accept=".pdf,.pptx" />
            <button type="submit" className="btn-secondary" disabled={busy}>
              {t('roleplayStudy.staff.add')}
            </button>
          </Form>
        </div>
      </div>
      <ProgressGrid group={group} />
    </section>
  )
}

function AddForm({ assignmentId, kind, label, options }: { assignmentId: string; kind: string; label: string; options: { value: string; label: string }[] }) {
  const t = useT()
  const id = `add-${kind}-${assignmentId}`
  return (
    <Form method="post" className="space-y-1">
      <input type="hidden" name="intent" value="add" />
      <input type="hidden" name="assignmentId" value={assignmentId} />
      <input type="hidden" name="kind" value={kind} />
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} name="ref" required className="w-full" defaultValue="">
        <option value="" disabled>
          {t('roleplayStudy.staff.choose')}
        </option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <button type="submit" className="btn-secondary">
        {t('roleplayStudy.staff.add')}
      </button>
    </Form>
  )
}

/** Members × items: ✓ finished, ◐ opened, · not opened (with the full words for screen readers and on hover). */
function ProgressGrid({ group }: { group: StudyGridGroup | Data['groups'][number] }) {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  if (group.members.length === 0) return <p className="text-sm text-slate-600">{t('roleplayStudy.staff.noMembers')}</p>
  if (group.items.length === 0) return null
  return (
    <div className="space-y-2">
      <h3>{t('roleplayStudy.staff.grid')}</h3>
      <div className="overflow-x-auto">
        <table className="text-sm" data-testid="study-grid">
          <caption className="sr-only">{t('roleplayStudy.staff.gridCaption', { name: group.groupName })}</caption>
          <thead>
            <tr>
              <th scope="col" className="text-left">
                {t('roleplayStudy.staff.member')}
              </th>
              {group.items.map((item, index) => (
                <th key={item.id} scope="col" className="max-w-[10rem] truncate px-2 text-left font-normal" title={item.title[locale] || item.title.en}>
                  {index + 1}. {item.title[locale] || item.title.en}
                </th>
              ))}
              <th scope="col" className="px-2 text-left">
                {t('roleplayStudy.staff.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {group.members.map((m) => (
              <tr key={m.userId}>
                <th scope="row" className="pr-3 text-left font-medium">
                  {m.name}
                </th>
                {group.items.map((item) => {
                  const cell = m.cells[item.id]
                  const label = cell?.finishedAt
                    ? t('roleplayStudy.cell.finished', { when: formatDateTime(cell.finishedAt) })
                    : cell?.openedAt
                      ? t('roleplayStudy.cell.opened', { when: formatDateTime(cell.openedAt) })
                      : t('roleplayStudy.cell.none')
                  return (
                    <td key={item.id} className="px-2 text-center" title={label}>
                      <span aria-hidden="true" className={cell?.finishedAt ? 'text-emerald-700' : cell?.openedAt ? 'text-amber-700' : 'text-slate-400'}>
                        {cell?.finishedAt ? '✓' : cell?.openedAt ? '◐' : '·'}
                      </span>
                      <span className="sr-only">{label}</span>
                    </td>
                  )
                })}
                <td className="px-2">
                  {m.finished}/{group.items.length}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
