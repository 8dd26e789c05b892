import { getSelectProps, getTextareaProps, type FieldMetadata } from '@conform-to/react'
import type { ReactNode } from 'react'
import { FieldErrors } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import type { Role } from '~/modules/auth/permissions'

/**
 * The audience part of a form (~/modules/org/audience.server: roles, department subtree,
 * people), used by course assignment and session invitation. `children` goes between the
 * department and the people box (e.g. a due date). Labels are message keys of the form's domain.
 */
export function AudienceFields({
  fields,
  roles,
  departments,
  labels,
  unknownPeople,
  peoplePlaceholder,
  children,
}: {
  fields: { roles: FieldMetadata<unknown>; departmentId: FieldMetadata<unknown>; people: FieldMetadata<unknown> }
  roles: readonly Role[]
  departments: { id: string; path: string }[]
  labels: { roles: string; department: string; anyDepartment: string; departmentHint?: string; people: string; peopleHint?: string }
  unknownPeople?: string[]
  peoplePlaceholder?: string
  children?: ReactNode
}) {
  const t = useT()
  const hintId = `${fields.people.id}-hint`
  return (
    <>
      <fieldset className="md:col-span-2">
        <legend className="label">{t(labels.roles)}</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-2">
          {roles.map((role) => (
            <label key={role} className="flex min-h-10 items-center gap-2 text-sm">
              <input type="checkbox" name={fields.roles.name} value={role} className="size-4 accent-brand-700" />
              {t(`role.${role}`)}
            </label>
          ))}
        </div>
        <FieldErrors id={fields.roles.errorId} errors={fields.roles.errors} />
      </fieldset>
      <div>
        <label htmlFor={fields.departmentId.id} className="label">
          {t(labels.department)}
        </label>
        <select {...getSelectProps(fields.departmentId)} key={fields.departmentId.key} className="input">
          <option value="">{t(labels.anyDepartment)}</option>
          {departments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.path}
            </option>
          ))}
        </select>
        {labels.departmentHint ? <p className="mt-1 text-xs text-slate-600">{t(labels.departmentHint)}</p> : null}
        <FieldErrors id={fields.departmentId.errorId} errors={fields.departmentId.errors} />
      </div>
      {children}
      <div className="md:col-span-2">
        <label htmlFor={fields.people.id} className="label">
          {t(labels.people)}
        </label>
        <textarea
          {...getTextareaProps(fields.people, { ariaDescribedBy: labels.peopleHint ? hintId : undefined })}
          key={fields.people.key}
          rows={3}
          className="input"
          placeholder={peoplePlaceholder}
        />
        {labels.peopleHint ? (
          <p id={hintId} className="mt-1 text-xs text-slate-600">
            {t(labels.peopleHint)}
          </p>
        ) : null}
        <FieldErrors id={fields.people.errorId} errors={fields.people.errors} />
        {unknownPeople?.length ? <p className="field-error">{unknownPeople.join(', ')}</p> : null}
      </div>
    </>
  )
}
