import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Database } from '../client.server'
import { absenceRequests, breakpoints, cohorts, courseModules, courses, enrolments, sessions, userRoles, users } from '../schema'
import type { QuizSettings } from '../schema/courses'
import type { CurrentUser, Role } from '../../app/modules/auth/permissions'
import { checkAbsences } from '../../app/modules/attendance/absence-warnings.server'
import { markAttendance } from '../../app/modules/attendance/attendance.server'
import { saveBriefing } from '../../app/modules/briefings/briefings.server'
import { completeLesson, sharePrepSheet, startQuizAttempt, submitQuizAttempt } from '../../app/modules/courses/learning.server'
import { syncLinkedModules } from '../../app/modules/courses/linked-modules.server'
import { createCohort } from '../../app/modules/sessions/cohorts.server'
import { createSession } from '../../app/modules/sessions/sessions.server'
import { decideAbsence, requestAbsence } from '../../app/modules/attendance/absences.server'
import { inviteAudience, respondToInvitation } from '../../app/modules/sessions/invitations.server'
import { wallTime } from '../../app/shared/time'
import { shanghaiAt } from './dates'
import { sendReactionSurveys, submitSurveyResponse } from '../../app/modules/surveys/surveys.server'
import { acknowledgeBreakpoint, answerBreakpoint, predictBreakpoint, recordProgress } from '../../app/modules/videos/progress.server'

/*
 * The demo's training programme in progress, relative to today: a managers' cohort whose first
 * workshop was a week ago (attendance of every kind, survey answers, an absence warning), a
 * make-up session yesterday nobody has marked yet, the second workshop next week (invitations,
 * a full room and a wait-list), an external lecturer's session with a published briefing pack,
 * and learners at every stage of both courses. Everything goes through the domain functions, so
 * the audit log, the outbox and the linked course modules are what the app itself would write.
 * Sessions are scheduled in the future (as HR would) and then moved back in time, because
 * nobody can schedule or answer invitations for the past.
 */

const DAY = 86_400_000
const ZONE = 'Asia/Shanghai'
const origin = { origin: process.env.APP_URL ?? 'http://localhost:3000' }

