import { getFormProps, getInputProps, getTextareaProps, useForm, type FieldMetadata, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { Form, Link } from '@remix-run/react'
import { FieldErrors, FormErrors } from '~/components/ui/field'
import { useLocale, useT } from '~/i18n/use-t'
import { MAX_ROLES, MIN_ROLES, ScenarioForm, keyPointNumbers, type ScenarioFormValue } from '~/modules/roleplay/scenarios'
import type { Localized } from '~/i18n/define'

export type ScenarioView = {
  contentId: string
  source: 'file' | 'browser'
  title: Localized
  situation: Localized
  roles: { id: string; name: Localized; brief: Localized }[]
  keyPoints: number[]
  observerNotes: Localized
  editedAt: string | Date | null
  retiredAt: string | Date | null
}

function paragraphs(text: string) {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
}

function Paragraphs({ text, className }: { text: string; className?: string }) {
  return (
    <>
      {paragraphs(text).map((p, i) => (
        <p key={i} className={`whitespace-pre-wrap ${className ?? ''}`}>
          {p}
        </p>
      ))}
    </>
  )
}

/** The key points as numbered names, e.g. "7. Use data and facts". */
export function KeyPointList({ points }: { points: number[] }) {
  const t = useT()
  return (
    <ul className="flex flex-wrap gap-2" data-key-points>
      {points.map((n) => (
        <li key={n} className="badge">
          {t('roleplays.keyPointNumbered', { n, name: t(`roleplays.keyPoint.${n}`) })}
        </li>
      ))}
    </ul>
  )
}

/** A scenario as HR and trainers read it: the shared situation, every role's private brief, the observer notes. */
export function ScenarioText({ scenario }: { scenario: ScenarioView }) {
  const t = useT()
  const locale = useLocale()
  const pick = (l: Localized) => l[locale] || l.en
  return (
    <article className="space-y-4" data-scenario>
      <div className="card space-y-3">
        <h1>{pick(scenario.title)}</h1>
        {scenario.retiredAt ? <p className="notice">{t('roleplays.scenario.retired')}</p> : null}
        <section aria-labelledby="kp-heading" className="space-y-1">
          <h2 id="kp-heading" className="text-base">
            {t('roleplays.scenario.keyPoints')}
          </h2>
          <KeyPointList points={scenario.keyPoints} />
        </section>
        <section aria-labelledby="situation-heading" className="space-y-2" data-situation>
          <h2 id="situation-heading">{t('roleplays.scenario.situation')}</h2>
          <Paragraphs text={pick(scenario.situation)} />
        </section>
      </div>
      <section aria-labelledby="roles-heading" className="space-y-3">
        <h2 id="roles-heading">{t('roleplays.scenario.roles')}</h2>
        <div className="grid gap-3 md:grid-cols-2">
          {scenario.roles.map((role) => (
            <div key={role.id} className="card space-y-2" data-role={role.id}>
              <h3 className="font-semibold">{pick(role.name)}</h3>
              <p className="text-xs text-slate-600">{t('roleplays.scenario.briefPrivate')}</p>
              <Paragraphs text={pick(role.brief)} className="text-sm" />
            </div>
          ))}
        </div>
      </section>
      <section className="rounded-md border border-violet-300 bg-violet-50 p-4" aria-labelledby="observer-heading" data-observer-notes>
        <h2 id="observer-heading" className="text-violet-900">
          {t('roleplays.scenario.observerNotes')}
        </h2>
        <div className="mt-2 space-y-2">
          <Paragraphs text={pick(scenario.observerNotes)} className="text-sm text-violet-900" />
        </div>
      </section>
    </article>
  )
}

type RoleDefault = { id?: string; nameEn?: string; nameZh?: string; briefEn?: string; briefZh?: string }
type EditorShape = {
  keyPoints?: string[]
  titleEn?: string
  titleZh?: string
  situationEn?: string
  situationZh?: string
  roles: RoleDefault[]
  notesEn?: string
  notesZh?: string
}

function defaultsOf(scenario: ScenarioView | null): EditorShape {
  const roles: RoleDefault[] = (scenario?.roles ?? []).map((r) => ({
    id: r.id,
    nameEn: r.name.en,
    nameZh: r.name['zh-CN'],
    briefEn: r.brief.en,
    briefZh: r.brief['zh-CN'],
  }))
  // Always three slots: the third stays empty for a two-role scenario.
  while (roles.length < MAX_ROLES) roles.push({})
  if (!scenario) return { roles }
  return {
    roles,
    keyPoints: scenario.keyPoints.map(String),
    titleEn: scenario.title.en,
    titleZh: scenario.title['zh-CN'],
    situationEn: scenario.situation.en,
    situationZh: scenario.situation['zh-CN'],
    notesEn: scenario.observerNotes.en,
    notesZh: scenario.observerNotes['zh-CN'],
  }
}

function TextArea({ field, label, rows }: { field: FieldMetadata<string | undefined>; label: string; rows: number }) {
  return (
    <div>
      <label className="label" htmlFor={field.id}>
        {label}
      </label>
      <textarea {...getTextareaProps(field)} rows={rows} className="input" />
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  )
}

function TextInput({ field, label }: { field: FieldMetadata<string | undefined>; label: string }) {
  const props = getInputProps(field, { type: 'text' })
  return (
    <div>
      <label className="label" htmlFor={field.id}>
        {label}
      </label>
      <input {...props} key={props.key} className="input" />
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  )
}

/** HR's editor for a new or an existing scenario: key points, both languages, two or three roles. */
export function ScenarioEditor({
  scenario,
  castRoleIds = [],
  lastResult,
  cancelTo,
}: {
  scenario: ScenarioView | null
  castRoleIds?: string[]
  lastResult?: SubmissionResult<string[]> | null
  cancelTo: string
}) {
  const t = useT()
  const [form, fields] = useForm<EditorShape, ScenarioFormValue>({
    id: 'scenario-editor',
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ScenarioForm }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    defaultValue: defaultsOf(scenario),
  })
  const chosen = new Set((scenario?.keyPoints ?? []).map(String))
  const roles = fields.roles.getFieldList()
  return (
    <Form method="post" {...getFormProps(form)} className="card space-y-4" data-scenario-editor>
      <input type="hidden" name="intent" value="save" />
      <h1>{scenario ? t('roleplays.editor.editTitle') : t('roleplays.editor.newTitle')}</h1>
      {form.status === 'error' ? <p className="alert">{t('roleplays.editor.fixErrors')}</p> : null}
      <FormErrors errors={form.errors} />
      <fieldset>
        <legend className="label">{t('roleplays.editor.keyPoints')}</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {keyPointNumbers.map((n) => (
            <label key={n} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name={fields.keyPoints.name} value={n} defaultChecked={chosen.has(String(n))} />
              {t('roleplays.keyPointNumbered', { n, name: t(`roleplays.keyPoint.${n}`) })}
            </label>
          ))}
        </div>
        <FieldErrors id={fields.keyPoints.errorId} errors={fields.keyPoints.errors} />
      </fieldset>
      <div className="grid gap-3 md:grid-cols-2">
        <TextInput field={fields.titleZh} label={t('roleplays.editor.titleZh')} />
        <TextInput field={fields.titleEn} label={t('roleplays.editor.titleEn')} />
        <TextArea field={fields.situationZh} label={t('roleplays.editor.situationZh')} rows={8} />
        <TextArea field={fields.situationEn} label={t('roleplays.editor.situationEn')} rows={8} />
      </div>
      <FieldErrors id={fields.roles.errorId} errors={fields.roles.errors} />
      {roles.map((role, index) => {
        const r = role.getFieldset()
        const cast = typeof r.id.initialValue === 'string' && castRoleIds.includes(r.id.initialValue)
        return (
          <fieldset key={role.key} className="space-y-3 rounded-md border border-slate-200 p-3" data-role-slot={index + 1}>
            <legend className="px-1 font-semibold">
              {index < MIN_ROLES ? t('roleplays.editor.role', { n: index + 1 }) : t('roleplays.editor.roleOptional', { n: index + 1 })}
            </legend>
            {cast ? <p className="text-xs text-slate-600">{t('roleplays.editor.roleCastNote')}</p> : null}
            <input {...getInputProps(r.id, { type: 'hidden' })} key={r.id.key} />
            <div className="grid gap-3 md:grid-cols-2">
              <TextInput field={r.nameZh} label={t('roleplays.editor.nameZh')} />
              <TextInput field={r.nameEn} label={t('roleplays.editor.nameEn')} />
              <TextArea field={r.briefZh} label={t('roleplays.editor.briefZh')} rows={6} />
              <TextArea field={r.briefEn} label={t('roleplays.editor.briefEn')} rows={6} />
            </div>
          </fieldset>
        )
      })}
      <div className="grid gap-3 md:grid-cols-2">
        <TextArea field={fields.notesZh} label={t('roleplays.editor.notesZh')} rows={5} />
        <TextArea field={fields.notesEn} label={t('roleplays.editor.notesEn')} rows={5} />
      </div>
      <p className="text-xs text-slate-600">{t('roleplays.editor.help')}</p>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary">
          {t('roleplays.editor.save')}
        </button>
        <Link to={cancelTo} className="btn-secondary">
          {t('roleplays.editor.cancel')}
        </Link>
      </div>
    </Form>
  )
}
