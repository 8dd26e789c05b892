import { caseAnalysisModuleState } from '~/modules/assignments/module-kind.server'
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm'
import { notifyPrepSheetShared } from '~/modules/notifications/prep-sheets.server'
import { db, rowsOf, type Executor } from '#db/client.server'
import {
  courseModules,
  courses,
  enrolments,
  moduleProgress,
  prepSheets,
  quizAttempts,
  users,
  type CourseModule,
  type CourseRow,
  type Enrolment,
  type QuizAttempt,
  type QuizQuestionSnapshot,
  type QuizSettings,
} from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { deny } from '~/modules/auth/authorize.server'
import { can, type CurrentUser } from '~/modules/auth/permissions'
import { recomputeCompletions } from './completion.server'
import { isPlaceholder, pick, PREP_FIELD_MAX, QuizAnswers, type ModuleStatus, type UiLocale } from './courses'
import { listMySessions } from '~/modules/sessions/sessions.server'
import { getVideoForViewer } from '~/modules/videos/videos.server'
import { syncEnrolments } from './enrolment.server'
import { syncLinkedModules } from './linked-modules.server'
import { renderMarkdown } from './markdown.server'

export type { ModuleStatus }

const notFound = () => new Response('Not found', { status: 404 })

/**
 * A refusal found inside a transaction. The denial is audited after the transaction ends:
 * writing the audit row through `db` while a PGlite transaction is open would deadlock.
 */
class Refused {
  constructor(
    readonly permission: string,
    readonly details: Record<string, unknown>,
  ) {}
}

/** Runs `work` in a transaction; a Refused thrown inside becomes an audited 403 afterwards. */
async function inTransaction<T>(user: CurrentUser, work: (tx: Executor) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(work)
  } catch (error) {
    if (error instanceof Refused) return deny(user, error.permission, error.details)
    throw error
  }
}

/** The same for reads outside a transaction. */
async function guarded<T>(user: CurrentUser, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof Refused) return deny(user, error.permission, error.details)
    throw error
  }
}

/**
 * The courses a person is taking (or has finished), with progress and what comes next, in one
 * query. Enrolments are synced first: a cheap, idempotent safety net for anyone who joined an
 * audience without the sync having run.
 */
export async function listMyLearning(user: CurrentUser) {
  await syncEnrolments(db, { userIds: [user.id] })
  await syncLinkedModules(db, { userIds: [user.id] })
  const result = await db.execute(sql`
    select c.content_id as "courseKey", c.title, c.description, c.estimated_minutes as "estimatedMinutes",
      e.due_at as "dueAt", e.enrolled_at as "enrolledAt", e.completed_at as "completedAt",
      coalesce(req.total, 0)::int as "requiredCount", coalesce(req.done, 0)::int as "completedCount",
      nxt.content_id as "nextModuleKey", nxt.title as "nextModuleTitle", nxt.kind as "nextModuleKind",
      (e.completed_at is null and e.due_at is not null and e.due_at < now()) as overdue
    from enrolments e
    join courses c on c.id = e.course_id
    left join lateral (
      select count(*) as total,
        count(*) filter (where exists (select 1 from module_progress p where p.module_id = m.id and p.user_id = e.user_id and p.status = 'completed')) as done
      from course_modules m where m.course_id = c.id and m.required and m.retired_at is null
    ) req on true
    left join lateral (
      select m.content_id, m.title, m.kind from course_modules m
      where m.course_id = c.id and m.retired_at is null
        and (m.required or m.kind not in ('roleplay'))
        and not exists (select 1 from module_progress p where p.module_id = m.id and p.user_id = e.user_id and p.status = 'completed')
      order by m.position limit 1
    ) nxt on true
    where e.user_id = ${user.id}
      and (e.completed_at is not null or (e.unenrolled_at is null and c.status = 'published' and c.retired_at is null))
    order by (e.completed_at is not null), e.due_at asc nulls last, c.content_id`)
  return rowsOf<{
    courseKey: string
    title: { en: string; 'zh-CN': string }
    description: { en: string; 'zh-CN': string }
    estimatedMinutes: number
    dueAt: Date | string | null
    enrolledAt: Date | string
    completedAt: Date | string | null
    requiredCount: number
    completedCount: number
    nextModuleKey: string | null
    nextModuleTitle: { en: string; 'zh-CN': string } | null
    nextModuleKind: string | null
    overdue: boolean
  }>(result).map((r) => ({
    ...r,
    requiredCount: Number(r.requiredCount),
    completedCount: Number(r.completedCount),
    percent: r.completedAt ? 100 : Number(r.requiredCount) === 0 ? 0 : Math.floor((Number(r.completedCount) * 100) / Number(r.requiredCount)),
  }))
}

