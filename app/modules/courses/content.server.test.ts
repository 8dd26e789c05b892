import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { checkMarkdown, loadContent } from './content.server'

// Paths in problems are relative to the repository, whatever directory the tests run from.
const repo = fileURLToPath(new URL('../../..', import.meta.url))
const fixtures = 'tests/fixtures/content'

async function load(name: string) {
  return loadContent(`${fixtures}/${name}`, { baseDir: repo })
}

/** Problems as `file:line: message` with the fixture root cut off, the way content:check prints them. */
async function problemsIn(name: string) {
  const { problems } = await load(name)
  return problems.map((p) => `${p.file.replace(`${fixtures}/${name}/`, '')}:${p.line}: ${p.message}`)
}

describe('loadContent', () => {
  it('loads a valid course with its modules in folder order', async () => {
    const { courses, problems } = await load('valid')
    expect(problems).toEqual([])
    expect(courses).toHaveLength(1)
    const [course] = courses
    expect(course).toMatchObject({ id: 'good-course', slug: 'good-course', audience: 'employees', title: { en: 'Fixture course', 'zh-CN': '测试课程' } })
    expect(course.modules.map((m) => [m.order, m.folder, m.kind])).toEqual([
      [1, '01-welcome', 'lesson'],
      [2, '02-check', 'quiz'],
      [3, '03-prep', 'prep_sheet'],
      [10, '10-video', 'video'],
    ])
  })

  it('reads lesson Markdown in both locales and keeps optional introductions', async () => {
    const { courses } = await load('valid')
    const [lesson, quiz, sheet, video] = courses[0].modules
    expect(lesson.body?.en).toMatch(/^An opening paragraph\./)
    expect(lesson.body?.['zh-CN']).toMatch(/^开头的一段话。/)
    expect(quiz.body).toBeNull()
    expect(sheet.body).toEqual({ en: 'Fill this in before the check-in.\n', 'zh-CN': '面谈前填好这张表。\n' })
    expect(video).toMatchObject({ kind: 'video', ref: 'follow-up-positive', pair: 'follow-up-negative', body: null })
  })

  it('applies defaults and reads unquoted true/false option ids as strings', async () => {
    const { courses } = await load('valid')
    const [lesson, quiz, sheet] = courses[0].modules
    expect(lesson.required).toBe(true)
    expect(sheet).toMatchObject({
      required: false,
      fields: [
        { id: 'progress', multiline: true },
        { id: 'asks', multiline: false },
      ],
    })
    if (quiz.kind !== 'quiz') throw new Error('expected a quiz')
    expect(quiz).toMatchObject({ passMark: 70, maxAttempts: 3, scoring: 'best', keyPoints: [2, 7] })
    const trueFalse = quiz.questions.find((q) => q.type === 'true_false')
    expect(trueFalse?.options.map((o) => o.id)).toEqual(['true', 'false'])
    expect(trueFalse?.answer).toEqual(['true'])
  })

  it('gives the same result every time', async () => {
    const [a, b] = [await load('valid'), await load('valid')]
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
    const [c, d] = [await load('bad-answer-key'), await load('bad-answer-key')]
    expect(c).toEqual(d)
  })

  it('reports YAML syntax errors where the broken node starts, and text damaged by comments or folding', async () => {
    expect(await problemsIn('yaml-syntax')).toEqual([
      'broken/course.yaml:5: YAML syntax: Missing closing "quote',
      'broken/modules/01-intro/module.yaml:4: YAML syntax: Map keys must be unique',
      'broken/modules/02-comment/module.yaml:4: en text is cut short at " #" (a YAML comment): put the text in quotes',
      'broken/modules/03-folded/module.yaml:5: zh-CN text has a space between Chinese characters (YAML turns line breaks into spaces): keep Chinese text on one line',
    ])
  })

  it('reports schema errors at the offending key, and missing keys at their parent', async () => {
    expect(await problemsIn('schema')).toEqual([
      'bad-schema/course.yaml:1: description: missing text (en and zh-CN)',
      'bad-schema/course.yaml:2: audience: must be one of managers, employees',
      'bad-schema/modules/01-intro/module.yaml:4: estimatedMinutes: must be a number of minutes',
      'bad-schema/modules/01-intro/module.yaml:5: estimatedMinute: unknown key (check the spelling against docs/content-format.md)',
    ])
  })

  it('reports a missing or empty locale at the text that lacks it', async () => {
    expect(await problemsIn('missing-locale')).toEqual([
      'half-translated/course.yaml:4: title.zh-CN: missing zh-CN text',
      'half-translated/course.yaml:8: description.zh-CN: empty zh-CN text',
      'half-translated/modules/01-check/module.yaml:18: questions[0].options[1].text.zh-CN: empty zh-CN text',
      'half-translated/modules/01-check/module.yaml:22: questions[0].explanation.en: missing en text',
    ])
  })

  it('reports missing, empty and malformed lesson Markdown', async () => {
    expect(await problemsIn('missing-markdown')).toEqual([
      'no-text/modules/01-intro/module.yaml:3: a lesson needs zh-CN.md (missing zh-CN text)',
      'no-text/modules/02-empty/en.md:1: en.md is empty (missing en text)',
      'no-text/modules/03-sheet/module.yaml:2: the introduction has en.md but no zh-CN.md (missing zh-CN text)',
      'no-text/modules/04-styled/en.md:1: front matter is not allowed: metadata belongs in module.yaml',
      'no-text/modules/04-styled/zh-CN.md:1: use ## headings: the title comes from module.yaml',
      'no-text/modules/04-styled/zh-CN.md:5: raw HTML is not allowed in lesson Markdown',
    ])
  })

  it('reports an unknown module kind at the kind line', async () => {
    expect(await problemsIn('unknown-kind')).toEqual([
      'odd/modules/01-podcast/module.yaml:3: kind: unknown module kind "podcast" (expected one of lesson, quiz, prep_sheet, video, session, case_study, roleplay)',
    ])
  })

  it('reports a video module whose video (or pair) is not in content/videos, at the line of the reference', async () => {
    expect(await problemsIn('unknown-video')).toEqual([
      'videos/modules/01-watch/module.yaml:5: ref: unknown video "no-such-video" (no video with this id in content/videos)',
      'videos/modules/02-wrong-pair/module.yaml:6: pair: "follow-up-positive" is not the pair of "follow-up-positive" (its pair is "follow-up-negative")',
    ])
    const { courses } = await load('unknown-video')
    expect(courses).toEqual([])
  })

  it('requires the reference of video and session modules', async () => {
    const { ModuleSchema } = await import('./kinds/registry.server')
    const base = { id: 'm', title: { en: 'M', 'zh-CN': '单元' }, estimatedMinutes: 5 }
    expect(ModuleSchema.safeParse({ ...base, kind: 'video' }).success).toBe(false)
    expect(ModuleSchema.safeParse({ ...base, kind: 'session' }).success).toBe(false)
    expect(ModuleSchema.parse({ ...base, kind: 'session', ref: 'workshop' })).toMatchObject({ required: true, ref: 'workshop' })
  })

  it('reports bad answer keys at the answer or option that is wrong', async () => {
    expect(await problemsIn('bad-answer-key')).toEqual([
      'quizzes/modules/01-check/module.yaml:16: questions[0].answer[0]: answer "d" is not one of the options (a, b, c)',
      'quizzes/modules/01-check/module.yaml:26: questions[1].answer: a scenario question has exactly one answer, found 2',
      'quizzes/modules/01-check/module.yaml:31: questions[2].options: a true_false question has exactly two options, with ids true and false',
      'quizzes/modules/01-check/module.yaml:44: questions[3].options[2].id: duplicate option id "a"',
      'quizzes/modules/01-check/module.yaml:57: questions[4].answer: must name at least one option',
      'quizzes/modules/01-check/module.yaml:61: questions[5].scenario: only scenario questions have a scenario (this one is single)',
      'quizzes/modules/01-check/module.yaml:63: questions[5].options: a single question needs at least 2 options',
    ])
  })

  it('reports duplicate course, module and question ids at the later id', async () => {
    expect(await problemsIn('duplicate-ids')).toEqual([
      'second/course.yaml:1: duplicate course id "same-course" (also used by tests/fixtures/content/duplicate-ids/first/course.yaml)',
      'second/modules/02-intro/module.yaml:1: duplicate module id "intro" in this course (also in 01-intro)',
      'second/modules/03-check/module.yaml:17: questions[1].id: duplicate question id "q1"',
    ])
  })

  it('reports module folders that are not NN-<id> or reuse an order number, and stray files', async () => {
    expect(await problemsIn('folder-name')).toEqual([
      'folders/modules/02-welcome/module.yaml:1: module folder "02-welcome" must be named NN-hello (two-digit order, then the id)',
      'folders/modules/03-closing/zh-cn.md:1: unexpected file in module 03-closing: a module folder holds module.yaml, en.md and zh-CN.md',
      'folders/modules/03-review/module.yaml:1: module order 03 is used twice (03-closing and 03-review)',
      'folders/modules/1-intro/module.yaml:1: module folder "1-intro" must be named NN-intro (two-digit order, then the id)',
      'folders/notes.txt:1: unexpected file: a course folder holds course.yaml and modules/',
    ])
  })

  it('reports a pass mark outside 1-100 or not a whole percent', async () => {
    expect(await problemsIn('pass-mark')).toEqual([
      'marks/modules/01-too-low/module.yaml:5: passMark: must be a percent from 1 to 100',
      'marks/modules/02-too-high/module.yaml:5: passMark: must be a percent from 1 to 100',
      'marks/modules/03-fraction/module.yaml:5: passMark: must be a whole percent',
    ])
  })

  it('reports key points outside 1-10, an empty list and repeats', async () => {
    expect(await problemsIn('key-points')).toEqual([
      'points/modules/01-zero/module.yaml:5: keyPoints[0]: key points run from 1 to 10',
      'points/modules/02-eleven/module.yaml:7: keyPoints[1]: key points run from 1 to 10',
      'points/modules/03-empty/module.yaml:5: keyPoints: when present, lists at least one key point',
      'points/modules/04-twice/module.yaml:5: keyPoints[1]: duplicate key point 4',
    ])
  })

  it('leaves out courses and modules that have problems', async () => {
    const { courses } = await load('duplicate-ids')
    expect(courses.map((c) => c.slug)).toEqual(['first'])
    const folders = await load('folder-name')
    expect(folders.courses).toEqual([])
  })

  it('reports a missing content folder instead of throwing', async () => {
    expect(await problemsIn('no-such-folder')).toEqual(['tests/fixtures/content/no-such-folder:1: content folder not found'])
  })
})

