import { z } from 'zod'
import { questionTypes, type PrepSheetField, type Question, type QuestionType } from './content-schema'

/**
 * The structured quiz editor's form, shared by the browser (conform validates while typing) and
 * the server (the same rules decide what is saved). Messages are i18n keys. Each question is
 * written in both locales side by side; options carry a "correct" tick instead of an answer key,
 * and ids are kept in hidden fields so saved questions stay the same questions.
 */

export const MAX_QUESTIONS = 100
export const MAX_OPTIONS = 10
const MAX_TEXT = 4000

const text = z.string().trim().max(MAX_TEXT, 'errors.tooLong').optional()
const hiddenId = z.string().trim().max(80).optional()

export const OptionForm = z.object({
  id: hiddenId,
  textEn: text,
  textZh: text,
  correct: z.boolean().optional(),
})
export type OptionFormValue = z.infer<typeof OptionForm>

export const QuestionForm = z.object({
  id: hiddenId,
  type: z.enum(questionTypes, { errorMap: () => ({ message: 'errors.invalid' }) }),
  scenarioEn: text,
  scenarioZh: text,
  promptEn: text,
  promptZh: text,
  options: z.array(OptionForm).max(MAX_OPTIONS, 'authoring.quiz.tooManyOptions').optional(),
  explanationEn: text,
  explanationZh: text,
})
export type QuestionFormValue = z.infer<typeof QuestionForm>

export const questionsField = z.array(QuestionForm).max(MAX_QUESTIONS, 'authoring.quiz.tooManyQuestions').optional()

export type QuizProblem = { path: (string | number)[]; message: string }

const oneCorrect: Record<Exclude<QuestionType, 'multiple'>, string> = {
  single: 'authoring.quiz.oneCorrect.single',
  true_false: 'authoring.quiz.oneCorrect.true_false',
  scenario: 'authoring.quiz.oneCorrect.scenario',
}

/**
 * The authoring rules of one question, each at the field the author has to fix. A saved quiz
 * also passes the content-file schema; these rules come first so the author reads them in
 * their language.
 */
export function questionProblems(q: QuestionFormValue): QuizProblem[] {
  const problems: QuizProblem[] = []
  const missing = (value: string | undefined, path: (string | number)[], what: string, locale: 'en' | 'zh-CN') => {
    if (!value?.trim()) problems.push({ path, message: `authoring.quiz.${what}Missing.${locale}` })
  }
  if (q.type === 'scenario') {
    missing(q.scenarioZh, ['scenarioZh'], 'scenario', 'zh-CN')
    missing(q.scenarioEn, ['scenarioEn'], 'scenario', 'en')
  }
  missing(q.promptZh, ['promptZh'], 'prompt', 'zh-CN')
  missing(q.promptEn, ['promptEn'], 'prompt', 'en')
  const options = q.options ?? []
  options.forEach((option, i) => {
    missing(option.textZh, ['options', i, 'textZh'], 'option', 'zh-CN')
    missing(option.textEn, ['options', i, 'textEn'], 'option', 'en')
  })
  if (q.type === 'true_false' && options.length !== 2) problems.push({ path: ['options'], message: 'authoring.quiz.trueFalseTwo' })
  else if (options.length < 2) problems.push({ path: ['options'], message: 'authoring.quiz.tooFewOptions' })
  const correct = options.filter((o) => o.correct).length
  if (options.length > 0) {
    if (q.type === 'multiple') {
      if (correct === 0) problems.push({ path: ['options'], message: 'authoring.quiz.someCorrect' })
    } else if (correct !== 1) {
      problems.push({ path: ['options'], message: oneCorrect[q.type] })
    }
  }
  missing(q.explanationZh, ['explanationZh'], 'explanation', 'zh-CN')
  missing(q.explanationEn, ['explanationEn'], 'explanation', 'en')
  return problems
}

/** Every question's problems, with paths from the form root (`questions[2].options`). */
export function quizProblems(questions: QuestionFormValue[] | undefined): QuizProblem[] {
  if (!questions?.length) return [{ path: ['questions'], message: 'authoring.quiz.noQuestions' }]
  return questions.flatMap((q, i) => questionProblems(q).map((p) => ({ ...p, path: ['questions', i, ...p.path] })))
}

/** Quiz settings as the form carries them. */
export const passMarkField = z
  .number({ required_error: 'errors.required', invalid_type_error: 'authoring.quiz.passMarkRange' })
  .int('authoring.quiz.passMarkRange')
  .min(1, 'authoring.quiz.passMarkRange')
  .max(100, 'authoring.quiz.passMarkRange')
export const maxAttemptsField = z
  .number({ required_error: 'errors.required', invalid_type_error: 'authoring.quiz.attemptsRange' })
  .int('authoring.quiz.attemptsRange')
  .min(0, 'authoring.quiz.attemptsRange')
  .max(100, 'authoring.quiz.attemptsRange')

/** A stored question as the editor shows it. */
export function questionToForm(q: Question): QuestionFormValue {
  return {
    id: q.id,
    type: q.type,
    scenarioEn: q.scenario?.en,
    scenarioZh: q.scenario?.['zh-CN'],
    promptEn: q.prompt.en,
    promptZh: q.prompt['zh-CN'],
    options: q.options.map((o) => ({ id: o.id, textEn: o.text.en, textZh: o.text['zh-CN'], correct: q.answer.includes(o.id) })),
    explanationEn: q.explanation.en,
    explanationZh: q.explanation['zh-CN'],
  }
}

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** Keeps an id the author's question already had, or takes the first free one from `candidates`. */
function stableId(existing: string | undefined, taken: Set<string>, candidates: () => Generator<string>) {
  if (existing && KEBAB.test(existing) && !taken.has(existing)) {
    taken.add(existing)
    return existing
  }
  for (const id of candidates()) {
    if (!taken.has(id)) {
      taken.add(id)
      return id
    }
  }
  throw new Error('no free id')
}