type LearnerContext = { course: CourseRow; enrolment: Enrolment | null; preview: boolean }

/**
 * The course as this person may see it: their own enrolment, or a read-only preview for HR
 * and trainers. Anyone else is refused (403, audited); a missing course is 404.
 */
async function learnerContext(executor: Executor, user: CurrentUser, courseKey: string): Promise<LearnerContext> {
  const [course] = await executor.select().from(courses).where(eq(courses.contentId, courseKey))
  const previewer = can(user, 'read:progress:all')
  if (!course || (course.retiredAt && !previewer)) throw notFound()
  const [enrolment] = await executor
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.courseId, course.id), eq(enrolments.userId, user.id)))
  const active = enrolment && (enrolment.completedAt || (!enrolment.unenrolledAt && course.status === 'published'))
  if (active) return { course, enrolment, preview: false }
  if (previewer) return { course, enrolment: null, preview: true }
  if (course.status !== 'published') throw notFound()
  throw new Refused('take:courses:own', { course: courseKey })
}

/** Like learnerContext, but for writes: only the person's own active enrolment will do. */
async function writableContext(executor: Executor, user: CurrentUser, courseKey: string) {
  const ctx = await learnerContext(executor, user, courseKey)
  if (!ctx.enrolment || ctx.enrolment.unenrolledAt) throw new Refused('take:courses:own', { course: courseKey, write: true })
  return { course: ctx.course, enrolment: ctx.enrolment }
}

async function moduleStatuses(executor: Executor, userId: string, courseId: string) {
  const rows = await executor
    .select({ module: courseModules, status: moduleProgress.status, lastPosition: moduleProgress.lastPosition, completedAt: moduleProgress.completedAt })
    .from(courseModules)
    .leftJoin(moduleProgress, and(eq(moduleProgress.moduleId, courseModules.id), eq(moduleProgress.userId, userId)))
    .where(and(eq(courseModules.courseId, courseId), isNull(courseModules.retiredAt)))
    .orderBy(asc(courseModules.position))
  return rows.map((r) => ({
    module: r.module,
    status: (r.status ?? 'not_started') as ModuleStatus,
    lastPosition: r.lastPosition ?? 0,
    completedAt: r.completedAt,
  }))
}

function summary(m: CourseModule) {
  return {
    key: m.contentId,
    kind: m.kind,
    title: m.title,
    required: m.required,
    estimatedMinutes: m.estimatedMinutes,
    keyPoints: m.keyPoints,
    placeholder: isPlaceholder(m.kind),
  }
}

/** The first module worth opening next: unfinished, and not an optional placeholder nobody can finish yet. */
function resumeTarget(list: { module: CourseModule; status: ModuleStatus }[]) {
  const open = list.filter((m) => m.status !== 'completed' && (m.module.required || !isPlaceholder(m.module.kind)))
  return open[0]?.module.contentId ?? null
}

/** A course's modules in order with the person's status in each, and where to resume. */
export async function getCourseOverview(user: CurrentUser, courseKey: string) {
  const ctx = await guarded(user, () => learnerContext(db, user, courseKey))
  if (!ctx.preview) await syncLinkedModules(db, { userIds: [user.id], courseId: ctx.course.id })
  const list = await moduleStatuses(db, user.id, ctx.course.id)
  const required = list.filter((m) => m.module.required)
  return {
    course: {
      key: ctx.course.contentId,
      title: ctx.course.title,
      description: ctx.course.description,
      estimatedMinutes: ctx.course.estimatedMinutes,
      audience: ctx.course.audience,
    },
    preview: ctx.preview,
    enrolment: ctx.enrolment && { dueAt: ctx.enrolment.dueAt, enrolledAt: ctx.enrolment.enrolledAt, completedAt: ctx.enrolment.completedAt },
    overdue: Boolean(ctx.enrolment && !ctx.enrolment.completedAt && ctx.enrolment.dueAt && ctx.enrolment.dueAt < new Date()),
    modules: list.map((m) => ({ ...summary(m.module), status: ctx.preview ? ('not_started' as const) : m.status })),
    requiredCount: required.length,
    completedCount: ctx.preview ? 0 : required.filter((m) => m.status === 'completed').length,
    resume: ctx.preview ? (list[0]?.module.contentId ?? null) : resumeTarget(list),
    started: !ctx.preview && list.some((m) => m.status !== 'not_started'),
  }
}

