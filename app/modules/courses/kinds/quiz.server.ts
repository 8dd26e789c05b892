import { and, asc, count, desc, eq, isNull } from 'drizzle-orm'
import { z } from 'zod'
import type { Executor } from '#db/client.server'
import {
  courseModules,
  enrolments,
  moduleProgress,
  quizAttemptGrants,
  quizAttempts,
  type CourseModule,
  type QuizAttempt,
  type QuizQuestionSnapshot,
  type QuizSettings,
} from '#db/schema'
import type { CurrentUser } from '~/modules/auth/permissions'
import { moduleBase, QuestionSchema, reportDuplicates } from '../content-schema'
import { QuizAnswers, type ModuleStatus } from '../courses'
import { findModule, inTransaction, notFound, Refused, touchProgress, writableContext } from '../learner.server'
import { defineModuleKind } from './kind.server'

/** A quiz: questions frozen per attempt, scored on the server, completed by a pass. */
export const QuizModuleSchema = z
  .object({
    ...moduleBase,
    kind: z.literal('quiz'),
    passMark: z
      .number({ required_error: 'is required', invalid_type_error: 'must be a number' })
      .int('must be a whole percent')
      .min(1, 'must be a percent from 1 to 100')
      .max(100, 'must be a percent from 1 to 100'),
    maxAttempts: z
      .number({ required_error: 'is required (0 = unlimited)', invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be 0 (unlimited) or more'),
    scoring: z.enum(['best', 'last'], { errorMap: () => ({ message: 'must be best or last' }) }),
    questions: z
      .array(QuestionSchema, { required_error: 'are required', invalid_type_error: 'must be a list' })
      .min(1, 'a quiz needs at least one question')
      .superRefine((questions, ctx) =>
        reportDuplicates(
          questions.map((q) => q.id),
          ctx,
          'question id',
          (i) => [i, 'id'],
        ),
      ),
  })
  .strict()

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

/** The attempts a person may make at a quiz: the module's limit plus what HR granted (0 = unlimited). */
export async function attemptLimit(executor: Executor, userId: string, moduleId: string, maxAttempts: number) {
  if (maxAttempts === 0) return 0
  const [{ n }] = await executor
    .select({ n: count() })
    .from(quizAttemptGrants)
    .where(and(eq(quizAttemptGrants.userId, userId), eq(quizAttemptGrants.moduleId, moduleId)))
  return maxAttempts + Number(n)
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
  const limit = preview ? settings.maxAttempts : await attemptLimit(executor, userId, module.id, settings.maxAttempts)
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
export const quiz = defineModuleKind({
  kind: 'quiz',
  content: QuizModuleSchema,
  state: { key: 'quiz', load: ({ executor, user, module, status, preview }) => quizState(executor, user.id, module, status, preview) },
})

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
    const limit = await attemptLimit(tx, user.id, module.id, settings.maxAttempts)
    if (limit > 0 && attempts.length >= limit) return { ok: false as const, error: 'courses.quiz.noAttemptsLeft' as QuizError }
    const [attempt] = await tx
      .insert(quizAttempts)
      .values({
        userId: user.id,
        moduleId: module.id,
        enrolmentId: enrolment.id,
        attemptNumber: (attempts[0]?.attemptNumber ?? 0) + 1,
        moduleVersion: module.version,
        // The limit as it is now, extra attempts included: the submit check reads it from here.
        snapshot: { passMark: settings.passMark, maxAttempts: limit, scoring: settings.scoring, questions: settings.questions },
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
