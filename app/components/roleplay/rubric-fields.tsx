import { useT } from '~/i18n/use-t'
import { KEY_POINTS, RUBRIC_LEVELS } from '~/modules/roleplay/roleplay'

/**
 * The rubric on the ten key points: one radio group per key point (`levels.<n>`), the
 * scenario's key points first and marked. Controlled when `onChange` is given (live sheet).
 */
export function RubricFields({
  levels,
  focus,
  onChange,
  disabled,
}: {
  levels: Record<string, number | undefined>
  focus: number[]
  onChange?: (keyPoint: number, level: number) => void
  disabled?: boolean
}) {
  const t = useT()
  const ordered = [...KEY_POINTS].sort((a, b) => Number(!focus.includes(a)) - Number(!focus.includes(b)) || a - b)
  return (
    <div className="space-y-2" data-rubric>
      {ordered.map((k) => (
        <fieldset key={k} className="rounded border border-slate-200 p-2" data-key-point={k}>
          <legend className="px-1 text-sm font-medium">
            {k}. {t(`rp.kp.${k}`)} {focus.includes(k) ? <span className="badge bg-sky-100 text-sky-900">{t('rp.rubric.focus')}</span> : null}
          </legend>
          <div className="flex flex-wrap gap-2">
            {RUBRIC_LEVELS.map((level) => {
              const checked = levels[String(k)] === level
              return (
                <label
                  key={level}
                  className={`flex min-h-11 cursor-pointer items-center gap-2 rounded border px-3 text-sm ${checked ? 'border-teal-700 bg-teal-50' : 'border-slate-300'}`}
                >
                  <input
                    type="radio"
                    name={`levels.${k}`}
                    value={level}
                    disabled={disabled}
                    {...(onChange ? { checked, onChange: () => onChange(k, level) } : { defaultChecked: checked })}
                  />
                  {t(`rp.level.${level}`)}
                </label>
              )
            })}
          </div>
        </fieldset>
      ))}
    </div>
  )
}