/** Questions as the learner sees them before submitting: no answers, no explanations. */
function publicQuestions(questions: QuizQuestionSnapshot[]) {
  return questions.map((q) => ({ id: q.id, type: q.type, scenario: q.scenario ?? null, prompt: q.prompt, options: q.options }))
}

function review(attempt: QuizAttempt) {
  const answers = attempt.answers ?? {}
  return {
    id: attempt.id,
    number: attempt.attemptNumber,
    score: attempt.score ?? 0,
    passed: Boolean(attempt.passed),
    correctCount: attempt.correctCount ?? 0,
    submittedAt: attempt.submittedAt,
    questions: attempt.snapshot.questions.map((q) => ({
      ...publicQuestions([q])[0],
      chosen: answers[q.id] ?? [],
      answer: q.answer,
      correct: isCorrect(q, answers[q.id] ?? []),
      explanation: q.explanation,
    })),
  }
}

function isCorrect(q: QuizQuestionSnapshot, chosen: string[]) {
  const a = [...new Set(chosen)].sort()
  const b = [...q.answer].sort()
  return a.length === b.length && a.every((v, i) => v === b[i])
}

/** The score that counts for a quiz: the best or the last submitted attempt, as the quiz says. */
function countedAttempt(attempts: QuizAttempt[], scoring: 'best' | 'last') {
  const submitted = attempts.filter((a) => a.submittedAt)
  if (submitted.length === 0) return null
  if (scoring === 'last') return submitted.reduce((a, b) => (b.attemptNumber > a.attemptNumber ? b : a))
  return submitted.reduce((a, b) => ((b.score ?? 0) > (a.score ?? 0) ? b : a))
}

async function quizState(executor: Executor, userId: string, module: CourseModule, status: ModuleStatus, preview: boolean) {
  const settings = module.settings as QuizSettings
  const attempts = preview
    ? []
    : await executor
        .select()
        .from(quizAttempts)
        .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.moduleId, module.id)))
        .orderBy(asc(quizAttempts.attemptNumber))
  const open = attempts.find((a) => !a.submittedAt) ?? null
  const submitted = attempts.filter((a) => a.submittedAt)
  const counted = countedAttempt(attempts, settings.scoring)
  const passed = status === 'completed'
  const limit = settings.maxAttempts
  const remaining = limit === 0 ? null : Math.max(0, limit - attempts.length)
  const latest = submitted[submitted.length - 1] ?? null
  return {
    passMark: settings.passMark,
    maxAttempts: limit,
    scoring: settings.scoring,
    questionCount: settings.questions.length,
    attemptsUsed: attempts.length,
    remaining,
    passed,
    countedScore: counted?.score ?? null,
    history: submitted.map((a) => ({ number: a.attemptNumber, score: a.score ?? 0, passed: Boolean(a.passed), submittedAt: a.submittedAt })),
    // Questions come from the attempt's snapshot: editing the quiz never changes an attempt in progress.
    open: open && { id: open.id, number: open.attemptNumber, questions: publicQuestions(open.snapshot.questions) },
    latest: latest && review(latest),
    canStart: !preview && !open && !passed && (remaining === null || remaining > 0),
    preview: preview ? publicQuestions(settings.questions) : null,
  }
}

async function prepSheetState(executor: Executor, user: CurrentUser, module: CourseModule) {
  const [sheet] = await executor
    .select()
    .from(prepSheets)
    .where(and(eq(prepSheets.userId, user.id), eq(prepSheets.moduleId, module.id)))
  const [manager] = user.managerId ? await executor.select({ name: users.name }).from(users).where(eq(users.id, user.managerId)) : []
  return {
    fields: module.settings.fields ?? [],
    answers: sheet?.answers ?? {},
    updatedAt: sheet?.updatedAt ?? null,
    sharedAt: sheet?.sharedWithManagerAt ?? null,
    managerName: manager?.name ?? null,
  }
}

