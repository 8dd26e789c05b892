import { getCollectionProps, type FieldMetadata } from '@conform-to/react'
import { FieldErrors, TextField } from '~/components/ui/field'
import { SelectField } from '~/components/ui/select-field'
import { useT } from '~/i18n/use-t'
import { roles } from '~/modules/auth/permissions'
import { DepartmentOptions } from './department-options'

type PickerOptions = {
  people: { id: string; name: string; employeeNumber: string | null }[]
  departments: { id: string; path: string }[]
}

type Fields = {
  name: FieldMetadata<string | undefined>
  email: FieldMetadata<string | undefined>
  employeeNumber: FieldMetadata<string | undefined>
  departmentId: FieldMetadata<string | undefined>
  managerId: FieldMetadata<string | undefined>
  locale: FieldMetadata<string | undefined>
  roles: FieldMetadata<string[] | undefined>
}

/**
 * The fields of a person, shared by the invite and edit forms. `personId` leaves the person out
 * of their own manager list; `currentManager` keeps a manager who has since been deactivated
 * selectable, so saving an unrelated change does not silently drop them.
 */
export function PersonFields({
  fields,
  options,
  personId,
  currentManager,
}: {
  fields: Fields
  options: PickerOptions
  personId?: string
  currentManager?: { id: string; name: string } | null
}) {
  const t = useT()
  const managers = options.people.filter((p) => p.id !== personId)
  const keepCurrent = currentManager && !managers.some((p) => p.id === currentManager.id) ? currentManager : null
  const rolesHintId = `${fields.roles.id}-hint`
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextField field={fields.name} label={t('common.name')} autoComplete="off" />
      <TextField field={fields.email} label={t('common.email')} type="email" autoComplete="off" spellCheck={false} />
      <TextField field={fields.employeeNumber} label={t('common.employeeNumber')} autoComplete="off" spellCheck={false} />
      <SelectField field={fields.departmentId} label={t('common.department')}>
        <option value="">{t('people.noDepartment')}</option>
        <DepartmentOptions departments={options.departments} />
      </SelectField>
      <SelectField field={fields.managerId} label={t('common.manager')} hint={t('admin.people.managerHint')}>
        <option value="">{t('people.noManager')}</option>
        {keepCurrent ? <option value={keepCurrent.id}>{t('admin.deactivatedOption', { name: keepCurrent.name })}</option> : null}
        {managers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.employeeNumber ? `${p.name} (${p.employeeNumber})` : p.name}
          </option>
        ))}
      </SelectField>
      <SelectField field={fields.locale} label={t('common.language')}>
        <option value="">{t('admin.languageAuto')}</option>
        <option value="zh-CN" lang="zh-CN">
          {t('lang.zh-CN')}
        </option>
        <option value="en" lang="en">
          {t('lang.en')}
        </option>
      </SelectField>
      <fieldset
        className="sm:col-span-2"
        aria-describedby={fields.roles.errors?.length ? `${rolesHintId} ${fields.roles.errorId}` : rolesHintId}
        aria-invalid={fields.roles.errors?.length ? true : undefined}
      >
        <legend className="label">{t('common.roles')}</legend>
        <p id={rolesHintId} className="mb-2 text-xs text-slate-600">
          {t('admin.people.rolesHint')}
        </p>
        <div className="grid gap-x-4 gap-y-1 sm:grid-cols-3">
          {getCollectionProps(fields.roles, { type: 'checkbox', options: [...roles], ariaAttributes: false }).map(({ key, ...props }) => (
            <label key={key} className="flex min-h-10 cursor-pointer items-center gap-2 rounded-md px-1 text-sm hover:bg-slate-50">
              <input {...props} className="size-4 accent-brand-700" />
              {t(`role.${props.value}`)}
            </label>
          ))}
        </div>
        <FieldErrors id={fields.roles.errorId} errors={fields.roles.errors} />
      </fieldset>
    </div>
  )
}
