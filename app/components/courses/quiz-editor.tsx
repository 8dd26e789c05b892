import { getFieldsetProps, getInputProps, getSelectProps, getTextareaProps, type FieldMetadata, type FormMetadata } from '@conform-to/react'
import type { ReactNode } from 'react'
import { FieldErrors } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { questionTypes, type QuestionType } from '~/modules/courses/content-schema'
import { MAX_OPTIONS, newQuestion, newSheetField, type QuestionFormValue, type SheetFieldFormValue } from '~/modules/courses/quiz-editor'

/**
 * The structured quiz editor: questions as conform field lists. Every add, remove and move is a
 * submit button carrying a conform intent, so it works without JavaScript too (the server
 * answers with the changed form); with JavaScript conform applies it in place.
 */

type Form = FormMetadata<Record<string, unknown>, string[]>
type Questions = FieldMetadata<QuestionFormValue[] | undefined, Record<string, unknown>, string[]>
type Question = FieldMetadata<QuestionFormValue, Record<string, unknown>, string[]>

const iconButton = 'btn-secondary min-h-9 px-2.5 py-1 text-xs'

function Arrow({ direction }: { direction: 'up' | 'down' }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className={`h-4 w-4 ${direction === 'down' ? 'rotate-180' : ''}`} fill="currentColor">
      <path d="M10 4l6 7h-4v5H8v-5H4z" />
    </svg>
  )
}

function Cross() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M5 5l10 10M15 5L5 15" />
    </svg>
  )
}

/** A pair of texts side by side: Chinese first, English second (phones stack them). */
function Pair({ children }: { children: ReactNode }) {
  return <div className="grid gap-3 md:grid-cols-2">{children}</div>
}