/**
 * The player data for a video module, or why there is none: the video is missing (or not
 * ready), or the person's role may not watch videos.
 */
async function videoState(user: CurrentUser, module: CourseModule, locale: UiLocale) {
  const ref = module.settings.ref
  if (!ref) return { player: null, unavailable: 'missing' as const }
  if (!can(user, 'watch:videos:all')) return { player: null, unavailable: 'forbidden' as const }
  try {
    return { player: await getVideoForViewer(user, ref, locale), unavailable: null }
  } catch (error) {
    if (error instanceof Response && error.status === 404) return { player: null, unavailable: 'missing' as const }
    throw error
  }
}

/** The person's sessions of a session module's programme (its `ref` is the sessions' course reference). */
async function sessionState(user: CurrentUser, module: CourseModule, preview: boolean) {
  const ref = module.settings.ref
  if (!ref || preview) return { courseRef: ref ?? null, sessions: [] }
  return { courseRef: ref, sessions: await listMySessions(user, { courseRef: ref }) }
}

/** One module for the learner: its text rendered, their progress, and the quiz, prep sheet, video or sessions. */
export async function getModuleForLearner(user: CurrentUser, courseKey: string, moduleKey: string, locale: UiLocale) {
  const ctx = await guarded(user, () => learnerContext(db, user, courseKey))
  if (!ctx.preview) await syncLinkedModules(db, { userIds: [user.id], courseId: ctx.course.id })
  const list = await moduleStatuses(db, user.id, ctx.course.id)
  const index = list.findIndex((m) => m.module.contentId === moduleKey)
  if (index === -1) throw notFound()
  const current = list[index]
  const module = current.module
  const status = ctx.preview ? 'not_started' : current.status
  const neighbour = (i: number) => (list[i] ? { key: list[i].module.contentId, title: list[i].module.title, kind: list[i].module.kind } : null)
  return {
    course: { key: ctx.course.contentId, title: ctx.course.title },
    preview: ctx.preview,
    courseCompletedAt: ctx.enrolment?.completedAt ?? null,
    module: { ...summary(module), version: module.version, html: renderMarkdown(pick(module.body, locale)), ref: module.settings.ref ?? null },
    position: { index: index + 1, of: list.length },
    status,
    lastPosition: ctx.preview ? 0 : current.lastPosition,
    previous: neighbour(index - 1),
    next: neighbour(index + 1),
    quiz: module.kind === 'quiz' ? await quizState(db, user.id, module, status, ctx.preview) : null,
    prepSheet: module.kind === 'prep_sheet' && !ctx.preview ? await prepSheetState(db, user, module) : null,
    prepFields: module.kind === 'prep_sheet' ? (module.settings.fields ?? []) : null,
    video: module.kind === 'video' ? await videoState(user, module, locale) : null,
    sessions: module.kind === 'session' ? await sessionState(user, module, ctx.preview) : null,
    caseAnalysis: module.kind === 'case_study' ? await caseAnalysisModuleState(user, module.settings.ref ?? null) : null,
  }
}

async function findModule(executor: Executor, courseId: string, moduleKey: string) {
  const [module] = await executor
    .select()
    .from(courseModules)
    .where(and(eq(courseModules.courseId, courseId), eq(courseModules.contentId, moduleKey), isNull(courseModules.retiredAt)))
  if (!module) throw notFound()
  return module
}

/**
 * Upserts a person's progress in a module. Completion is sticky: once completed, later visits
 * only move the reading position and the last-viewed time.
 */