function* questionIds() {
  for (let n = 1; ; n++) yield `q${n}`
}
function* optionIds() {
  for (const letter of 'abcdefghijklmnopqrstuvwxyz') yield letter
  for (let n = 1; ; n++) yield `o${n}`
}

/**
 * The editor's questions in the content-file format. Ids are kept where they were; new questions
 * get the next free `qN`, new options the next free letter. True-or-false options are always
 * `true` and `false` (the content format requires it), in the order the author wrote them.
 * Call it only with questions that have no `questionProblems`.
 */
export function questionsFromForm(questions: QuestionFormValue[]): Question[] {
  const takenQuestions = new Set<string>()
  // Ids written by the author first, so a new question never takes an id a later one keeps.
  const kept = new Set(questions.map((q) => q.id).filter((id): id is string => Boolean(id && KEBAB.test(id))))
  return questions.map((q) => {
    const id = stableId(q.id, takenQuestions, function* () {
      for (const id of questionIds()) if (!kept.has(id)) yield id
    })
    const options = q.options ?? []
    const takenOptions = new Set<string>()
    const keptOptions = new Set(options.map((o) => o.id).filter((id): id is string => Boolean(id && KEBAB.test(id))))
    const withIds = options.map((o, i) => ({
      id:
        q.type === 'true_false'
          ? (['true', 'false'][i] ?? `o${i}`)
          : stableId(o.id === 'true' || o.id === 'false' ? undefined : o.id, takenOptions, function* () {
              for (const id of optionIds()) if (!keptOptions.has(id)) yield id
            }),
      text: { en: o.textEn ?? '', 'zh-CN': o.textZh ?? '' },
      correct: Boolean(o.correct),
    }))
    return {
      id,
      type: q.type,
      ...(q.type === 'scenario' ? { scenario: { en: q.scenarioEn ?? '', 'zh-CN': q.scenarioZh ?? '' } } : {}),
      prompt: { en: q.promptEn ?? '', 'zh-CN': q.promptZh ?? '' },
      options: withIds.map(({ id, text }) => ({ id, text })),
      answer: withIds.filter((o) => o.correct).map((o) => o.id),
      explanation: { en: q.explanationEn ?? '', 'zh-CN': q.explanationZh ?? '' },
    }
  })
}

/** A new question as the "Add a question" button inserts it: two empty options. */
export const newQuestion: QuestionFormValue = { type: 'single', options: [{}, {}] }

/** The check-in preparation sheet's fields, edited the same way as quiz questions. */
export const MAX_SHEET_FIELDS = 30
export const SheetFieldForm = z.object({
  id: hiddenId,
  labelEn: text,
  labelZh: text,
  helpEn: text,
  helpZh: text,
  multiline: z.boolean().optional(),
})
export type SheetFieldFormValue = z.infer<typeof SheetFieldForm>
export const sheetFieldsField = z.array(SheetFieldForm).max(MAX_SHEET_FIELDS, 'authoring.sheet.tooManyFields').optional()

export function sheetProblems(fields: SheetFieldFormValue[] | undefined): QuizProblem[] {
  if (!fields?.length) return [{ path: ['fields'], message: 'authoring.sheet.noFields' }]
  const problems: QuizProblem[] = []
  fields.forEach((f, i) => {
    if (!f.labelZh?.trim()) problems.push({ path: ['fields', i, 'labelZh'], message: 'authoring.sheet.labelMissing.zh-CN' })
    if (!f.labelEn?.trim()) problems.push({ path: ['fields', i, 'labelEn'], message: 'authoring.sheet.labelMissing.en' })
    if (!f.helpZh?.trim()) problems.push({ path: ['fields', i, 'helpZh'], message: 'authoring.sheet.helpMissing.zh-CN' })
    if (!f.helpEn?.trim()) problems.push({ path: ['fields', i, 'helpEn'], message: 'authoring.sheet.helpMissing.en' })
  })
  return problems
}

export function sheetFieldToForm(f: PrepSheetField): SheetFieldFormValue {
  return { id: f.id, labelEn: f.label.en, labelZh: f.label['zh-CN'], helpEn: f.help.en, helpZh: f.help['zh-CN'], multiline: f.multiline }
}

/** Sheet fields in the content-file format; kept ids stay (answers are stored by them), new ones get `fN`. */
export function sheetFieldsFromForm(fields: SheetFieldFormValue[]): PrepSheetField[] {
  const taken = new Set<string>()
  const kept = new Set(fields.map((f) => f.id).filter((id): id is string => Boolean(id && KEBAB.test(id))))
  return fields.map((f) => ({
    id: stableId(f.id, taken, function* () {
      for (let n = 1; ; n++) if (!kept.has(`f${n}`)) yield `f${n}`
    }),
    label: { en: f.labelEn ?? '', 'zh-CN': f.labelZh ?? '' },
    help: { en: f.helpEn ?? '', 'zh-CN': f.helpZh ?? '' },
    multiline: Boolean(f.multiline),
  }))
}

export const newSheetField: SheetFieldFormValue = { multiline: true }
