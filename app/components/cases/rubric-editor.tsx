import { getFieldsetProps, getInputProps, type FieldMetadata, type FormMetadata } from '@conform-to/react'
import { FieldErrors } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { MAX_CRITERIA, MAX_LEVELS, newCriterion, newLevel, type CriterionFormValue, type LevelFormValue } from '~/modules/assignments/rubric-editor'

/**
 * HR's rubric criteria as conform field lists: each criterion with its titles in both languages and
 * its levels (labels and points, lowest first). Add, remove and move are submit buttons with conform
 * intents, so they work without JavaScript too.
 */
type Form = FormMetadata<Record<string, unknown>, string[]>
type Criteria = FieldMetadata<CriterionFormValue[] | undefined, Record<string, unknown>, string[]>
type Criterion = FieldMetadata<CriterionFormValue, Record<string, unknown>, string[]>
type Level = FieldMetadata<LevelFormValue, Record<string, unknown>, string[]>

const small = 'btn-secondary min-h-9 px-2.5 py-1 text-xs'

function Text({
  field,
  label,
  type = 'text',
  className = '',
}: {
  field: FieldMetadata<string | number | undefined>
  label: string
  type?: 'text' | 'number'
  className?: string
}) {
  const props = getInputProps(field, { type })
  return (
    <div className={className}>
      <label htmlFor={field.id} className="label">
        {label}
      </label>
      <input {...props} key={props.key} className="input" {...(type === 'number' ? { min: 0, max: 100, inputMode: 'numeric' as const } : {})} />
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  )
}

export function RubricCriteria({ form, criteria }: { form: Form; criteria: Criteria }) {
  const t = useT()
  const list = criteria.getFieldList()
  return (
    <section className="space-y-3" aria-labelledby="rubric-criteria">
      <h3 id="rubric-criteria">
        {t('cases.rubric.criteria')} <span className="badge align-middle">{list.length}</span>
      </h3>
      <FieldErrors id={criteria.errorId} errors={criteria.errors} />
      <ol className="space-y-3">
        {list.map((criterion, index) => (
          <li key={criterion.key}>
            <CriterionEditor form={form} criteria={criteria} criterion={criterion} index={index} count={list.length} />
          </li>
        ))}
      </ol>
      {list.length < MAX_CRITERIA ? (
        <button {...form.insert.getButtonProps({ name: criteria.name, defaultValue: newCriterion })} className="btn-secondary border-dashed">
          {t('cases.rubric.addCriterion')}
        </button>
      ) : null}
    </section>
  )
}

function CriterionEditor({ form, criteria, criterion, index, count }: { form: Form; criteria: Criteria; criterion: Criterion; index: number; count: number }) {
  const t = useT()
  const n = index + 1
  const c = criterion.getFieldset()
  const levels = c.levels.getFieldList()
  return (
    <fieldset {...getFieldsetProps(criterion)} className="card space-y-3 border-l-4 border-l-brand-700" data-criterion={n}>
      <legend className="sr-only">{t('cases.rubric.criterion', { n })}</legend>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="font-semibold">{t('cases.rubric.criterion', { n })}</p>
        <div className="flex gap-1">
          <button
            {...form.reorder.getButtonProps({ name: criteria.name, from: index, to: index - 1 })}
            disabled={index === 0}
            className={small}
            aria-label={t('cases.rubric.moveUp', { n })}
          >
            ↑
          </button>
          <button
            {...form.reorder.getButtonProps({ name: criteria.name, from: index, to: index + 1 })}
            disabled={index === count - 1}
            className={small}
            aria-label={t('cases.rubric.moveDown', { n })}
          >
            ↓
          </button>
          <button
            {...form.remove.getButtonProps({ name: criteria.name, index })}
            disabled={count === 1}
            className={small}
            aria-label={t('cases.rubric.removeCriterion', { n })}
          >
            ✕
          </button>
        </div>
      </div>
      {c.id.initialValue ? <input type="hidden" name={c.id.name} value={String(c.id.initialValue)} /> : null}
      <div className="grid gap-3 md:grid-cols-2">
        <Text field={c.titleZh} label={t('cases.rubric.titleZh')} />
        <Text field={c.titleEn} label={t('cases.rubric.titleEn')} />
      </div>
      <p className="text-sm font-medium text-slate-800">{t('cases.rubric.levels')}</p>
      <p className="text-xs text-slate-600">{t('cases.rubric.levelsHint')}</p>
      <FieldErrors id={c.levels.errorId} errors={c.levels.errors} />
      <ol className="space-y-2">
        {levels.map((level, l) => (
          <li key={level.key}>
            <LevelEditor form={form} levels={c.levels} level={level} index={l} count={levels.length} criterion={n} />
          </li>
        ))}
      </ol>
      {levels.length < MAX_LEVELS ? (
        <button {...form.insert.getButtonProps({ name: c.levels.name, defaultValue: newLevel })} className={small}>
          {t('cases.rubric.addLevel')}
        </button>
      ) : null}
    </fieldset>
  )
}

function LevelEditor({
  form,
  levels,
  level,
  index,
  count,
  criterion,
}: {
  form: Form
  levels: FieldMetadata<LevelFormValue[] | undefined, Record<string, unknown>, string[]>
  level: Level
  index: number
  count: number
  criterion: number
}) {
  const t = useT()
  const f = level.getFieldset()
  const n = index + 1
  return (
    <fieldset {...getFieldsetProps(level)} className="grid items-end gap-2 rounded border border-slate-200 p-2 sm:grid-cols-[1fr_1fr_6rem_auto]" data-level={n}>
      <legend className="sr-only">{t('cases.rubric.level', { criterion, n })}</legend>
      <Text field={f.labelZh} label={t('cases.rubric.labelZh')} />
      <Text field={f.labelEn} label={t('cases.rubric.labelEn')} />
      <Text field={f.points} label={t('cases.rubric.points')} type="number" />
      <div className="flex gap-1 pb-1">
        <button
          {...form.reorder.getButtonProps({ name: levels.name, from: index, to: index - 1 })}
          disabled={index === 0}
          className={small}
          aria-label={t('cases.rubric.levelUp', { criterion, n })}
        >
          ↑
        </button>
        <button
          {...form.remove.getButtonProps({ name: levels.name, index })}
          disabled={count <= 2}
          className={small}
          aria-label={t('cases.rubric.removeLevel', { criterion, n })}
        >
          ✕
        </button>
      </div>
    </fieldset>
  )
}
