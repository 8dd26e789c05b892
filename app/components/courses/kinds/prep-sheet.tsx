import { Form, useActionData, useFetcher, useNavigation } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { FieldErrors } from '~/components/ui/field'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'
import { pick } from '~/modules/courses/courses'
import { ModuleIntro } from './lesson-text'
import type { ModuleAction, ModuleData } from './types'

/** A preparation sheet: autosaved fields, shared with the manager to complete the module. */
export function PrepSheetView({ data }: { data: ModuleData }) {
  const t = useT()
  const locale = useLocale()
  const formatDateTime = useFormatDateTime()
  const formRef = useRef<HTMLFormElement>(null)
  const autosave = useFetcher<ModuleAction>({ key: 'prep-autosave' })
  const actionData = useActionData<ModuleAction>()
  const navigation = useNavigation()
  const [dirty, setDirty] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const sheet = data.prepSheet?.sheet ?? null
  const fields = data.prepSheet?.fields ?? []

  const lastSave = autosave.data && autosave.data.intent === 'save' ? autosave.data : null
  const submitted = actionData && (actionData.intent === 'save' || actionData.intent === 'share') ? actionData : null
  const errors: Record<string, string[]> = (submitted && !submitted.ok ? submitted.errors : lastSave && !lastSave.ok ? lastSave.errors : {}) ?? {}
  // The newest of: the last autosave, the last Save/Share button press, what the page loaded with.
  const savedAt =
    [lastSave?.ok ? lastSave.updatedAt : null, submitted?.intent === 'save' && submitted.ok ? submitted.updatedAt : null, sheet?.updatedAt ?? null]
      .filter((d): d is Date => Boolean(d))
      .sort((a, b) => new Date(b).getTime() - new Date(a).getTime())[0] ?? null

  useEffect(() => () => clearTimeout(timer.current), [])
  useEffect(() => {
    if (autosave.state === 'idle' && lastSave?.ok) setDirty(false)
  }, [autosave.state, lastSave])

  const scheduleSave = () => {
    setDirty(true)
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      if (!formRef.current) return
      const formData = new FormData(formRef.current)
      formData.set('intent', 'save')
      autosave.submit(formData, { method: 'post' })
    }, 1200)
  }

  if (!sheet) {
    // Preview: the fields without a form.
    return (
      <div className="space-y-3">
        <ModuleIntro html={data.module.html} />
        {fields.map((f) => (
          <div key={f.id} className="card">
            <p className="font-medium">{pick(f.label, locale)}</p>
            <p className="text-sm text-slate-600">{pick(f.help, locale)}</p>
          </div>
        ))}
      </div>
    )
  }

  const status = autosave.state !== 'idle' ? t('prep.saving') : dirty ? t('prep.unsaved') : savedAt ? t('prep.savedAt', { time: formatDateTime(savedAt) }) : ''
  const sharedNow = submitted && submitted.intent === 'share' && submitted.ok
  return (
    <section className="space-y-4">
      <ModuleIntro html={data.module.html} />
      <p className="text-slate-700">{t('prep.intro')}</p>
      {sheet.sharedAt ? (
        <p className="notice" role="status" data-shared>
          {t('prep.sharedAt', { manager: sheet.managerName ?? '', time: formatDateTime(sheet.sharedAt) })}
        </p>
      ) : sharedNow || (data.status === 'completed' && !sheet.managerName) ? (
        <p className="notice" role="status">
          {sheet.managerName ? t('prep.sharedNow') : t('prep.finished')}
        </p>
      ) : null}
      {!sheet.managerName ? <p className="text-sm text-slate-600">{t('prep.noManager')}</p> : null}
      {submitted && !submitted.ok ? (
        <p className="alert" role="alert">
          {t('prep.saveFailed')}
        </p>
      ) : null}
      <Form
        method="post"
        ref={formRef}
        className="space-y-4"
        onChange={scheduleSave}
        onSubmit={() => {
          // The button press saves everything now; a pending autosave would only repeat it.
          clearTimeout(timer.current)
          setDirty(false)
        }}
      >
        {fields.map((f) => {
          const id = `field-${f.id}`
          const value = sheet.answers[f.id] ?? ''
          const fieldErrors = errors[f.id]
          const common = {
            id,
            name: `field.${f.id}`,
            defaultValue: value,
            maxLength: 5000,
            className: 'input',
            'aria-describedby': `${id}-help${fieldErrors ? ` ${id}-error` : ''}`,
            'aria-invalid': fieldErrors ? true : undefined,
          }
          return (
            <div key={f.id} className="card space-y-1">
              <label htmlFor={id} className="label">
                {pick(f.label, locale)}
              </label>
              <p id={`${id}-help`} className="text-sm text-slate-600">
                {pick(f.help, locale)}
              </p>
              {f.multiline ? <textarea {...common} rows={5} /> : <input type="text" {...common} />}
              <FieldErrors id={`${id}-error`} errors={fieldErrors} />
            </div>
          )
        })}
        <div className="sticky bottom-0 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-slate-50/95 py-3">
          <button type="submit" name="intent" value="save" className="btn-secondary" disabled={navigation.state !== 'idle'}>
            {t('prep.save')}
          </button>
          <button type="submit" name="intent" value="share" className="btn-primary" disabled={navigation.state !== 'idle'}>
            {!sheet.managerName ? t('prep.finish') : sheet.sharedAt ? t('prep.shareUpdate') : t('prep.share')}
          </button>
          <span className="text-sm text-slate-600" role="status" aria-live="polite" data-save-status>
            {status}
          </span>
        </div>
        <p className="text-xs text-slate-600">{t('prep.shareNote')}</p>
      </Form>
    </section>
  )
}
