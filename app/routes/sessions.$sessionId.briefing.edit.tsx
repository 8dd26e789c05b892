import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type FieldMetadata } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useSessionTime } from '~/components/sessions/badges'
import { RouteErrorBoundary } from '~/components/route-error'
import { FieldErrors, FormErrors } from '~/components/ui/field'
import { useT, useFormatList } from '~/i18n/use-t'
import { appUrl } from '~/load-context'
import { requireUser } from '~/modules/auth/session.server'
import { BriefingForm } from '~/modules/briefings/briefings'
import { getBriefingForEditing, saveBriefing } from '~/modules/briefings/briefings.server'
import { sessionHeading } from '~/modules/sessions/sessions'
import { param, readForm } from '~/shared/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Genjin · ${data?.session.title ?? ''}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { session, briefing, defaults, audienceNow, lecturers } = await getBriefingForEditing(user, param(params, 'sessionId'))
  return {
    session: sessionHeading(session),
    briefing: briefing ? { status: briefing.status, version: briefing.version } : null,
    defaults,
    audienceNow,
    lecturers: lecturers.map((l) => l.name),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await readForm(request), { schema: BriefingForm })
  if (submission.status !== 'success') return { result: submission.reply() }
  const result = await saveBriefing(user, param(params, 'sessionId'), submission.value, { origin: appUrl() })
  if (!result.ok) return { result: submission.reply({ formErrors: [result.error] }) }
  return { result: submission.reply(), saved: result }
}

