import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { courseModules, courses, enrolments } from '#db/schema'
import { translator } from '~/i18n'
import type { CurrentUser } from '~/modules/auth/permissions'
import { action as moduleAction } from '~/routes/admin.courses.$courseId_.modules.$moduleId'
import { createPerson, postAs } from '../../../tests/setup/fixtures'
import { addModule, createCourse, getModuleEditor, updateModule } from './authoring.server'
import type { ModuleFormValue } from './courses'
import { getModuleForLearner, startQuizAttempt, submitQuizAttempt } from './learning.server'
import type { QuestionFormValue } from './quiz-editor'

const en = translator('en')
const zh = translator('zh-CN')

async function quizCourse(hr: CurrentUser, key: string) {
  await createCourse(hr, {
    contentId: key,
    audience: 'managers',
    titleEn: 'Quiz practice',
    titleZh: '测验练习',
    descriptionEn: 'Written in the browser.',
    descriptionZh: '在浏览器中编写。',
    estimatedMinutes: 20,
  })
  await addModule(hr, key, { intent: 'add-module', contentId: 'check', kind: 'quiz', titleEn: 'Check', titleZh: '小测' })
  const { module } = await getModuleEditor(hr, key, 'check')
  return { intent: 'save', ...module.values, ref: undefined } as ModuleFormValue
}

const single = (): QuestionFormValue => ({
  type: 'single',
  promptEn: 'What comes first in a follow-up plan?',
  promptZh: '跟进计划首先要确定什么？',
  options: [
    { textEn: 'How often you check in', textZh: '多久跟进一次', correct: true },
    { textEn: 'The bonus', textZh: '奖金' },
  ],
  explanationEn: 'The rhythm is agreed with the plan.',
  explanationZh: '跟进节奏在制定计划时就要约定。',
})

async function errorsFor(hr: CurrentUser, base: ModuleFormValue, questions: QuestionFormValue[]) {
  const result = await updateModule(hr, 'rules', 'check', { ...base, questions })
  if (result.ok) throw new Error('expected the quiz to be refused')
  return result.errors
}