async function touchProgress(
  executor: Executor,
  enrolment: Enrolment,
  module: CourseModule,
  change: { position?: number; complete?: boolean },
) {
  const completedAt = change.complete ? new Date() : null
  await executor
    .insert(moduleProgress)
    .values({
      enrolmentId: enrolment.id,
      userId: enrolment.userId,
      moduleId: module.id,
      status: change.complete ? 'completed' : 'in_progress',
      lastPosition: change.position ?? 0,
      completedAt,
      completedVersion: change.complete ? module.version : null,
    })
    .onConflictDoUpdate({
      target: [moduleProgress.userId, moduleProgress.moduleId],
      set: {
        lastViewedAt: sql`now()`,
        lastPosition: change.position === undefined ? sql`${moduleProgress.lastPosition}` : change.position,
        status: change.complete ? sql`'completed'` : sql`${moduleProgress.status}`,
        completedAt: sql`coalesce(${moduleProgress.completedAt}, excluded.completed_at)`,
        completedVersion: sql`coalesce(${moduleProgress.completedVersion}, excluded.completed_version)`,
      },
    })
  if (change.complete) await recomputeCompletions(executor, { courseId: enrolment.courseId, userId: enrolment.userId })
}

/** Remembers how far down a lesson the person has read (percent), to resume there. */
export async function recordPosition(user: CurrentUser, courseKey: string, moduleKey: string, position: number) {
  const { course, enrolment } = await guarded(user, () => writableContext(db, user, courseKey))
  const module = await findModule(db, course.id, moduleKey)
  await touchProgress(db, enrolment, module, { position: Math.max(0, Math.min(100, Math.round(position))) })
  return { ok: true as const }
}

/** A lesson read to the end. Only lessons complete this way; quizzes and prep sheets have their own rules. */
export async function completeLesson(user: CurrentUser, courseKey: string, moduleKey: string) {
  return inTransaction(user, async (tx) => {
    const { course, enrolment } = await writableContext(tx, user, courseKey)
    const module = await findModule(tx, course.id, moduleKey)
    if (module.kind !== 'lesson') return { ok: false as const, error: 'courses.lesson.notALesson' }
    await touchProgress(tx, enrolment, module, { position: 100, complete: true })
    const [after] = await tx.select({ completedAt: enrolments.completedAt }).from(enrolments).where(eq(enrolments.id, enrolment.id))
    return { ok: true as const, courseCompleted: Boolean(after.completedAt) }
  })
}

export type QuizError =
  | 'courses.quiz.noAttemptsLeft'
  | 'courses.quiz.alreadyPassed'
  | 'courses.quiz.alreadySubmitted'
  | 'courses.quiz.invalidOption'
  | 'courses.quiz.answerAll'
  | 'courses.quiz.notAQuiz'

/**
 * Starts an attempt, freezing the questions as they are now. An attempt already open is
 * returned instead of a new one; none starts after the quiz is passed or the attempts are used.
 */
export async function startQuizAttempt(user: CurrentUser, courseKey: string, moduleKey: string) {
  return inTransaction(user, async (tx) => {
    const { course, enrolment } = await writableContext(tx, user, courseKey)
    const module = await findModule(tx, course.id, moduleKey)
    if (module.kind !== 'quiz') return { ok: false as const, error: 'courses.quiz.notAQuiz' as QuizError }
    const settings = module.settings as QuizSettings
    const attempts = await tx
      .select()
      .from(quizAttempts)
      .where(and(eq(quizAttempts.userId, user.id), eq(quizAttempts.moduleId, module.id)))
      .orderBy(desc(quizAttempts.attemptNumber))
    const open = attempts.find((a) => !a.submittedAt)
    if (open) return { ok: true as const, attemptId: open.id }
    const [progress] = await tx
      .select({ status: moduleProgress.status })
      .from(moduleProgress)
      .where(and(eq(moduleProgress.userId, user.id), eq(moduleProgress.moduleId, module.id)))
    if (progress?.status === 'completed') return { ok: false as const, error: 'courses.quiz.alreadyPassed' as QuizError }
    if (settings.maxAttempts > 0 && attempts.length >= settings.maxAttempts) return { ok: false as const, error: 'courses.quiz.noAttemptsLeft' as QuizError }
    const [attempt] = await tx
      .insert(quizAttempts)
      .values({
        userId: user.id,
        moduleId: module.id,
        enrolmentId: enrolment.id,
        attemptNumber: (attempts[0]?.attemptNumber ?? 0) + 1,
        moduleVersion: module.version,
        snapshot: { passMark: settings.passMark, maxAttempts: settings.maxAttempts, scoring: settings.scoring, questions: settings.questions },
      })
      // Two tabs starting at once: the unique number makes the second insert a no-op.
      .onConflictDoNothing()
      .returning()
    if (!attempt) {
      const [other] = await tx
        .select({ id: quizAttempts.id })
        .from(quizAttempts)
        .where(and(eq(quizAttempts.userId, user.id), eq(quizAttempts.moduleId, module.id), isNull(quizAttempts.submittedAt)))
      return { ok: true as const, attemptId: other.id }
    }
    await touchProgress(tx, enrolment, module, {})
    return { ok: true as const, attemptId: attempt.id }
  })
}

