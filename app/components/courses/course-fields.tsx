import type { FieldMetadata } from '@conform-to/react'
import { FieldErrors } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'

type Fields = Record<'contentId' | 'audience' | 'titleEn' | 'titleZh' | 'descriptionEn' | 'descriptionZh' | 'estimatedMinutes', FieldMetadata<unknown>>
type Values = { contentId: string; audience: string; titleEn: string; titleZh: string; descriptionEn: string; descriptionZh: string; estimatedMinutes: number }

/** The course details, shared by the new-course and edit-course forms. */
export function CourseFields({ fields, values, idLocked }: { fields: Fields; values?: Values; idLocked?: boolean }) {
  const t = useT()
  const input = (name: keyof Fields, label: string, props: Record<string, unknown> = {}) => (
    <div>
      <label htmlFor={fields[name].id} className="label">
        {label}
      </label>
      <input
        id={fields[name].id}
        name={fields[name].name}
        defaultValue={values?.[name] as string | undefined}
        className="input"
        aria-invalid={fields[name].errors ? true : undefined}
        {...props}
      />
      <FieldErrors id={fields[name].errorId} errors={fields[name].errors} />
    </div>
  )
  const area = (name: keyof Fields, label: string) => (
    <div>
      <label htmlFor={fields[name].id} className="label">
        {label}
      </label>
      <textarea id={fields[name].id} name={fields[name].name} defaultValue={values?.[name] as string | undefined} rows={3} className="input" />
      <FieldErrors id={fields[name].errorId} errors={fields[name].errors} />
    </div>
  )
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {idLocked ? (
        <input type="hidden" name={fields.contentId.name} value={values?.contentId} />
      ) : (
        <div>
          {input('contentId', t('author.contentId'), { autoComplete: 'off', 'aria-describedby': `${fields.contentId.id}-hint` })}
          <p id={`${fields.contentId.id}-hint`} className="mt-1 text-xs text-slate-600">
            {t('author.contentIdHint')}
          </p>
        </div>
      )}
      <div>
        <label htmlFor={fields.audience.id} className="label">
          {t('author.audience')}
        </label>
        <select id={fields.audience.id} name={fields.audience.name} defaultValue={values?.audience ?? 'managers'} className="input">
          <option value="managers">{t('admin.courses.audience.managers')}</option>
          <option value="employees">{t('admin.courses.audience.employees')}</option>
        </select>
      </div>
      {input('titleZh', t('author.titleZh'))}
      {input('titleEn', t('author.titleEn'))}
      {area('descriptionZh', t('author.descriptionZh'))}
      {area('descriptionEn', t('author.descriptionEn'))}
      {input('estimatedMinutes', t('author.minutes'), { type: 'number', min: 1, inputMode: 'numeric' })}
    </div>
  )
}
