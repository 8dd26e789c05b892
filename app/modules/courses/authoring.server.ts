import { createHash } from 'node:crypto'
import { and, asc, eq, isNull, max, sql } from 'drizzle-orm'
import type { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { courseModules, courses, videos, type CourseModule, type ModuleSettings } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { messageWithVars } from '~/i18n/define'
import { markdownIssues } from './content.server'
import { CourseSchema } from './content-schema'
import { ModuleSchema } from './kinds/registry.server'
import { moduleFormProblems, type CourseFormValue, type ModuleFormValue, type NewModuleFormValue } from './courses'
import { questionsFromForm, questionToForm, sheetFieldsFromForm, sheetFieldToForm } from './quiz-editor'
import { renderMarkdown } from '~/shared/markdown.server'
import { syncLinkedModules } from './linked-modules.server'

/** Kinds whose completion comes from another feature's records (videos, attendance, case analysis). */
const linkedKinds = new Set<string>(['video', 'session', 'case_study'])

/**
 * Courses written in the browser. Imported courses (they carry a content hash) stay read-only
 * here: the files are their source, and the next start would overwrite any edit.
 */

type FieldErrors = Record<string, string[]>
const notFound = () => new Response('Not found', { status: 404 })

async function authoredCourse(executor: Executor, key: string) {
  const [course] = await executor.select().from(courses).where(eq(courses.contentId, key))
  if (!course) throw notFound()
  return course
}

const isImported = (course: { contentHash: string | null }) => course.contentHash !== null

/** Same checks as the content files: the course must be valid course.yaml content. */
function courseContent(value: CourseFormValue) {
  return CourseSchema.safeParse({
    id: value.contentId,
    audience: value.audience,
    estimatedMinutes: value.estimatedMinutes,
    title: { en: value.titleEn, 'zh-CN': value.titleZh },
    description: { en: value.descriptionEn, 'zh-CN': value.descriptionZh },
  })
}

export async function createCourse(actor: CurrentUser, value: CourseFormValue, ip?: string) {
  await assertCan(actor, 'manage:courses:all')
  const parsed = courseContent(value)
  if (!parsed.success) return { ok: false as const, errors: courseIssues(parsed.error) }
  return db.transaction(async (tx) => {
    const [clash] = await tx.select({ id: courses.id }).from(courses).where(eq(courses.contentId, value.contentId))
    if (clash) return { ok: false as const, errors: { contentId: ['courses.author.idTaken'] } as FieldErrors }
    const [course] = await tx
      .insert(courses)
      .values({
        contentId: parsed.data.id,
        audience: parsed.data.audience,
        title: parsed.data.title,
        description: parsed.data.description,
        estimatedMinutes: parsed.data.estimatedMinutes,
      })
      .returning()
    await audit({ actorId: actor.id, action: 'course.created', entityType: 'course', entityId: course.id, after: { contentId: course.contentId }, ip }, tx)
    return { ok: true as const, key: course.contentId }
  })
}

export async function updateCourse(actor: CurrentUser, key: string, value: CourseFormValue, ip?: string) {
  await assertCan(actor, 'manage:courses:all')
  return db.transaction(async (tx) => {
    const course = await authoredCourse(tx, key)
    if (isImported(course)) return { ok: false as const, errors: { form: ['courses.author.imported'] } as FieldErrors }
    const parsed = courseContent({ ...value, contentId: course.contentId })
    if (!parsed.success) return { ok: false as const, errors: courseIssues(parsed.error) }
    const after = {
      audience: parsed.data.audience,
      title: parsed.data.title,
      description: parsed.data.description,
      estimatedMinutes: parsed.data.estimatedMinutes,
    }
    await tx
      .update(courses)
      .set({ ...after, updatedAt: new Date() })
      .where(eq(courses.id, course.id))
    await audit({ actorId: actor.id, action: 'course.updated', entityType: 'course', entityId: course.id, after, ip }, tx)
    return { ok: true as const }
  })
}

/** Starting content for a new module that already passes the content checks. */
function starter(kind: NewModuleFormValue['kind'], title: { en: string; 'zh-CN': string }): { body: CourseModule['body']; settings: ModuleSettings } {
  const text = (en: string, zh: string) => ({ en, 'zh-CN': zh })
  if (kind === 'lesson') return { body: text(`${title.en}: write the lesson here.\n`, `${title['zh-CN']}：在这里写课文。\n`), settings: {} }
  if (kind === 'quiz') {
    return {
      body: null,
      settings: {
        passMark: 80,
        maxAttempts: 3,
        scoring: 'best',
        questions: [
          {
            id: 'q1',
            type: 'true_false',
            prompt: text('Replace this question.', '请替换这道题。'),
            options: [
              { id: 'true', text: text('True', '正确') },
              { id: 'false', text: text('False', '错误') },
            ],
            answer: ['true'],
            explanation: text('Explain why.', '说明理由。'),
          },
        ],
      },
    }
  }
  if (kind === 'prep_sheet') {
    return {
      body: null,
      settings: {
        fields: [{ id: 'progress', label: text('Progress', '进展'), help: text('What moved since last time?', '上次以来有什么进展？'), multiline: true }],
      },
    }
  }
  return { body: null, settings: {} }
}

export async function addModule(actor: CurrentUser, key: string, value: NewModuleFormValue, ip?: string) {
  await assertCan(actor, 'manage:courses:all')
  return db.transaction(async (tx) => {
    const course = await authoredCourse(tx, key)
    if (isImported(course)) return { ok: false as const, errors: { form: ['courses.author.imported'] } as FieldErrors }
    const [clash] = await tx
      .select({ id: courseModules.id })
      .from(courseModules)
      .where(and(eq(courseModules.courseId, course.id), eq(courseModules.contentId, value.contentId)))
    if (clash) return { ok: false as const, errors: { contentId: ['courses.author.idTaken'] } as FieldErrors }
    const [{ last }] = await tx
      .select({ last: max(courseModules.position) })
      .from(courseModules)
      .where(eq(courseModules.courseId, course.id))
    const title = { en: value.titleEn, 'zh-CN': value.titleZh }
    const { body, settings } = starter(value.kind, title)
    const placeholder = !['lesson', 'quiz', 'prep_sheet'].includes(value.kind)
    const [module] = await tx
      .insert(courseModules)
      .values({
        courseId: course.id,
        contentId: value.contentId,
        position: (last ?? 0) + 1,
        kind: value.kind,
        title,
        body,
        settings,
        required: !placeholder,
        estimatedMinutes: 10,
      })
      .returning()
    await audit(
      {
        actorId: actor.id,
        action: 'course_module.created',
        entityType: 'course_module',
        entityId: module.id,
        after: { course: key, module: value.contentId, kind: value.kind },
        ip,
      },
      tx,
    )
    return { ok: true as const, moduleKey: module.contentId }
  })
}

/** The module editor's starting values: quiz questions and sheet fields as the structured editors' forms. */
export async function getModuleEditor(actor: CurrentUser, key: string, moduleKey: string) {
  await assertCan(actor, 'manage:courses:all')
  const course = await authoredCourse(db, key)
  const [module] = await db
    .select()
    .from(courseModules)
    .where(and(eq(courseModules.courseId, course.id), eq(courseModules.contentId, moduleKey)))
  if (!module) throw notFound()
  const settings = module.settings
  return {
    course: { key: course.contentId, title: course.title, editable: !isImported(course) },
    module: {
      key: module.contentId,
      kind: module.kind,
      version: module.version,
      retired: Boolean(module.retiredAt),
      values: {
        kind: module.kind,
        titleEn: module.title.en,
        titleZh: module.title['zh-CN'],
        required: module.required,
        estimatedMinutes: module.estimatedMinutes,
        keyPoints: module.keyPoints.join(', '),
        bodyEn: module.body?.en ?? '',
        bodyZh: module.body?.['zh-CN'] ?? '',
        passMark: settings.passMark ?? 80,
        maxAttempts: settings.maxAttempts ?? 3,
        scoring: settings.scoring ?? 'best',
        questions: (settings.questions ?? []).map(questionToForm),
        fields: (settings.fields ?? []).map(sheetFieldToForm),
        ref: settings.ref ?? '',
      },
    },
  }
}

/** Course content problems the form did not catch, at the form field they belong to. */
function courseIssues(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {}
  const fields: Record<string, string> = {
    id: 'contentId',
    audience: 'audience',
    estimatedMinutes: 'estimatedMinutes',
    title: 'title',
    description: 'description',
  }
  for (const issue of error.issues) {
    const [head, locale] = issue.path.map(String)
    let field = fields[head] ?? 'form'
    if (field === 'title' || field === 'description') field += locale === 'zh-CN' ? 'Zh' : 'En'
    ;(errors[field] ??= []).push('authoring.invalid')
  }
  return errors
}

/** A conform field name for a path: `questions[2].options[0].textEn`. */
function fieldName(path: (string | number)[]) {
  return path.reduce<string>((name, part) => (typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${part}` : part), '')
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** Key points typed as "1, 7"; anything else is a field error. */
function readKeyPoints(text: string | undefined, errors: FieldErrors) {
  const parts = (text ?? '').split(/[\s,，、]+/).filter(Boolean)
  if (!parts.length) return undefined
  const points = parts.map(Number)
  if (points.some((n) => !Number.isInteger(n) || n < 1 || n > 10) || new Set(points).size !== points.length) {
    errors.keyPoints = ['authoring.keyPoints.invalid']
    return undefined
  }
  return points
}

/**
 * Saves a module of an authored course. The result must pass the same checks as a content file
 * (content-schema and the Markdown rules); problems come back per field. Any change raises the
 * version; attempts already started keep the questions they started with.
 */
export async function updateModule(actor: CurrentUser, key: string, moduleKey: string, value: ModuleFormValue, ip?: string) {
  await assertCan(actor, 'manage:courses:all')
  return db.transaction(async (tx) => {
    const course = await authoredCourse(tx, key)
    if (isImported(course)) return { ok: false as const, errors: { form: ['courses.author.imported'] } as FieldErrors }
    const [module] = await tx
      .select()
      .from(courseModules)
      .where(and(eq(courseModules.courseId, course.id), eq(courseModules.contentId, moduleKey)))
    if (!module) throw notFound()

    const errors: FieldErrors = {}
    const keyPoints = readKeyPoints(value.keyPoints, errors)
    // The kind-dependent form rules again, with the module's real kind (the form's is only a hint).
    for (const problem of moduleFormProblems(value, module.kind)) (errors[fieldName(problem.path)] ??= []).push(problem.message)
    const candidate: Record<string, unknown> = {
      id: module.contentId,
      kind: module.kind,
      title: { en: value.titleEn, 'zh-CN': value.titleZh },
      required: value.required,
      estimatedMinutes: value.estimatedMinutes,
      ...(keyPoints?.length ? { keyPoints } : {}),
    }
    if (module.kind === 'quiz') {
      Object.assign(candidate, {
        passMark: value.passMark,
        maxAttempts: value.maxAttempts,
        scoring: value.scoring ?? 'best',
        questions: errors.questions || Object.keys(errors).some((k) => k.startsWith('questions[')) ? [] : questionsFromForm(value.questions ?? []),
      })
    } else if (module.kind === 'prep_sheet') {
      candidate.fields = Object.keys(errors).some((k) => k.startsWith('fields')) ? [] : sheetFieldsFromForm(value.fields ?? [])
    } else if (module.kind !== 'lesson' && value.ref) {
      candidate.ref = value.ref
    }
    const parsed = ModuleSchema.safeParse(candidate)
    const unreadable = new Set(Object.keys(errors).map((k) => k.replace(/\[.*$/, '')))
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // A field that already has a problem says so; its schema errors would only add noise.
        const [head, ...rest] = issue.path
        if (unreadable.has(String(head))) continue
        const field = head === 'title' ? (rest[0] === 'zh-CN' ? 'titleZh' : 'titleEn') : typeof head === 'string' ? head : 'form'
        // The form rules come first and cover what authors can get wrong; this is the safety net.
        ;(errors[field] ??= []).push('authoring.invalid')
      }
    }
    const body = { en: value.bodyEn ?? '', 'zh-CN': value.bodyZh ?? '' }
    const hasBody = Boolean(body.en.trim() || body['zh-CN'].trim())
    if (module.kind === 'lesson' || hasBody) {
      for (const [locale, field] of [
        ['en', 'bodyEn'],
        ['zh-CN', 'bodyZh'],
      ] as const) {
        const problems = markdownIssues(body[locale])
        if (problems.length) errors[field] = problems.map((p) => messageWithVars(`authoring.markdown.${p.code}`, { line: p.line }))
      }
    }
    // A video module names a video of the library (uploads too); its pair comes from the video itself.
    let videoPair: string | null = null
    if (parsed.success && parsed.data.kind === 'video') {
      const [video] = await tx.select({ id: videos.id, pairId: videos.pairId }).from(videos).where(eq(videos.id, parsed.data.ref))
      if (!video) (errors.ref ??= []).push('courses.author.unknownVideo')
      videoPair = video?.pairId ?? null
    }
    if (Object.keys(errors).length || !parsed.success) return { ok: false as const, errors }

    const data = parsed.data
    let settings: ModuleSettings = {}
    if (data.kind === 'quiz') settings = { passMark: data.passMark, maxAttempts: data.maxAttempts, scoring: data.scoring, questions: data.questions }
    else if (data.kind === 'prep_sheet') settings = { fields: data.fields }
    else if (data.kind === 'video') settings = videoPair ? { ref: data.ref, pair: videoPair } : { ref: data.ref }
    else if (data.kind !== 'lesson' && data.ref) settings = { ref: data.ref }
    const next = {
      title: data.title,
      body: hasBody ? body : null,
      settings,
      required: data.required,
      estimatedMinutes: data.estimatedMinutes,
      keyPoints: data.keyPoints ?? [],
    }
    // Keys sorted: jsonb gives the stored settings back in its own key order.
    const fingerprint = (m: typeof next) => createHash('sha256').update(canonicalJson(m)).digest('hex')
    const before = {
      title: module.title,
      body: module.body,
      settings: module.settings,
      required: module.required,
      estimatedMinutes: module.estimatedMinutes,
      keyPoints: module.keyPoints,
    }
    if (fingerprint(next) === fingerprint(JSON.parse(JSON.stringify(before)))) return { ok: true as const, version: module.version }
    const [saved] = await tx
      .update(courseModules)
      .set({ ...next, version: sql`${courseModules.version} + 1`, updatedAt: new Date() })
      .where(eq(courseModules.id, module.id))
      .returning({ version: courseModules.version })
    await audit(
      { actorId: actor.id, action: 'course_module.updated', entityType: 'course_module', entityId: module.id, after: { version: saved.version }, ip },
      tx,
    )
    // A video, session or case module now names another source: progress follows it here, not on the next page view.
    if (linkedKinds.has(module.kind)) await syncLinkedModules(tx, { courseId: course.id })
    return { ok: true as const, version: saved.version }
  })
}

/** Moves a module one place up or down among the course's current modules. */
export async function moveModule(actor: CurrentUser, key: string, moduleKey: string, direction: 'up' | 'down', ip?: string) {
  await assertCan(actor, 'manage:courses:all')
  return db.transaction(async (tx) => {
    const course = await authoredCourse(tx, key)
    if (isImported(course)) return { ok: false as const, error: 'courses.author.imported' }
    const list = await tx
      .select({ id: courseModules.id, contentId: courseModules.contentId, position: courseModules.position })
      .from(courseModules)
      .where(and(eq(courseModules.courseId, course.id), isNull(courseModules.retiredAt)))
      .orderBy(asc(courseModules.position))
    const index = list.findIndex((m) => m.contentId === moduleKey)
    if (index === -1) throw notFound()
    const other = list[direction === 'up' ? index - 1 : index + 1]
    if (!other) return { ok: true as const }
    // Renumber 1..n so equal positions (possible after imports) cannot make the swap a no-op.
    const order = list.map((m) => m.id)
    ;[order[index], order[list.indexOf(other)]] = [order[list.indexOf(other)], order[index]]
    for (const [i, id] of order.entries())
      await tx
        .update(courseModules)
        .set({ position: i + 1 })
        .where(eq(courseModules.id, id))
    await audit({ actorId: actor.id, action: 'course_module.moved', entityType: 'course_module', entityId: list[index].id, after: { direction }, ip }, tx)
    return { ok: true as const }
  })
}

/** Retires a module (kept, with everyone's progress); a retired one can be brought back. */
export async function setModuleRetired(actor: CurrentUser, key: string, moduleKey: string, retired: boolean, ip?: string) {
  await assertCan(actor, 'manage:courses:all')
  return db.transaction(async (tx) => {
    const course = await authoredCourse(tx, key)
    if (isImported(course)) return { ok: false as const, error: 'courses.author.imported' }
    const [module] = await tx
      .update(courseModules)
      .set({ retiredAt: retired ? new Date() : null, updatedAt: new Date() })
      .where(and(eq(courseModules.courseId, course.id), eq(courseModules.contentId, moduleKey)))
      .returning({ id: courseModules.id })
    if (!module) throw notFound()
    await audit(
      { actorId: actor.id, action: retired ? 'course_module.retired' : 'course_module.restored', entityType: 'course_module', entityId: module.id, ip },
      tx,
    )
    if (!retired) await syncLinkedModules(tx, { courseId: course.id })
    return { ok: true as const }
  })
}

/** Both locales rendered exactly as learners will see them (a read; nothing is stored). */
export async function previewMarkdown(actor: CurrentUser, texts: { en: string; zh: string }) {
  await assertCan(actor, 'manage:courses:all')
  return { en: renderMarkdown(texts.en), zh: renderMarkdown(texts.zh) }
}

/** The course editor: the course's values and all its modules, retired ones last. */
export async function getCourseEditor(actor: CurrentUser, key: string) {
  await assertCan(actor, 'manage:courses:all')
  const course = await authoredCourse(db, key)
  const modules = await db
    .select({
      key: courseModules.contentId,
      kind: courseModules.kind,
      title: courseModules.title,
      required: courseModules.required,
      version: courseModules.version,
      retiredAt: courseModules.retiredAt,
    })
    .from(courseModules)
    .where(eq(courseModules.courseId, course.id))
    .orderBy(sql`${courseModules.retiredAt} is not null`, asc(courseModules.position))
  return {
    course: {
      key: course.contentId,
      status: course.status,
      editable: !isImported(course),
      values: {
        contentId: course.contentId,
        audience: course.audience,
        titleEn: course.title.en,
        titleZh: course.title['zh-CN'],
        descriptionEn: course.description.en,
        descriptionZh: course.description['zh-CN'],
        estimatedMinutes: course.estimatedMinutes,
      },
    },
    modules,
  }
}