function TextArea({ field, label, rows = 2, hint }: { field: FieldMetadata<string | undefined>; label: string; rows?: number; hint?: string }) {
  const props = getTextareaProps(field, { ariaDescribedBy: hint ? `${field.id}-hint` : undefined })
  return (
    <div>
      <label htmlFor={field.id} className="label">
        {label}
      </label>
      {hint ? (
        <p id={`${field.id}-hint`} className="mb-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <textarea {...props} key={props.key} rows={rows} className="input" />
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  )
}

export function QuizQuestions({ form, questions, readOnly }: { form: Form; questions: Questions; readOnly: boolean }) {
  const t = useT()
  const list = questions.getFieldList()
  return (
    <section className="space-y-4" aria-labelledby="quiz-questions">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h2 id="quiz-questions">
            {t('authoring.quiz.questions')} <span className="badge align-middle">{list.length}</span>
          </h2>
          <p className="mt-1 text-sm text-slate-600">{t('authoring.quiz.questionsHint')}</p>
        </div>
      </div>
      <FieldErrors id={questions.errorId} errors={questions.errors} />
      {list.length === 0 ? <p className="notice">{t('authoring.quiz.noQuestionsYet')}</p> : null}
      <ol className="space-y-4">
        {list.map((question, index) => (
          <li key={question.key}>
            <QuestionEditor form={form} questions={questions} question={question} index={index} count={list.length} readOnly={readOnly} />
          </li>
        ))}
      </ol>
      {!readOnly ? (
        <button {...form.insert.getButtonProps({ name: questions.name, defaultValue: newQuestion })} className="btn-secondary w-full border-dashed sm:w-auto">
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2">
            <path d="M10 4v12M4 10h12" />
          </svg>{' '}
          {t('authoring.quiz.addQuestion')}
        </button>
      ) : null}
    </section>
  )
}

function QuestionEditor({
  form,
  questions,
  question,
  index,
  count,
  readOnly,
}: {
  form: Form
  questions: Questions
  question: Question
  index: number
  count: number
  readOnly: boolean
}) {
  const t = useT()
  const n = index + 1
  const q = question.getFieldset()
  const type = ((q.type.value ?? q.type.initialValue) as QuestionType | undefined) ?? 'single'
  const options = q.options.getFieldList()
  const optionsInvalid = Boolean(q.options.errors?.length)
  const typeProps = getSelectProps(q.type, { ariaDescribedBy: `${q.type.id}-hint` })

  // With JavaScript, turning an empty question into true-or-false fills in the two usual options.
  const onTypeChange = (next: string) => {
    const empty = options.every((o) => {
      const f = o.getFieldset()
      return !f.textEn.value && !f.textZh.value
    })
    if (next === 'true_false' && empty) {
      form.update({
        name: q.options.name,
        value: [
          { textEn: 'True', textZh: '正确' },
          { textEn: 'False', textZh: '错误' },
        ],
      })
    }
  }

  return (
    <fieldset {...getFieldsetProps(question)} disabled={readOnly} className="card space-y-4 border-l-4 border-l-brand-700">
      <legend className="sr-only">{t('authoring.quiz.question', { n })}</legend>
      <div className="flex flex-wrap items-center justify-between gap-2" aria-hidden="false">
        <p className="flex items-center gap-2 text-base font-semibold text-slate-900">
          <span className="inline-flex h-7 min-w-7 items-center justify-center rounded-full bg-brand-700 px-2 text-sm text-white" aria-hidden="true">
            {n}
          </span>
          {t('authoring.quiz.question', { n })}
        </p>
        {!readOnly ? (
          <div className="flex gap-1.5">
            <button
              {...form.reorder.getButtonProps({ name: questions.name, from: index, to: index - 1 })}
              disabled={index === 0}
              className={iconButton}
              aria-label={t('authoring.quiz.moveQuestionUp', { n })}
              title={t('authoring.quiz.moveQuestionUp', { n })}
            >
              <Arrow direction="up" />
              <span className="hidden sm:inline">{t('authoring.quiz.up')}</span>
            </button>
            <button
              {...form.reorder.getButtonProps({ name: questions.name, from: index, to: index + 1 })}
              disabled={index === count - 1}
              className={iconButton}
              aria-label={t('authoring.quiz.moveQuestionDown', { n })}
              title={t('authoring.quiz.moveQuestionDown', { n })}
            >
              <Arrow direction="down" />
              <span className="hidden sm:inline">{t('authoring.quiz.down')}</span>
            </button>
            <button
              {...form.remove.getButtonProps({ name: questions.name, index })}
              className={`${iconButton} text-red-800 hover:bg-red-50`}
              aria-label={t('authoring.quiz.removeQuestion', { n })}
              title={t('authoring.quiz.removeQuestion', { n })}
            >
              <Cross />
              <span className="hidden sm:inline">{t('authoring.quiz.remove')}</span>
            </button>
          </div>
        ) : null}
      </div>
      <input {...getInputProps(q.id, { type: 'hidden' })} key={q.id.key} />

      <div className="max-w-md">
        <label htmlFor={q.type.id} className="label">
          {t('authoring.quiz.type')}
        </label>
        <select {...typeProps} key={typeProps.key} className="input" onChange={(event) => onTypeChange(event.currentTarget.value)}>
          {questionTypes.map((value) => (
            <option key={value} value={value}>
              {t(`authoring.quiz.type.${value}`)}
            </option>
          ))}
        </select>
        <p id={`${q.type.id}-hint`} className="mt-1 text-xs text-slate-600">
          {t(`authoring.quiz.typeHint.${type}`)}
        </p>
        <FieldErrors id={q.type.errorId} errors={q.type.errors} />
      </div>

      {type === 'scenario' ? (
        <Pair>
          <TextArea field={q.scenarioZh} label={t('authoring.quiz.scenarioZh')} rows={3} />
          <TextArea field={q.scenarioEn} label={t('authoring.quiz.scenarioEn')} rows={3} />
        </Pair>
      ) : null}
      <Pair>
        <TextArea field={q.promptZh} label={t('authoring.quiz.promptZh')} />
        <TextArea field={q.promptEn} label={t('authoring.quiz.promptEn')} />
      </Pair>

      <fieldset
        className={`space-y-2 rounded-md border p-3 ${optionsInvalid ? 'border-red-300 bg-red-50/40' : 'border-slate-200 bg-slate-50'}`}
        aria-describedby={optionsInvalid ? q.options.errorId : undefined}
        aria-invalid={optionsInvalid || undefined}
      >
        <legend className="px-1 text-sm font-semibold text-slate-800">
          {t('authoring.quiz.options')} ({t('authoring.quiz.question', { n })})
        </legend>
        <FieldErrors id={q.options.errorId} errors={q.options.errors} />
        <ul className="space-y-2">
          {options.map((option, i) => {
            const o = option.getFieldset()
            const m = i + 1
            const correctProps = getInputProps(o.correct, { type: 'checkbox' })
            const zh = getInputProps(o.textZh, { type: 'text' })
            const en = getInputProps(o.textEn, { type: 'text' })
            return (
              <li key={option.key} className="rounded-md border border-slate-200 bg-white p-2">
                <fieldset {...getFieldsetProps(option)} className="grid items-start gap-2 md:grid-cols-[auto_1fr_1fr_auto]">
                  <legend className="sr-only">
                    {t('authoring.quiz.question', { n })} · {t('authoring.quiz.optionLegend', { m })}
                  </legend>
                  <input {...getInputProps(o.id, { type: 'hidden' })} key={o.id.key} />
                  <label className="flex min-h-10 cursor-pointer items-center gap-2 rounded-md px-2 text-sm font-medium text-slate-800 has-[:checked]:bg-green-50 has-[:checked]:text-green-900">
                    <input {...correctProps} key={correctProps.key} className="h-5 w-5 accent-green-700" />
                    <span>
                      {t('authoring.quiz.correct')}
                      <span className="sr-only"> · {t('authoring.quiz.optionLegend', { m })}</span>
                    </span>
                  </label>
                  <div>
                    <label htmlFor={o.textZh.id} className="sr-only">
                      {t('authoring.quiz.optionZh', { m })}
                    </label>
                    <input {...zh} key={zh.key} className="input" placeholder={t('authoring.quiz.optionZh', { m })} />
                    <FieldErrors id={o.textZh.errorId} errors={o.textZh.errors} />
                  </div>
                  <div>
                    <label htmlFor={o.textEn.id} className="sr-only">
                      {t('authoring.quiz.optionEn', { m })}
                    </label>
                    <input {...en} key={en.key} className="input" placeholder={t('authoring.quiz.optionEn', { m })} />
                    <FieldErrors id={o.textEn.errorId} errors={o.textEn.errors} />
                  </div>
                  {!readOnly ? (
                    <div className="flex gap-1">
                      <button
                        {...form.reorder.getButtonProps({ name: q.options.name, from: i, to: i - 1 })}
                        disabled={i === 0}
                        className={iconButton}
                        aria-label={t('authoring.quiz.moveOptionUp', { n, m })}
                        title={t('authoring.quiz.moveOptionUp', { n, m })}
                      >
                        <Arrow direction="up" />
                      </button>
                      <button
                        {...form.reorder.getButtonProps({ name: q.options.name, from: i, to: i + 1 })}
                        disabled={i === options.length - 1}
                        className={iconButton}
                        aria-label={t('authoring.quiz.moveOptionDown', { n, m })}
                        title={t('authoring.quiz.moveOptionDown', { n, m })}
                      >
                        <Arrow direction="down" />
                      </button>
                      <button
                        {...form.remove.getButtonProps({ name: q.options.name, index: i })}
                        className={`${iconButton} text-red-800 hover:bg-red-50`}
                        aria-label={t('authoring.quiz.removeOption', { n, m })}
                        title={t('authoring.quiz.removeOption', { n, m })}
                      >
                        <Cross />
                      </button>
                    </div>
                  ) : null}
                </fieldset>
              </li>
            )
          })}
        </ul>
        {!readOnly && options.length < MAX_OPTIONS && !(type === 'true_false' && options.length >= 2) ? (
          <button
            {...form.insert.getButtonProps({ name: q.options.name, defaultValue: {} })}
            className={`${iconButton} border-dashed`}
            aria-label={t('authoring.quiz.addOptionTo', { n })}
          >
            <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2">
              <path d="M10 4v12M4 10h12" />
            </svg>{' '}
            {t('authoring.quiz.addOption')}
          </button>
        ) : null}
      </fieldset>

      <Pair>
        <TextArea field={q.explanationZh} label={t('authoring.quiz.explanationZh')} hint={t('authoring.quiz.explanationHint')} />
        <TextArea field={q.explanationEn} label={t('authoring.quiz.explanationEn')} hint={t('authoring.quiz.explanationHint')} />
      </Pair>
    </fieldset>
  )
}

type SheetFields = FieldMetadata<SheetFieldFormValue[] | undefined, Record<string, unknown>, string[]>

/** The preparation sheet's fields: the same field-list editing as quiz questions. */
export function SheetFieldsEditor({ form, fields, readOnly }: { form: Form; fields: SheetFields; readOnly: boolean }) {
  const t = useT()
  const list = fields.getFieldList()
  return (
    <section className="space-y-4" aria-labelledby="sheet-fields">
      <div>
        <h2 id="sheet-fields">
          {t('authoring.sheet.fields')} <span className="badge align-middle">{list.length}</span>
        </h2>
        <p className="mt-1 text-sm text-slate-600">{t('authoring.sheet.fieldsHint')}</p>
      </div>
      <FieldErrors id={fields.errorId} errors={fields.errors} />
      <ol className="space-y-4">
        {list.map((item, index) => {
          const f = item.getFieldset()
          const n = index + 1
          const multiline = getInputProps(f.multiline, { type: 'checkbox' })
          return (
            <li key={item.key}>
              <fieldset {...getFieldsetProps(item)} disabled={readOnly} className="card space-y-3 border-l-4 border-l-brand-700">
                <legend className="sr-only">{t('authoring.sheet.field', { n })}</legend>
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <p className="flex items-center gap-2 font-semibold text-slate-900">
                    <span className="inline-flex h-7 min-w-7 items-center justify-center rounded-full bg-brand-700 px-2 text-sm text-white" aria-hidden="true">
                      {n}
                    </span>
                    {t('authoring.sheet.field', { n })}
                  </p>
                  {!readOnly ? (
                    <div className="flex gap-1.5">
                      <button
                        {...form.reorder.getButtonProps({ name: fields.name, from: index, to: index - 1 })}
                        disabled={index === 0}
                        className={iconButton}
                        aria-label={t('authoring.sheet.moveFieldUp', { n })}
                        title={t('authoring.sheet.moveFieldUp', { n })}
                      >
                        <Arrow direction="up" />
                      </button>
                      <button
                        {...form.reorder.getButtonProps({ name: fields.name, from: index, to: index + 1 })}
                        disabled={index === list.length - 1}
                        className={iconButton}
                        aria-label={t('authoring.sheet.moveFieldDown', { n })}
                        title={t('authoring.sheet.moveFieldDown', { n })}
                      >
                        <Arrow direction="down" />
                      </button>
                      <button
                        {...form.remove.getButtonProps({ name: fields.name, index })}
                        className={`${iconButton} text-red-800 hover:bg-red-50`}
                        aria-label={t('authoring.sheet.removeField', { n })}
                        title={t('authoring.sheet.removeField', { n })}
                      >
                        <Cross />
                      </button>
                    </div>
                  ) : null}
                </div>
                <input {...getInputProps(f.id, { type: 'hidden' })} key={f.id.key} />
                <Pair>
                  <TextArea field={f.labelZh} label={t('authoring.sheet.labelZh')} rows={1} />
                  <TextArea field={f.labelEn} label={t('authoring.sheet.labelEn')} rows={1} />
                </Pair>
                <Pair>
                  <TextArea field={f.helpZh} label={t('authoring.sheet.helpZh')} />
                  <TextArea field={f.helpEn} label={t('authoring.sheet.helpEn')} />
                </Pair>
                <label className="flex items-center gap-2 text-sm">
                  <input {...multiline} key={multiline.key} className="h-4 w-4 accent-brand-700" />
                  {t('authoring.sheet.multiline')}
                </label>
              </fieldset>
            </li>
          )
        })}
      </ol>
      {!readOnly ? (
        <button {...form.insert.getButtonProps({ name: fields.name, defaultValue: newSheetField })} className="btn-secondary w-full border-dashed sm:w-auto">
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2">
            <path d="M10 4v12M4 10h12" />
          </svg>
          {t('authoring.sheet.addField')}
        </button>
      ) : null}
    </section>
  )
}
