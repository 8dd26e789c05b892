import type { FieldMetadata } from '@conform-to/react'
import { getInputProps } from '@conform-to/react'
import type { InputHTMLAttributes, ReactNode } from 'react'
import { useT } from '~/i18n/use-t'

/** Field errors are message keys (zod messages); this shows them in the viewer's language. */
export function FieldErrors({ id, errors }: { id?: string; errors?: string[] }) {
  const t = useT()
  if (!errors?.length) return null
  return (
    <p id={id} className="field-error" role="alert">
      {errors.map((e) => t(e)).join(' ')}
    </p>
  )
}

export function FormErrors({ errors }: { errors?: string[] }) {
  const t = useT()
  if (!errors?.length) return null
  return (
    <div className="alert" role="alert">
      {errors.map((e) => (
        <p key={e}>{t(e)}</p>
      ))}
    </div>
  )
}

export function TextField({
  field,
  label,
  type = 'text',
  hint,
  ...rest
}: {
  field: FieldMetadata<string | undefined>
  label: ReactNode
  type?: 'text' | 'email' | 'password' | 'search' | 'tel' | 'url'
  hint?: ReactNode
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>) {
  const props = getInputProps(field, { type })
  return (
    <div>
      <label htmlFor={field.id} className="label">
        {label}
      </label>
      <input {...props} {...rest} key={props.key} className="input" />
      {hint ? <p className="mt-1 text-xs text-slate-600">{hint}</p> : null}
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  )
}