/** Checks answers against the attempt's own questions; returns the problem per question, if any. */
export function checkAnswers(questions: QuizQuestionSnapshot[], answers: Record<string, string[]>) {
  const known = new Set(questions.map((q) => q.id))
  if (Object.keys(answers).some((id) => !known.has(id))) return { error: 'courses.quiz.invalidOption' as const, questions: [] }
  const unanswered: string[] = []
  for (const q of questions) {
    const chosen = answers[q.id] ?? []
    if (chosen.length === 0) {
      unanswered.push(q.id)
      continue
    }
    const options = new Set(q.options.map((o) => o.id))
    const distinct = new Set(chosen)
    const tampered = chosen.some((c) => !options.has(c)) || distinct.size !== chosen.length || (q.type !== 'multiple' && chosen.length > 1)
    if (tampered) return { error: 'courses.quiz.invalidOption' as const, questions: [q.id] }
  }
  if (unanswered.length) return { error: 'courses.quiz.answerAll' as const, questions: unanswered }
  return null
}

/** Whole percent, rounded down, so 79.9% never passes an 80% mark. */
export function scoreOf(questions: QuizQuestionSnapshot[], answers: Record<string, string[]>) {
  const correct = questions.filter((q) => isCorrect(q, answers[q.id] ?? [])).length
  return { correct, score: questions.length === 0 ? 0 : Math.floor((correct * 100) / questions.length) }
}

/**
 * Submits an attempt once. Refused without any change: someone else's attempt (403, audited),
 * an attempt already submitted, one beyond the attempt limit, option ids that do not belong to
 * the question, and unanswered questions. The score comes from the attempt's snapshot; a pass
 * completes the module (and maybe the course).
 */
export async function submitQuizAttempt(user: CurrentUser, attemptId: string, rawAnswers: unknown) {
  const parsed = QuizAnswers.safeParse(rawAnswers)
  return inTransaction(user, async (tx) => {
    const [attempt] = await tx.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId))
    if (!attempt) throw notFound()
    if (attempt.userId !== user.id) throw new Refused('take:courses:own', { attemptId, reason: 'another person’s attempt' })
    const [enrolment] = await tx.select().from(enrolments).where(eq(enrolments.id, attempt.enrolmentId))
    if (!enrolment || enrolment.unenrolledAt) throw new Refused('take:courses:own', { attemptId, reason: 'not enrolled' })
    if (attempt.submittedAt) return { ok: false as const, error: 'courses.quiz.alreadySubmitted' as QuizError, questions: [] as string[] }
    const snapshot = attempt.snapshot
    if (snapshot.maxAttempts > 0 && attempt.attemptNumber > snapshot.maxAttempts) {
      return { ok: false as const, error: 'courses.quiz.noAttemptsLeft' as QuizError, questions: [] as string[] }
    }
    if (!parsed.success) return { ok: false as const, error: 'courses.quiz.invalidOption' as QuizError, questions: [] as string[] }
    const problem = checkAnswers(snapshot.questions, parsed.data)
    if (problem) return { ok: false as const, error: problem.error as QuizError, questions: problem.questions }

    const { correct, score } = scoreOf(snapshot.questions, parsed.data)
    const passed = score >= snapshot.passMark
    const [saved] = await tx
      .update(quizAttempts)
      .set({ answers: parsed.data, score, correctCount: correct, passed, submittedAt: new Date() })
      // Guards a double submit racing this one.
      .where(and(eq(quizAttempts.id, attempt.id), isNull(quizAttempts.submittedAt)))
      .returning()
    if (!saved) return { ok: false as const, error: 'courses.quiz.alreadySubmitted' as QuizError, questions: [] as string[] }
    const [module] = await tx.select().from(courseModules).where(eq(courseModules.id, attempt.moduleId))
    await touchProgress(tx, enrolment, module, { complete: passed })
    return { ok: true as const, score, passed, correct }
  })
}