/** 'YYYY-MM-DDTHH:mm' in Shanghai, `days` from today. */
function wall(days: number, time: string) {
  const w = wallTime(Date.now() + days * DAY, ZONE)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${time}`
}

/** The demo people with these employee numbers, as the app sees them signed in. */
export async function actors(db: Database, numbers: string[]) {
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      locale: users.locale,
      departmentId: users.departmentId,
      managerId: users.managerId,
      number: users.employeeNumber,
    })
    .from(users)
    .where(inArray(users.employeeNumber, numbers))
  const roles = await db
    .select()
    .from(userRoles)
    .where(
      inArray(
        userRoles.userId,
        rows.map((r) => r.id),
      ),
    )
  const byNumber = new Map<string, CurrentUser>()
  for (const r of rows) {
    byNumber.set(r.number!, {
      id: r.id,
      name: r.name,
      email: r.email,
      locale: r.locale as CurrentUser['locale'],
      departmentId: r.departmentId,
      managerId: r.managerId,
      roles: roles.filter((x) => x.userId === r.id).map((x) => x.role as Role),
      sessionId: 'seed',
    })
  }
  return (n: string) => {
    const actor = byNumber.get(n)
    if (!actor) throw new Error(`demo programme: no person ${n}`)
    return actor
  }
}

function must<T extends { ok: boolean }>(what: string, result: T): T {
  if (!result.ok) throw new Error(`demo programme: ${what} failed: ${JSON.stringify(result)}`)
  return result
}

async function moveSession(db: Database, sessionId: string, days: number, from: string, to: string) {
  const startsAt = new Date(Date.parse(`${wall(days, from)}:00+08:00`))
  const endsAt = new Date(Date.parse(`${wall(days, to)}:00+08:00`))
  await db.update(sessions).set({ startsAt, endsAt }).where(eq(sessions.id, sessionId))
}

const MANAGERS = ['E0001', 'E0010', 'E0011', 'E0012', 'E0013', 'E0014', 'E0020', 'E0021', 'E0022', 'E0023', 'E0030', 'E0031', 'E0032']
const EMPLOYEES = Array.from({ length: 60 }, (_, i) => `E${String(100 + i).padStart(4, '0')}`)

/* ---------------------------------------------------------------- learning */

type Step = { course: string; module: string; kind: string; required: boolean; settings: QuizSettings & { fields?: { id: string }[]; ref?: string } }

/** A course's current modules in order: the steps a learner takes. */
export async function courseSteps(db: Database, contentId: string): Promise<Step[]> {
  const rows = await db
    .select({ module: courseModules.contentId, kind: courseModules.kind, required: courseModules.required, settings: courseModules.settings })
    .from(courseModules)
    .innerJoin(courses, eq(courses.id, courseModules.courseId))
    .where(and(eq(courses.contentId, contentId), sql`${courseModules.retiredAt} is null`))
    .orderBy(asc(courseModules.position))
  return rows.map((r) => ({ course: contentId, module: r.module, kind: r.kind, required: r.required, settings: r.settings as Step['settings'] }))
}

function answersFor(settings: QuizSettings, correct: boolean) {
  return Object.fromEntries(
    settings.questions.map((q) => [q.id, correct ? q.answer : [q.options.find((o) => !q.answer.includes(o.id))?.id ?? q.options[0].id]]),
  )
}

const PREP = {
  'zh-CN': '本季度目标：华东区新签合同 120 万，目前完成 68%。进展：两个大客户已进入报价。障碍：交付排期紧张。需要的支持：请经理协调一次与交付团队的周会。',
  en: 'Goal this quarter: sign 1.2M in new contracts; 68% done. Progress: two key accounts are at the quote stage. Obstacle: delivery capacity. Support needed: a weekly check-in with the delivery team.',
}

async function takeStep(db: Database, person: CurrentUser, step: Step, options: { failQuiz?: boolean } = {}) {
  if (step.kind === 'lesson') must('lesson', await completeLesson(person, step.course, step.module))
  else if (step.kind === 'quiz') {
    const attempts = options.failQuiz ? Math.max(1, step.settings.maxAttempts) : 1
    for (let i = 0; i < attempts; i++) {
      const started = must('quiz start', await startQuizAttempt(person, step.course, step.module))
      must('quiz submit', await submitQuizAttempt(person, started.attemptId!, answersFor(step.settings, !options.failQuiz)))
    }
  } else if (step.kind === 'prep_sheet') {
    const text = PREP[person.locale === 'en' ? 'en' : 'zh-CN']
    must('prep sheet', await sharePrepSheet(person, step.course, step.module, Object.fromEntries((step.settings.fields ?? []).map((f) => [f.id, text]))))
  } else if (step.kind === 'video' && step.settings.ref) await watchVideo(db, person, step.settings.ref)
}

/** Watches the whole video and answers every breakpoint (the first option, right or wrong: a real class). */
async function watchVideo(db: Database, person: CurrentUser, videoId: string) {
  const bps = await db.select().from(breakpoints).where(eq(breakpoints.videoId, videoId)).orderBy(asc(breakpoints.timeSeconds))
  const end = Math.ceil(Math.max(60, ...bps.map((b) => b.timeSeconds + 5)))
  await recordProgress(person, videoId, { ranges: [[0, end]], position: end })
  for (const bp of bps) {
    if (bp.predictPrompt) await predictBreakpoint(person, bp.id, person.locale === 'en' ? 'He will ask what is blocking her.' : '他会先问清楚卡在哪里。')
    if (bp.question) await answerBreakpoint(person, bp.id, [bp.question.options[0].id])
    if (bp.mustAcknowledge) await acknowledgeBreakpoint(person, bp.id)
  }
}

/** Takes the first `upTo` steps of a course (all when undefined). */
export async function progress(db: Database, person: CurrentUser, steps: Step[], upTo = steps.length, options: { failQuizAt?: string } = {}) {
  for (const step of steps.slice(0, upTo)) await takeStep(db, person, step, { failQuiz: step.module === options.failQuizAt })
}

async function seedLearning(db: Database, who: (n: string) => CurrentUser) {
  const managers = await courseSteps(db, 'managers-follow-up')
  const employees = await courseSteps(db, 'employees-managing-up')
  if (managers.length === 0 || employees.length === 0) return
  // Managers' course: done, nearly done, failed the final quiz twice (HR must grant an attempt), started, not started.
  for (const n of ['E0013', 'E0021']) await progress(db, who(n), managers)
  // Not the demo accounts (manager@, employee@): visitors and the end-to-end tests start those courses themselves.
  await progress(db, who('E0032'), managers, 7)
  const finalQuiz = managers.filter((s) => s.kind === 'quiz').at(-1)!
  await progress(db, who('E0012'), managers, managers.indexOf(finalQuiz) + 1, { failQuizAt: finalQuiz.module })
  for (const n of ['E0014', 'E0022', 'E0031']) await progress(db, who(n), managers, 3)
  await progress(db, who('E0023'), managers, 1)
  // Employees' course: one of the demo manager's team has shared the prep sheet with him; others at every stage.
  const prepIndex = employees.findIndex((s) => s.kind === 'prep_sheet')
  await progress(db, who('E0118'), employees, 3)
  await takeStep(db, who('E0118'), employees[prepIndex])
  for (const n of ['E0101', 'E0102', 'E0109', 'E0110']) await progress(db, who(n), employees)
  for (const n of ['E0103', 'E0104', 'E0111']) await progress(db, who(n), employees, 2)
  const quiz = employees.find((s) => s.kind === 'quiz')!
  await progress(db, who('E0105'), employees, employees.indexOf(quiz) + 1, { failQuizAt: quiz.module })
  await takeStep(db, who('E0106'), employees[prepIndex])
  // Overdue: their course was due last week (a deadline HR set earlier for the pilot group).
  const overdue = ['E0023', 'E0030', 'E0104', 'E0107', 'E0108', 'E0112'].map((n) => who(n).id)
  await db
    .update(enrolments)
    .set({ dueAt: shanghaiAt(-5, '18:00') })
    .where(and(inArray(enrolments.userId, overdue), sql`${enrolments.completedAt} is null`))
}

/* ---------------------------------------------------------------- sessions */

async function seedSessions(db: Database, who: (n: string) => CurrentUser) {
  const hr = who('E0001')
  const trainer = who('E0002')
  const lecturer = who('X0001')
  const { id: cohortId } = await createCohort(hr, { name: '2026 管理者绩效跟进 · 第一期 / Follow-up 2026, cohort 1', programme: 'managers-follow-up' })
  const place = '总部 3 楼培训室 A / HQ 3F, training room A'
  const base = { timeZone: ZONE, place, trainerIds: [trainer.id] }
  const managers = MANAGERS.filter((n) => n !== 'E0001').map(who)
  const employees = EMPLOYEES.map(who)

  // A kick-off three weeks ago (online, outside the cohort) and the first workshop last week.
  const kickOff = must(
    'kick-off',
    await createSession(hr, {
      ...base,
      title: '项目启动会 / Programme kick-off',
      startsAt: wall(1, '10:00'),
      endsAt: wall(1, '11:00'),
      onlineUrl: 'https://meet.example.com/genjin-kickoff',
      place: undefined,
    }),
  )
  const first = must(
    'session 1',
    await createSession(hr, {
      ...base,
      cohortId,
      title: '第一次课：绩效跟进的十个要点 / Session 1: the ten key points',
      courseRef: 'follow-up-workshop',
      startsAt: wall(2, '09:30'),
      endsAt: wall(2, '12:00'),
      capacity: 20,
    }),
  )
  const makeUp = must(
    'make-up',
    await createSession(hr, {
      ...base,
      cohortId,
      title: '补课：十个要点 / Make-up: the ten key points',
      courseRef: 'follow-up-workshop',
      startsAt: wall(3, '14:00'),
      endsAt: wall(3, '15:30'),
      capacity: 6,
    }),
  )
  for (const s of [kickOff, first]) must('invite', await inviteAudience(hr, s.sessionId!, { userIds: managers.map((m) => m.id) }, origin))
  must('invite', await inviteAudience(hr, makeUp.sessionId!, { userIds: [who('E0030').id, who('E0032').id] }, origin))
  for (const m of managers) if (m !== who('E0032')) await respondToInvitation(m, first.sessionId!, 'accept', origin)
  // An excused absence asked for in advance, approved by the trainer.
  must('absence', await requestAbsence(who('E0022'), first.sessionId!, '客户年度评审会，无法调整。/ Annual client review, cannot be moved.'))
  await moveSession(db, kickOff.sessionId!, -21, '10:00', '11:00')
  await moveSession(db, first.sessionId!, -7, '09:30', '12:00')
  await moveSession(db, makeUp.sessionId!, -1, '14:00', '15:30')
  const [request] = await db.select({ id: absenceRequests.id }).from(absenceRequests).where(eq(absenceRequests.sessionId, first.sessionId!))
  await decideAbsence(trainer, request.id, 'approved')

  const marks: Record<string, 'present' | 'late' | 'excused' | 'absent'> = {
    E0010: 'present',
    E0011: 'present',
    E0012: 'late',
    E0013: 'present',
    E0014: 'present',
    E0020: 'present',
    E0021: 'present',
    E0022: 'excused',
    E0023: 'late',
    E0030: 'absent',
    E0031: 'present',
    E0032: 'absent',
  }
  for (const [n, status] of Object.entries(marks)) must('mark', await markAttendance(trainer, first.sessionId!, who(n).id, status))
  for (const m of managers) {
    const status = m === who('E0032') || m === who('E0023') ? 'absent' : 'present'
    must('mark', await markAttendance(trainer, kickOff.sessionId!, m.id, status))
  }
  // Zheng Hao missed both: the warning (to him and his manager) goes out as the job would send it.
  await checkAbsences({ userId: who('E0032').id })
  await syncLinkedModules(db, { userIds: managers.map((m) => m.id) })

  // The reaction survey went out when the workshop ended; most answered.
  const surveyTime = new Date(Date.now() - 6 * DAY)
  await sendReactionSurveys(first.sessionId!, surveyTime, origin)
  const answers: [string, number, number, number, string?][] = [
    ['E0010', 5, 5, 4, '案例很贴近销售团队的日常。'],
    ['E0011', 4, 5, 5, '希望下次多一些角色扮演。'],
    ['E0012', 4, 4, 3, 'More time for questions, please.'],
    ['E0013', 5, 4, 5],
    ['E0020', 3, 4, 4, 'The data part was the most useful.'],
    ['E0021', 5, 5, 5, '十个要点的卡片很好用。'],
  ]
  for (const [n, content, trainerRating, usefulness, comment] of answers) {
    must(
      'survey',
      await submitSurveyResponse(who(n), first.sessionId!, { content, trainer: trainerRating, usefulness, comment, anonymous: n === 'E0020' }, surveyTime),
    )
  }

  // The second workshop next week: the room takes 8, two are on the wait-list, some have not replied.
  const second = must(
    'session 2',
    await createSession(hr, {
      ...base,
      cohortId,
      title: '第二次课：小组案例分析汇报 / Session 2: group case presentations',
      courseRef: 'follow-up-workshop',
      startsAt: wall(6, '09:30'),
      endsAt: wall(6, '12:00'),
      capacity: 8,
    }),
  )
  must('invite', await inviteAudience(hr, second.sessionId!, { userIds: managers.map((m) => m.id) }, origin))
  for (const n of ['E0010', 'E0012', 'E0013', 'E0014', 'E0020', 'E0021', 'E0022', 'E0023', 'E0031', 'E0030'])
    await respondToInvitation(who(n), second.sessionId!, 'accept', origin)
  await respondToInvitation(who('E0032'), second.sessionId!, 'decline', origin)

  // The external lecturer's session in ten days, for the employees, with a published briefing pack.
  const external = must(
    'lecturer session',
    await createSession(hr, {
      ...base,
      title: '外部讲师专场：向上管理 / Guest lecture: managing up',
      startsAt: wall(10, '14:00'),
      endsAt: wall(10, '16:30'),
      capacity: 40,
      trainerIds: [lecturer.id, trainer.id],
    }),
  )
  must('invite', await inviteAudience(hr, external.sessionId!, { userIds: employees.slice(0, 24).map((e) => e.id) }, origin))
  for (const e of employees.slice(0, 12)) await respondToInvitation(e, external.sessionId!, 'accept', origin)
  must(
    'briefing',
    await saveBriefing(
      hr,
      external.sessionId!,
      {
        intent: 'publish',
        language: 'en',
        companyBackground:
          'A 75-person company in sales, R&D and operations. Performance goals are set each quarter; managers have just started the follow-up course.',
        audienceDepartments: 'Sales (East and South China), R&D, Operations',
        audienceLevels: 'Individual contributors, 1–5 years in the company',
        headCount: 24,
        audienceNotes: 'About a quarter prefer English; all read Chinese.',
        followUpProblems: 'Employees wait for the manager to ask; obstacles surface at the end of the quarter; updates are opinions, not facts.',
        cases: 'Use the East China sales case from the course (a key account slipping a month).',
        dosAndDonts: 'Do: use our ten key points. Don’t: name real colleagues or customers.',
        equipment: 'Projector, two flip charts, microphones.',
        contact: '陈静 Chen Jing, trainer@example.com',
        logisticsNotes: 'Arrive 30 minutes early; HR meets you at reception.',
      } as never,
      origin,
    ),
  )
  return { cohortId }
}

/**
 * Seeds the programme once, into the demo company only (its HR admin exists) and only while no
 * session exists. Returns false when it did nothing.
 */
export async function seedDemoProgramme(db: Database) {
  const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'hr.admin@example.com'))
  if (!admin) return false
  const [any] = await db.select({ id: sessions.id }).from(sessions).limit(1)
  const [anyCohort] = await db.select({ id: cohorts.id }).from(cohorts).limit(1)
  if (any || anyCohort) return false
  const who = await actors(db, ['E0001', 'E0002', 'X0001', ...MANAGERS, ...EMPLOYEES])
  await seedSessions(db, who)
  await seedLearning(db, who)
  return true
}