describe('checkMarkdown', () => {
  it('accepts a paragraph, ## headings, lists, bold, quotes and code that mentions tags', () => {
    const text = 'Opening.\n\n## Why\n\n- **one**\n- two\n\n> **Li Na:** Can we talk?\n\n`<br>` is HTML.\n\n```\n<div>in a fence</div>\n```\n'
    expect(checkMarkdown(text, 'en')).toEqual([])
  })

  it('asks for an opening paragraph before anything else', () => {
    expect(checkMarkdown('\n- a list first\n', 'en')).toEqual([{ line: 2, message: 'start with a paragraph, not a heading, list, quote, table or code block' }])
  })

  it('does not mistake comparisons or autolinks for HTML', () => {
    expect(checkMarkdown('Targets < 80% and 3<5, see <https://example.com>.\n', 'en')).toEqual([])
  })
})

describe('the course content in the repository', () => {
  it('has no problems', async () => {
    const { problems } = await loadContent('content/courses', { baseDir: repo })
    expect(problems).toEqual([])
  })

  it('has the employees managing-up course with its lessons, quiz and prep sheet', async () => {
    const { courses } = await loadContent('content/courses', { baseDir: repo })
    const course = courses.find((c) => c.id === 'employees-managing-up')
    expect(course?.audience).toBe('employees')
    const kinds = course?.modules.map((m) => m.kind) ?? []
    expect(kinds.filter((k) => k === 'lesson').length).toBeGreaterThanOrEqual(5)
    const quiz = course?.modules.find((m) => m.kind === 'quiz')
    expect(quiz).toMatchObject({ passMark: 70, maxAttempts: 3, scoring: 'best' })
    if (quiz?.kind !== 'quiz') throw new Error('expected a quiz')
    expect(quiz.questions.length).toBeGreaterThanOrEqual(8)
    expect(new Set(quiz.questions.map((q) => q.type))).toEqual(new Set(['single', 'multiple', 'true_false', 'scenario']))
    const sheet = course?.modules.find((m) => m.kind === 'prep_sheet')
    if (sheet?.kind !== 'prep_sheet') throw new Error('expected a prep sheet')
    expect(sheet.fields.map((f) => f.id)).toEqual(['progress', 'facts', 'obstacles', 'asks', 'next-steps'])
  })
})