describe('the structured quiz editor', () => {
  it('refuses each broken rule at the exact field, in both languages', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const base = await quizCourse(hr, 'rules')

    const twoCorrect = await errorsFor(hr, base, [{ ...single(), options: single().options!.map((o) => ({ ...o, correct: true })) }])
    expect(twoCorrect).toEqual({ 'questions[0].options': ['authoring.quiz.oneCorrect.single'] })
    expect(en(twoCorrect['questions[0].options'][0])).toBe('A single-choice question needs exactly one correct option.')
    expect(zh(twoCorrect['questions[0].options'][0])).toBe('单选题必须恰好有一个正确选项。')

    const noEnglish = await errorsFor(hr, base, [single(), { ...single(), options: [single().options![0], { textZh: '只有中文' }] }])
    expect(noEnglish).toEqual({ 'questions[1].options[1].textEn': ['authoring.quiz.optionMissing.en'] })
    expect(en(noEnglish['questions[1].options[1].textEn'][0])).toBe('Option text missing in English.')
    expect(zh(noEnglish['questions[1].options[1].textEn'][0])).toBe('缺少英文选项内容。')

    const oneOption = await errorsFor(hr, base, [{ ...single(), options: [single().options![0]] }])
    expect(oneOption).toEqual({ 'questions[0].options': ['authoring.quiz.tooFewOptions'] })
    expect(en('authoring.quiz.tooFewOptions')).toBe('A question needs at least two options.')
    expect(zh('authoring.quiz.tooFewOptions')).toBe('每道题至少需要两个选项。')

    const multipleNone = await errorsFor(hr, base, [{ ...single(), type: 'multiple', options: single().options!.map((o) => ({ ...o, correct: false })) }])
    expect(multipleNone).toEqual({ 'questions[0].options': ['authoring.quiz.someCorrect'] })
    expect(zh('authoring.quiz.someCorrect')).toBe('多选题至少需要一个正确选项。')

    const trueFalseThree = await errorsFor(hr, base, [
      { ...single(), type: 'true_false', options: [...single().options!, { textEn: 'Maybe', textZh: '也许' }] },
    ])
    expect(trueFalseThree).toEqual({ 'questions[0].options': ['authoring.quiz.trueFalseTwo'] })

    const scenario = await errorsFor(hr, base, [{ ...single(), type: 'scenario', scenarioEn: 'Lin missed two check-ins.' }])
    expect(scenario).toEqual({ 'questions[0].scenarioZh': ['authoring.quiz.scenarioMissing.zh-CN'] })
    expect(zh(scenario['questions[0].scenarioZh'][0])).toBe('情景题需要填写中文情景。')

    const blanks = await errorsFor(hr, base, [{ ...single(), promptZh: '  ', explanationEn: undefined }])
    expect(blanks).toEqual({
      'questions[0].promptZh': ['authoring.quiz.promptMissing.zh-CN'],
      'questions[0].explanationEn': ['authoring.quiz.explanationMissing.en'],
    })
    expect(en(blanks['questions[0].promptZh'][0])).toBe('The question is missing in Chinese.')

    expect(await errorsFor(hr, base, [])).toEqual({ questions: ['authoring.quiz.noQuestions'] })
    expect(zh('authoring.quiz.noQuestions')).toBe('测验至少需要一道题。')

    // Nothing was saved by any of these.
    const [module] = await db.select().from(courseModules).where(eq(courseModules.contentId, 'check')).limit(1)
    expect(module.version).toBe(1)
  })

  it('answers an invalid save through the route with localized errors and everything typed kept', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    await quizCourse(hr, 'route-rules')
    const fields = {
      intent: 'save',
      kind: 'quiz',
      titleEn: 'Check',
      titleZh: '小测',
      required: 'on',
      estimatedMinutes: '10',
      passMark: '0',
      maxAttempts: '3',
      scoring: 'best',
      'questions[0].type': 'single',
      'questions[0].promptEn': 'Which is a fact?',
      'questions[0].promptZh': '哪一项是事实？',
      'questions[0].options[0].textEn': '3 of 5 customers signed',
      'questions[0].options[0].textZh': '5 家客户签了 3 家',
      'questions[0].options[1].textEn': 'He seems busy',
      'questions[0].options[1].textZh': '他看起来很忙',
      'questions[0].explanationEn': 'Numbers are facts.',
      'questions[0].explanationZh': '数字是事实。',
    }
    const request = await postAs(hr, '/admin/courses/route-rules/modules/check', fields)
    const data = (await moduleAction({ request, params: { courseId: 'route-rules', moduleId: 'check' }, context: { clientIp: '127.0.0.1' } })) as unknown as {
      result: { error: Record<string, string[]>; initialValue: Record<string, unknown> }
    }
    expect(data.result.error).toMatchObject({ passMark: ['authoring.quiz.passMarkRange'], 'questions[0].options': ['authoring.quiz.oneCorrect.single'] })
    expect(zh(data.result.error.passMark[0])).toBe('及格线是 1 到 100 之间的整数百分比。')
    expect(data.result.initialValue).toMatchObject({
      passMark: '0',
      questions: [{ promptZh: '哪一项是事实？', options: [{ textEn: '3 of 5 customers signed' }, { textZh: '他看起来很忙' }] }],
    })
  })

  it('adds a question without JavaScript: the intent button comes back as the changed form, nothing saved', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    await quizCourse(hr, 'no-js')
    const request = await postAs(hr, '/admin/courses/no-js/modules/check', {
      intent: 'save',
      titleEn: 'Check',
      titleZh: '小测',
      estimatedMinutes: '10',
      passMark: '80',
      maxAttempts: '3',
      'questions[0].type': 'true_false',
      'questions[0].promptEn': 'Kept?',
      __intent__: JSON.stringify({ type: 'insert', payload: { name: 'questions', defaultValue: { type: 'single', options: [{}, {}] } } }),
    })
    const data = (await moduleAction({ request, params: { courseId: 'no-js', moduleId: 'check' }, context: { clientIp: '127.0.0.1' } })) as unknown as {
      result: { initialValue: { questions: { type: string; promptEn?: string; options?: unknown[] }[] } }
    }
    const [kept, added] = data.result.initialValue.questions
    expect(kept).toMatchObject({ type: 'true_false', promptEn: 'Kept?' })
    expect(added.type).toBe('single')
    expect(added.options).toHaveLength(2)
    const [module] = await db.select().from(courseModules).where(eq(courseModules.contentId, 'check')).limit(1)
    expect(module.version).toBe(1)
  })

  it('saves a valid structured quiz that a learner then takes', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const base = await quizCourse(hr, 'round-trip')
    const questions: QuestionFormValue[] = [
      single(),
      {
        type: 'multiple',
        promptEn: 'Which are facts?',
        promptZh: '哪些是事实？',
        options: [
          { textEn: 'Two calls made', textZh: '打了两通电话', correct: true },
          { textEn: 'Feels lazy', textZh: '感觉很懒' },
          { textEn: 'Report sent Friday', textZh: '周五发了报告', correct: true },
        ],
        explanationEn: 'Observable events are facts.',
        explanationZh: '可观察到的事件才是事实。',
      },
      {
        type: 'true_false',
        promptEn: 'Over-control builds initiative.',
        promptZh: '过度控制能培养主动性。',
        options: [
          { textEn: 'True', textZh: '正确' },
          { textEn: 'False', textZh: '错误', correct: true },
        ],
        explanationEn: 'It kills initiative.',
        explanationZh: '它会扼杀主动性。',
      },
      { ...single(), type: 'scenario', scenarioEn: 'Zhou is two weeks behind.', scenarioZh: '小周落后了两周。' },
    ]
    expect(await updateModule(hr, 'round-trip', 'check', { ...base, passMark: 75, maxAttempts: 2, scoring: 'last', questions })).toEqual({
      ok: true,
      version: 2,
    })

    const { module } = await getModuleEditor(hr, 'round-trip', 'check')
    expect(module.values).toMatchObject({ passMark: 75, maxAttempts: 2, scoring: 'last' })
    expect(module.values.questions.map((q) => q.id)).toEqual(['q1', 'q2', 'q3', 'q4'])
    expect(module.values.questions[1].options!.map((o) => [o.id, o.correct])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
    ])
    expect(module.values.questions[2].options!.map((o) => o.id)).toEqual(['true', 'false'])
    // Saving the editor's own values again changes nothing: ids are stable.
    expect(await updateModule(hr, 'round-trip', 'check', { ...base, ...module.values, ref: undefined, intent: 'save' })).toEqual({ ok: true, version: 2 })

    const learner = await createPerson({ roles: ['manager'] })
    const [course] = await db.update(courses).set({ status: 'published' }).where(eq(courses.contentId, 'round-trip')).returning()
    await db.insert(enrolments).values({ courseId: course.id, userId: learner.id })
    const view = await getModuleForLearner(learner, 'round-trip', 'check', 'zh-CN')
    expect(view.quiz).toMatchObject({ passMark: 75 })
    const started = await startQuizAttempt(learner, 'round-trip', 'check')
    if (!started.ok) throw new Error(started.error)
    const submitted = await submitQuizAttempt(learner, started.attemptId, { q1: ['a'], q2: ['a', 'c'], q3: ['false'], q4: ['a'] })
    expect(submitted).toMatchObject({ ok: true, passed: true, score: 100 })
  })

  it('edits the preparation sheet as a field list with localized problems and stable ids', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    await createCourse(hr, {
      contentId: 'sheet',
      audience: 'employees',
      titleEn: 'Sheet',
      titleZh: '准备表',
      descriptionEn: 'A sheet.',
      descriptionZh: '一张表。',
      estimatedMinutes: 10,
    })
    await addModule(hr, 'sheet', { intent: 'add-module', contentId: 'prep', kind: 'prep_sheet', titleEn: 'Prepare', titleZh: '准备' })
    const { module } = await getModuleEditor(hr, 'sheet', 'prep')
    const base = { intent: 'save', ...module.values, ref: undefined } as ModuleFormValue
    expect(base.fields).toEqual([expect.objectContaining({ id: 'progress', labelEn: 'Progress', multiline: true })])

    const missing = await updateModule(hr, 'sheet', 'prep', {
      ...base,
      fields: [...base.fields!, { labelZh: '障碍', helpZh: '遇到了什么困难？', helpEn: 'What is in the way?' }],
    })
    expect(missing).toEqual({ ok: false, errors: { 'fields[1].labelEn': ['authoring.sheet.labelMissing.en'] } })
    expect(zh('authoring.sheet.labelMissing.en')).toBe('缺少英文标签。')
    expect(await updateModule(hr, 'sheet', 'prep', { ...base, fields: [] })).toEqual({ ok: false, errors: { fields: ['authoring.sheet.noFields'] } })

    const saved = await updateModule(hr, 'sheet', 'prep', {
      ...base,
      fields: [{ labelZh: '障碍', labelEn: 'Obstacles', helpZh: '遇到了什么困难？', helpEn: 'What is in the way?' }, ...base.fields!],
    })
    expect(saved).toEqual({ ok: true, version: 2 })
    const [row] = await db.select().from(courseModules).where(eq(courseModules.contentId, 'prep'))
    expect(row.settings.fields!.map((f) => [f.id, f.multiline])).toEqual([
      ['f1', false],
      ['progress', true],
    ])
  })
})
