import type { ReactNode } from 'react'

export type FilterOption = { value: string; label: ReactNode }

/**
 * A labelled select in a GET filter form (reports, lists): the current value comes from the URL,
 * and an optional first option stands for "no filter".
 */
export function FilterSelect({
  id,
  name = id,
  label,
  value,
  anyLabel,
  options,
  className,
}: {
  id: string
  name?: string
  label: ReactNode
  value: string | null | undefined
  /** The "all …" option (empty value); leave out when a value is always chosen. */
  anyLabel?: ReactNode
  options: FilterOption[]
  className?: string
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ''} className="input">
        {anyLabel === undefined ? null : <option value="">{anyLabel}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  )
}