type PrepErrors = Record<string, string[]>

function cleanAnswers(fields: { id: string }[], raw: Record<string, unknown>) {
  const answers: Record<string, string> = {}
  const errors: PrepErrors = {}
  for (const field of fields) {
    const value = raw[field.id]
    const text = typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : ''
    if (text.length > PREP_FIELD_MAX) errors[field.id] = ['errors.tooLong']
    answers[field.id] = text
  }
  return { answers, errors }
}

/**
 * Saves the preparation sheet (autosave and the Save button). Fields that the sheet does not
 * have are ignored; a field over the length limit is refused and nothing is saved.
 */
export async function savePrepSheet(user: CurrentUser, courseKey: string, moduleKey: string, raw: Record<string, unknown>) {
  return inTransaction(user, async (tx) => {
    const { course, enrolment } = await writableContext(tx, user, courseKey)
    const module = await findModule(tx, course.id, moduleKey)
    if (module.kind !== 'prep_sheet') throw notFound()
    const { answers, errors } = cleanAnswers(module.settings.fields ?? [], raw)
    if (Object.keys(errors).length) return { ok: false as const, errors }
    const [sheet] = await tx
      .insert(prepSheets)
      .values({ userId: user.id, moduleId: module.id, enrolmentId: enrolment.id, answers })
      .onConflictDoUpdate({ target: [prepSheets.userId, prepSheets.moduleId], set: { answers, updatedAt: sql`now()` } })
      .returning()
    await touchProgress(tx, enrolment, module, {})
    return { ok: true as const, updatedAt: sheet.updatedAt, sharedAt: sheet.sharedWithManagerAt }
  })
}

/**
 * Saves and shares the sheet with the person's manager, which completes the module. Every field
 * must be filled in. Someone without a manager finishes the sheet without sharing it.
 */
export async function sharePrepSheet(user: CurrentUser, courseKey: string, moduleKey: string, raw: Record<string, unknown>, ip?: string) {
  return inTransaction(user, async (tx) => {
    const { course, enrolment } = await writableContext(tx, user, courseKey)
    const module = await findModule(tx, course.id, moduleKey)
    if (module.kind !== 'prep_sheet') throw notFound()
    const fields = module.settings.fields ?? []
    const { answers, errors } = cleanAnswers(fields, raw)
    for (const field of fields) if (!answers[field.id].trim() && !errors[field.id]) errors[field.id] = ['errors.required']
    if (Object.keys(errors).length) return { ok: false as const, errors }
    const [person] = await tx.select({ managerId: users.managerId }).from(users).where(eq(users.id, user.id))
    const managerId = person?.managerId ?? null
    const sharedAt = managerId ? new Date() : null
    // A snapshot for this manager: later drafts stay the employee's own until shared again.
    const shared = { sharedWithManagerAt: sharedAt, sharedAnswers: managerId ? answers : null, sharedWithManagerId: managerId }
    const [sheet] = await tx
      .insert(prepSheets)
      .values({ userId: user.id, moduleId: module.id, enrolmentId: enrolment.id, answers, ...shared })
      .onConflictDoUpdate({ target: [prepSheets.userId, prepSheets.moduleId], set: { answers, updatedAt: sql`now()`, ...shared } })
      .returning()
    await touchProgress(tx, enrolment, module, { complete: true })
    if (sharedAt) {
      await audit(
        { actorId: user.id, action: 'prep_sheet.shared', entityType: 'prep_sheet', entityId: sheet.id, after: { managerId: person.managerId }, ip },
        tx,
      )
      await notifyPrepSheetShared(tx, { sheetId: sheet.id, employeeId: user.id, sharedAt })
    }
    return { ok: true as const, shared: Boolean(sharedAt) }
  })
}

/** Whether the person may download a certificate for this course: only once it is complete. */
export async function getCompletedEnrolment(user: CurrentUser, courseKey: string) {
  const ctx = await guarded(user, () => learnerContext(db, user, courseKey))
  if (!ctx.enrolment?.completedAt) throw notFound()
  const [person] = await db.select({ name: users.name }).from(users).where(eq(users.id, user.id))
  return { course: ctx.course, completedAt: ctx.enrolment.completedAt, name: person.name }
}
