import { Form } from '@remix-run/react'
import { FieldErrors } from '~/components/ui/field'
import { useLocale, useT } from '~/i18n/use-t'
import { pick, type Localized } from '~/modules/courses/courses'
import type { KpiPolicy } from '~/modules/kpi/kpi'

type Values = { key: string; startsOn: string; endsOn: string; policy: KpiPolicy; cohortIds: string[]; courseIds: string[] }
type Options = { components: { key: string }[]; cohorts: { id: string; name: string }[]; courses: { id: string; title: Localized }[] }

/** The period's policy as one form; errors are conform's reply (message keys per field). */
export function PolicyForm({ values, options, errors }: { values: Values; options: Options; errors?: Record<string, string[] | null> | null }) {
  const t = useT()
  const locale = useLocale()
  const err = (name: string) => errors?.[name] ?? undefined
  return (
    <Form method="post" className="card space-y-4" aria-labelledby="policy-title">
      <h2 id="policy-title">{t('kpi.admin.edit')}</h2>
      <input type="hidden" name="intent" value="save" />
      <div className="grid gap-3 sm:grid-cols-3">
        <div>
          <label htmlFor="key" className="label">
            {t('kpi.admin.key')}
          </label>
          <input id="key" name="key" defaultValue={values.key} className="input" required />
          <FieldErrors errors={err('key')} />
        </div>
        <div>
          <label htmlFor="startsOn" className="label">
            {t('kpi.admin.startsOn')}
          </label>
          <input id="startsOn" name="startsOn" type="date" defaultValue={values.startsOn} className="input" required />
          <FieldErrors errors={err('startsOn')} />
        </div>
        <div>
          <label htmlFor="endsOn" className="label">
            {t('kpi.admin.endsOn')}
          </label>
          <input id="endsOn" name="endsOn" type="date" defaultValue={values.endsOn} className="input" required />
          <FieldErrors errors={err('endsOn')} />
        </div>
      </div>
      <fieldset className="space-y-2">
        <legend className="label">{t('kpi.admin.components')}</legend>
        <table className="w-full text-sm">
          <tbody>
            {options.components.map((c) => (
              <tr key={c.key}>
                <td className="py-1">
                  <label className="flex items-center gap-2">
                    <input
                      type="checkbox"
                      name={`enabled.${c.key}`}
                      defaultChecked={values.policy.components[c.key]?.enabled}
                      className="h-4 w-4 accent-brand-700"
                    />
                    {t(`kpi.component.${c.key}`)}
                  </label>
                </td>
                <td className="py-1">
                  <label className="sr-only" htmlFor={`weight-${c.key}`}>
                    {t('kpi.weight')} · {t(`kpi.component.${c.key}`)}
                  </label>
                  <input
                    id={`weight-${c.key}`}
                    name={`weight.${c.key}`}
                    type="number"
                    min={0}
                    max={100}
                    step={1}
                    defaultValue={values.policy.components[c.key]?.weight ?? 0}
                    className="input w-24"
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <FieldErrors errors={err('weight')} />
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-3">
        <div>
          <label htmlFor="lateFraction" className="label">
            {t('kpi.admin.lateFraction')}
          </label>
          <input id="lateFraction" name="lateFraction" type="number" min={0} max={1} step={0.05} defaultValue={values.policy.lateFraction} className="input" />
          <FieldErrors errors={err('lateFraction')} />
        </div>
        <div>
          <label htmlFor="courseLateFraction" className="label">
            {t('kpi.admin.courseLateFraction')}
          </label>
          <input
            id="courseLateFraction"
            name="courseLateFraction"
            type="number"
            min={0}
            max={1}
            step={0.05}
            defaultValue={values.policy.courseLateFraction}
            className="input"
          />
          <FieldErrors errors={err('courseLateFraction')} />
        </div>
        <div>
          <label htmlFor="excused" className="label">
            {t('kpi.admin.excused')}
          </label>
          <select id="excused" name="excused" defaultValue={values.policy.excused} className="input">
            <option value="exclude">{t('kpi.admin.excused.exclude')}</option>
            <option value="count">{t('kpi.admin.excused.count')}</option>
          </select>
        </div>
      </div>
      <fieldset>
        <legend className="label">{t('kpi.admin.bands')}</legend>
        <div className="grid grid-cols-3 gap-3">
          {(['A', 'B', 'C'] as const).map((b) => (
            <label key={b} className="text-sm">
              {t('kpi.bandName', { band: b })}
              <input name={`band${b}`} type="number" min={0} max={100} step={0.1} defaultValue={values.policy.bands[b]} className="input" />
            </label>
          ))}
        </div>
        <FieldErrors errors={err('bandA')} />
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor="cohortIds" className="label">
            {t('kpi.admin.cohorts')}
          </label>
          <select id="cohortIds" name="cohortIds" multiple defaultValue={values.cohortIds} className="input h-24">
            {options.cohorts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="courseIds" className="label">
            {t('kpi.admin.courses')}
          </label>
          <select id="courseIds" name="courseIds" multiple defaultValue={values.courseIds} className="input h-24">
            {options.courses.map((c) => (
              <option key={c.id} value={c.id}>
                {pick(c.title, locale)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <button type="submit" className="btn-primary">
        {t('kpi.admin.save')}
      </button>
    </Form>
  )
}