export default function EditBriefing() {
  const t = useT()
  const formatList = useFormatList()
  const sessionTime = useSessionTime()
  const { session, briefing, defaults, audienceNow, lecturers } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'briefing',
    lastResult: navigation.state === 'idle' ? data?.result : undefined,
    defaultValue: defaults,
    constraint: getZodConstraint(BriefingForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: BriefingForm }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const published = briefing?.status === 'published'
  const saved = data?.saved
  const notice = saved
    ? saved.status === 'draft'
      ? t('briefings.savedDraft')
      : saved.changed
        ? t('briefings.published', { version: saved.version, count: saved.notified })
        : t('briefings.unchanged', { version: saved.version })
    : null
  const fillAudience = () => {
    // Plain form fields (conform leaves them uncontrolled): set them as the person would type.
    const set = (id: string, value: string) => {
      const el = document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null
      if (el) el.value = value
    }
    set(fields.audienceDepartments.id, audienceNow.departments)
    set(fields.audienceLevels.id, audienceNow.levels)
    set(fields.headCount.id, String(audienceNow.headCount))
  }
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <p className="flex flex-wrap gap-3">
        <Link to={`/sessions/${session.id}`}>← {t('briefings.backToSession')}</Link>
        {briefing ? (
          <Link to={`/sessions/${session.id}/briefing`} className="ml-auto">
            {t('briefings.view')}
          </Link>
        ) : null}
      </p>
      <h1>{t('briefings.editTitle', { title: session.title })}</h1>
      <p className="text-slate-700">{t('briefings.editIntro')}</p>
      <p className="text-sm text-slate-700">{lecturers.length ? t('sessions.trainersLine', { names: formatList(lecturers) }) : t('briefings.noLecturer')}</p>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <FormErrors errors={form.errors} />
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <section className="card space-y-4">
          <div>
            <label htmlFor={fields.language.id} className="label">
              {t('briefings.field.language')}
            </label>
            <select {...getSelectProps(fields.language)} key={fields.language.key} className="input sm:w-60" aria-describedby={`${fields.language.id}-hint`}>
              <option value="zh-CN">{t('briefings.language.zh-CN')}</option>
              <option value="en">{t('briefings.language.en')}</option>
            </select>
            <p id={`${fields.language.id}-hint`} className="mt-1 text-xs text-slate-600">
              {t('briefings.field.languageHint')}
            </p>
          </div>
          <MarkdownField
            field={fields.companyBackground}
            label={t('briefings.field.companyBackground')}
            hint={t('briefings.field.companyBackgroundHint')}
            rows={6}
          />
        </section>

        <section className="card space-y-4" aria-labelledby="audience">
          <h2 id="audience">{t('briefings.section.audience')}</h2>
          <div className="flex flex-wrap items-start gap-3 rounded-md bg-slate-50 p-3 text-sm text-slate-700">
            <p className="flex-1 whitespace-pre-line">
              {t('briefings.audienceNow', {
                headCount: audienceNow.headCount,
                departments: audienceNow.departments.replace(/\n/g, ', ') || '—',
                levels: audienceNow.levels || '—',
              })}
            </p>
            <button type="button" className="btn-secondary min-h-9 px-3 py-1" onClick={fillAudience}>
              {t('briefings.useAudienceNow')}
            </button>
          </div>
          <MarkdownField field={fields.audienceDepartments} label={t('briefings.field.audienceDepartments')} rows={3} />
          <div className="grid gap-4 sm:grid-cols-[1fr_10rem]">
            <div>
              <label htmlFor={fields.audienceLevels.id} className="label">
                {t('briefings.field.audienceLevels')}
              </label>
              <input {...getInputProps(fields.audienceLevels, { type: 'text' })} key={fields.audienceLevels.key} className="input" />
              <FieldErrors id={fields.audienceLevels.errorId} errors={fields.audienceLevels.errors} />
            </div>
            <div>
              <label htmlFor={fields.headCount.id} className="label">
                {t('briefings.field.headCount')}
              </label>
              <input {...getInputProps(fields.headCount, { type: 'number' })} key={fields.headCount.key} min={0} className="input" />
              <FieldErrors id={fields.headCount.errorId} errors={fields.headCount.errors} />
            </div>
          </div>
          <MarkdownField field={fields.audienceNotes} label={t('briefings.field.audienceNotes')} rows={3} />
        </section>

        <section className="card space-y-4">
          <MarkdownField
            field={fields.followUpProblems}
            label={t('briefings.field.followUpProblems')}
            hint={t('briefings.field.followUpProblemsHint')}
            rows={6}
          />
          <MarkdownField field={fields.cases} label={t('briefings.field.cases')} rows={5} />
          <MarkdownField field={fields.dosAndDonts} label={t('briefings.field.dosAndDonts')} rows={5} />
        </section>

        <section className="card space-y-4" aria-labelledby="logistics">
          <h2 id="logistics">{t('briefings.section.logistics')}</h2>
          <p className="text-sm text-slate-700" suppressHydrationWarning>
            {t('briefings.logisticsFromSession', { when: sessionTime(session), place: session.place ?? '—' })}
          </p>
          <MarkdownField field={fields.equipment} label={t('briefings.field.equipment')} rows={3} />
          <MarkdownField field={fields.contact} label={t('briefings.field.contact')} hint={t('briefings.field.contactHint')} rows={2} />
          <MarkdownField field={fields.logisticsNotes} label={t('briefings.field.logisticsNotes')} rows={3} />
        </section>

        {session.status === 'cancelled' ? null : (
          <div className="flex flex-wrap items-center gap-3">
            {published ? (
              <>
                <button type="submit" name="intent" value="publish" className="btn-primary" disabled={navigation.state === 'submitting'}>
                  {t('briefings.publishChanges', { version: (briefing?.version ?? 0) + 1 })}
                </button>
                <p className="text-sm text-slate-700">{t('briefings.publishChangesHint')}</p>
              </>
            ) : (
              <>
                <button type="submit" name="intent" value="save" className="btn-secondary" disabled={navigation.state === 'submitting'}>
                  {t('briefings.saveDraft')}
                </button>
                <button type="submit" name="intent" value="publish" className="btn-primary" disabled={navigation.state === 'submitting'}>
                  {t('briefings.publish')}
                </button>
              </>
            )}
          </div>
        )}
      </Form>
    </div>
  )
}

function MarkdownField({ field, label, hint, rows }: { field: FieldMetadata<string | undefined>; label: string; hint?: string; rows: number }) {
  const hintId = `${field.id}-hint`
  return (
    <div>
      <label htmlFor={field.id} className="label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="mb-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <textarea {...getTextareaProps(field, { ariaDescribedBy: hint ? hintId : undefined })} key={field.key} rows={rows} className="input font-[inherit]" />
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  )
}

export const ErrorBoundary = RouteErrorBoundary
