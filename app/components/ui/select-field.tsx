import type { FieldMetadata } from '@conform-to/react'
import { getSelectProps } from '@conform-to/react'
import type { ReactNode, SelectHTMLAttributes } from 'react'
import { FieldErrors } from './field'

/** A labelled select bound to a conform field; errors are message keys shown in the viewer's language. */
export function SelectField({
  field,
  label,
  hint,
  children,
  ...rest
}: {
  field: FieldMetadata<string | undefined>
  label: ReactNode
  hint?: ReactNode
  children: ReactNode
} & SelectHTMLAttributes<HTMLSelectElement>) {
  const hintId = hint ? `${field.id}-hint` : undefined
  const props = getSelectProps(field, { ariaDescribedBy: hintId })
  return (
    <div>
      <label htmlFor={field.id} className="label">
        {label}
      </label>
      {/* As tall as a text input: Chromium draws selects a few pixels shorter. */}
      <select {...props} {...rest} key={props.key} className="input h-[2.625rem]">
        {children}
      </select>
      {hint ? (
        <p id={hintId} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  )
}
