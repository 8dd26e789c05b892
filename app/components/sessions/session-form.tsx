import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form, useNavigation } from '@remix-run/react'
import { FieldErrors, TextField } from '~/components/ui/field'
import { useLocale, useT } from '~/i18n/use-t'
import { SessionForm } from '~/modules/sessions/sessions'
import { commonTimeZones } from '~/shared/time'
import type { Localized } from '~/i18n/define'

export type SessionFormDefaults = {
  title?: string
  cohortId?: string | null
  courseRef?: string | null
  description?: string | null
  startsAt?: string
  endsAt?: string
  timeZone?: string
  place?: string | null
  onlineUrl?: string | null
  capacity?: number | null
  trainerIds?: string[]
  checkInOpensBefore?: number | null
  checkInClosesAfter?: number | null
  lateAfter?: number | null
}

type Options = {
  cohorts: { id: string; name: string }[]
  trainers: { id: string; name: string; email: string }[]
  /** Session modules of the courses: choosing one makes attendance count for it. */
  programmes?: { ref: string; module: Localized; course: Localized }[]
}

const clean = (v: string | number | null | undefined) => (v === null || v === undefined ? undefined : String(v))

/** Create and edit a session. Times are typed as wall-clock times in the session's own zone. */
export function SessionFormFields({
  lastResult,
  defaults,
  options,
  intent,
  submitLabel,
}: {
  lastResult?: SubmissionResult<string[]> | null
  defaults?: SessionFormDefaults
  options: Options
  intent?: string
  submitLabel: string
}) {
  const t = useT()
  const locale = useLocale()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: intent ?? 'session',
    lastResult,
    constraint: getZodConstraint(SessionForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SessionForm }),
    shouldValidate: 'onBlur',
    defaultValue: {
      title: clean(defaults?.title),
      cohortId: clean(defaults?.cohortId),
      courseRef: clean(defaults?.courseRef),
      description: clean(defaults?.description),
      startsAt: clean(defaults?.startsAt),
      endsAt: clean(defaults?.endsAt),
      timeZone: defaults?.timeZone ?? 'Asia/Shanghai',
      place: clean(defaults?.place),
      onlineUrl: clean(defaults?.onlineUrl),
      capacity: clean(defaults?.capacity),
      trainerIds: defaults?.trainerIds ?? [],
      checkInOpensBefore: clean(defaults?.checkInOpensBefore),
      checkInClosesAfter: clean(defaults?.checkInClosesAfter),
      lateAfter: clean(defaults?.lateAfter),
    },
  })
  const zone = fields.timeZone.value ?? defaults?.timeZone ?? 'Asia/Shanghai'
  const zones: string[] = commonTimeZones.includes(zone as (typeof commonTimeZones)[number]) ? [...commonTimeZones] : [zone, ...commonTimeZones]
  const chosenTrainers = new Set(defaults?.trainerIds ?? [])
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <TextField field={fields.title} label={t('sessions.field.title')} />
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor={fields.cohortId.id} className="label">
            {t('sessions.field.cohort')}
          </label>
          <select {...getSelectProps(fields.cohortId)} key={fields.cohortId.key} className="input">
            <option value="">{t('sessions.noCohort')}</option>
            {options.cohorts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.cohortId.errorId} errors={fields.cohortId.errors} />
        </div>
        <CourseModuleSelect field={fields.courseRef} programmes={options.programmes ?? []} current={defaults?.courseRef ?? null} locale={locale} />
      </div>
      <div>
        <label htmlFor={fields.description.id} className="label">
          {t('sessions.field.description')}
        </label>
        <textarea {...getTextareaProps(fields.description)} key={fields.description.key} rows={3} className="input" />
        <FieldErrors id={fields.description.errorId} errors={fields.description.errors} />
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <div>
          <label htmlFor={fields.startsAt.id} className="label">
            {t('sessions.field.startsAt')}
          </label>
          <input {...getInputProps(fields.startsAt, { type: 'datetime-local' })} key={fields.startsAt.key} className="input" />
          <FieldErrors id={fields.startsAt.errorId} errors={fields.startsAt.errors} />
        </div>
        <div>
          <label htmlFor={fields.endsAt.id} className="label">
            {t('sessions.field.endsAt')}
          </label>
          <input {...getInputProps(fields.endsAt, { type: 'datetime-local' })} key={fields.endsAt.key} className="input" />
          <FieldErrors id={fields.endsAt.errorId} errors={fields.endsAt.errors} />
        </div>
        <div>
          <label htmlFor={fields.timeZone.id} className="label">
            {t('sessions.field.timeZone')}
          </label>
          <select {...getSelectProps(fields.timeZone)} key={fields.timeZone.key} className="input">
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.timeZone.errorId} errors={fields.timeZone.errors} />
        </div>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField field={fields.place} label={t('sessions.field.place')} />
        <TextField field={fields.onlineUrl} label={t('sessions.field.onlineUrl')} type="url" placeholder="https://" />
      </div>
      <div className="max-w-xs">
        <label htmlFor={fields.capacity.id} className="label">
          {t('sessions.field.capacity')}
        </label>
        <input {...getInputProps(fields.capacity, { type: 'number' })} key={fields.capacity.key} min={1} className="input" />
        <p className="mt-1 text-xs text-slate-600">{t('sessions.field.capacityHint')}</p>
        <FieldErrors id={fields.capacity.errorId} errors={fields.capacity.errors} />
      </div>
      <fieldset>
        <legend className="label">{t('sessions.field.trainers')}</legend>
        {options.trainers.length === 0 ? (
          <p className="text-sm text-slate-600">{t('sessions.noTrainers')}</p>
        ) : (
          <ul className="grid gap-1 sm:grid-cols-2">
            {options.trainers.map((trainer) => (
              <li key={trainer.id}>
                <label className="flex min-h-10 items-center gap-2 text-sm">
                  <input type="checkbox" name={fields.trainerIds.name} value={trainer.id} defaultChecked={chosenTrainers.has(trainer.id)} className="size-4" />
                  <span>
                    {trainer.name} <span className="text-slate-600">{trainer.email}</span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
        <FieldErrors id={fields.trainerIds.errorId} errors={fields.trainerIds.errors} />
      </fieldset>
      <details className="rounded-md border border-slate-200 p-3">
        <summary className="cursor-pointer text-sm font-medium">{t('sessions.field.checkInSettings')}</summary>
        <p className="mt-2 text-xs text-slate-600">{t('sessions.field.checkInHint')}</p>
        <div className="mt-3 grid gap-4 sm:grid-cols-3">
          {(['checkInOpensBefore', 'checkInClosesAfter', 'lateAfter'] as const).map((name) => (
            <div key={name}>
              <label htmlFor={fields[name].id} className="label">
                {t(`sessions.field.${name}`)}
              </label>
              <input {...getInputProps(fields[name], { type: 'number' })} key={fields[name].key} min={0} max={240} className="input" />
              <FieldErrors id={fields[name].errorId} errors={fields[name].errors} />
            </div>
          ))}
        </div>
      </details>
      <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
        {submitLabel}
      </button>
    </Form>
  )
}

/**
 * The course module a session belongs to (its `courseRef`). Several modules may share one
 * reference; a reference typed before modules existed stays selectable so an edit keeps it.
 */
function CourseModuleSelect({
  field,
  programmes,
  current,
  locale,
}: {
  field: Parameters<typeof getSelectProps>[0]
  programmes: NonNullable<Options['programmes']>
  current: string | null
  locale: 'en' | 'zh-CN'
}) {
  const t = useT()
  const byRef = new Map<string, string[]>()
  for (const p of programmes) byRef.set(p.ref, [...(byRef.get(p.ref) ?? []), `${p.module[locale] || p.module.en} · ${p.course[locale] || p.course.en}`])
  const refs = [...byRef.keys()]
  if (current && !byRef.has(current)) refs.push(current)
  return (
    <div>
      <label htmlFor={field.id} className="label">
        {t('sessions.field.courseModule')}
      </label>
      <select {...getSelectProps(field)} key={field.key} className="input" aria-describedby={`${field.id}-hint`}>
        <option value="">{t('sessions.noCourseModule')}</option>
        {refs.map((ref) => (
          <option key={ref} value={ref}>
            {byRef.get(ref)?.join('; ') ?? ref} ({ref})
          </option>
        ))}
      </select>
      <p id={`${field.id}-hint`} className="mt-1 text-xs text-slate-600">
        {t('sessions.field.courseModuleHint')}
      </p>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  )
}
