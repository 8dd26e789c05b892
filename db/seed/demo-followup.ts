import { and, count, eq, inArray, isNotNull, sql } from 'drizzle-orm'
import type { Database, Executor } from '../client.server'
import { checkInConfirmations, checkIns, courseModules, courses, enrolments, followUpPlans, moduleProgress, quizAttempts, users } from '../schema'
import { addDays, addMonths, dayIn, monthOf, ON_TIME_GRACE_DAYS, type Ratings } from '../../app/modules/followup/followup'
import { addRating } from '../../app/modules/followup/ratings.server'
import { actors, courseSteps, progress } from './demo-programme'

/** A small deterministic generator, so every seed of the same day gives the same data. */
function generator(seed: number) {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

const NOTES = [
  {
    progress: '本月目标完成 80%：已拜访 12 家客户，签约 3 家。',
    obstacles: '两家客户的采购流程变慢。',
    actions: '下周一前整理报价单；周三一起拜访重点客户。',
    feedback: '客户跟进记录很清楚，值得肯定；报价前先确认预算。',
  },
  {
    progress: '项目里程碑 2 按时完成，测试覆盖率从 60% 提高到 75%。',
    obstacles: '依赖的接口文档不完整。',
    actions: '我去协调接口负责人，周五前补齐文档。',
    feedback: '主动提出风险很好，下次可以更早一点。',
  },
  {
    progress: '客户满意度 4.6/5，比上月提高 0.2；投诉处理平均用时 1.5 天。',
    obstacles: '周末值班人手不足。',
    actions: '调整排班；申请一名临时支持。',
    feedback: '数据说明了进步，继续保持。',
  },
]
const INPUT = ['希望多一些关于大客户谈判的辅导。', '需要更早知道优先级的变化。', '想参加内部的数据分析培训。']

type Team = { managerEmail: string; plans: { email: string; monthsAgo: number; day: number }[]; completedMonthsAgo: number | null; raters: 'many' | 'few' }

/**
 * Dates a course someone has finished step by step: the required modules were done on the days
 * before `completedAt` (one a day, in order, each quiz submitted ten minutes after it was started),
 * the enrolment a month before, and the course completed on `completedAt`. Only dates change.
 */
async function completeCourseOn(tx: Executor, courseId: string, userId: string, completedAt: Date) {
  // A raw statement's parameter: postgres.js takes an ISO string, not a Date.
  const at = completedAt.toISOString()
  await tx.execute(sql`
    with m as (
      select id, row_number() over (order by position desc) as back from ${courseModules}
      where course_id = ${courseId} and retired_at is null and required
    )
    update ${moduleProgress} p set completed_at = ${at}::timestamptz - (m.back - 1) * interval '1 day',
      last_viewed_at = ${at}::timestamptz - (m.back - 1) * interval '1 day'
    from m where m.id = p.module_id and p.user_id = ${userId} and p.status = 'completed'`)
  await tx.execute(sql`
    update ${quizAttempts} a set submitted_at = p.completed_at, started_at = p.completed_at - interval '10 minutes'
    from ${moduleProgress} p where p.module_id = a.module_id and p.user_id = a.user_id and a.user_id = ${userId}
      and p.module_id in (select id from ${courseModules} where course_id = ${courseId})`)
  await tx
    .update(enrolments)
    .set({ completedAt, enrolledAt: sql`least(${enrolments.enrolledAt}, ${at}::timestamptz - interval '30 days')` })
    .where(and(eq(enrolments.courseId, courseId), eq(enrolments.userId, userId), isNotNull(enrolments.completedAt)))
}

/**
 * Follow-up demo: 张伟 Zhang Wei (manager@example.com) followed up unevenly before the managers'
 * course (completed three months ago) and regularly since, with confirmations and enough
 * anonymous ratings to show averages; Michael Brown never has three raters in a month, so he
 * sees no average. Dates are relative to `now`; only in the demo company and only once.
 */
export async function seedDemoFollowUp(db: Database, now = new Date()) {
  const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'hr.admin@example.com'))
  if (!admin) return false
  const [{ n }] = await db.select({ n: count() }).from(followUpPlans)
  if (Number(n) > 0) return false
  const today = dayIn(now)
  const month = monthOf(today)
  const random = generator(Number(today.replace(/-/g, '')))
  const teams: Team[] = [
    {
      managerEmail: 'manager@example.com',
      completedMonthsAgo: 3,
      raters: 'many',
      plans: [
        { email: 'employee@example.com', monthsAgo: 6, day: 3 },
        { email: 'luo.zhiqiang.9@example.com', monthsAgo: 6, day: 10 },
        { email: 'he.jiayi.18@example.com', monthsAgo: 6, day: 2 },
        { email: 'luo.chen.45@example.com', monthsAgo: 5, day: 8 },
        { email: 'sun.siyuan.27@example.com', monthsAgo: 2, day: 4 },
        { email: 'lin.haiyan.36@example.com', monthsAgo: 1, day: 6 },
      ],
    },
    {
      managerEmail: 'michael.brown@example.com',
      completedMonthsAgo: null,
      raters: 'few',
      plans: [
        { email: 'zhao.zihan.1@example.com', monthsAgo: 3, day: 5 },
        { email: 'liang.xiaoyu.10@example.com', monthsAgo: 3, day: 12 },
        { email: 'gao.zhiqiang.19@example.com', monthsAgo: 2, day: 8 },
      ],
    },
  ]
  const emails = teams.flatMap((t) => [t.managerEmail, ...t.plans.map((p) => p.email)])
  const people = await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, emails))
  const idOf = new Map(people.map((p) => [p.email, p.id]))
  const [managersCourse] = await db.select({ id: courses.id }).from(courses).where(eq(courses.contentId, 'managers-follow-up'))

  // Zhang Wei took the managers' course step by step, as the app records it (dated below).
  const zhang = idOf.get('manager@example.com')
  if (zhang && managersCourse) {
    const [enrolment] = await db
      .select({ completedAt: enrolments.completedAt })
      .from(enrolments)
      .where(and(eq(enrolments.courseId, managersCourse.id), eq(enrolments.userId, zhang)))
    if (enrolment && !enrolment.completedAt) {
      const [number] = await db.select({ n: users.employeeNumber }).from(users).where(eq(users.id, zhang))
      const who = await actors(db, [number.n!])
      const steps = (await courseSteps(db, 'managers-follow-up')).filter((s) => s.required)
      await progress(db, who(number.n!), steps)
    }
  }

  await db.transaction(async (tx) => {
    for (const team of teams) {
      const managerId = idOf.get(team.managerEmail)
      if (!managerId) continue
      const completedMonth = team.completedMonthsAgo === null ? null : addMonths(month, -team.completedMonthsAgo)
      if (completedMonth && managersCourse) await completeCourseOn(tx, managersCourse.id, managerId, new Date(`${addDays(completedMonth, 11)}T02:00:00Z`))
      // Who rated in which month (one rating per person and month, like the app).
      const rated = new Set<string>()
      const ratings: { period: string; ratings: Ratings }[] = []
      for (const [index, plan] of team.plans.entries()) {
        const employeeId = idOf.get(plan.email)
        if (!employeeId) continue
        const start = addDays(addMonths(month, -plan.monthsAgo), plan.day - 1)
        const [row] = await tx
          .insert(followUpPlans)
          .values({
            managerId,
            employeeId,
            frequencyDays: team.raters === 'many' ? 7 : 14,
            channel: index % 3 === 2 ? 'written_update' : 'one_on_one',
            createdAt: new Date(`${start}T02:00:00Z`),
          })
          .returning()
        // The last of Zhang Wei's plans is left overdue, to show it on the team page.
        const overdue = team.raters === 'many' && index === team.plans.length - 1
        const every = team.raters === 'many' ? 7 : 14
        for (let due = addDays(start, 7), k = 0; ; due = addDays(due, every), k++) {
          const open = overdue ? addDays(due, every) > today : addDays(due, ON_TIME_GRACE_DAYS) >= today
          if (open) {
            // Overdue means past the grace days: a date within them moves back so that it is, whatever the day.
            const dueOn = overdue && addDays(due, ON_TIME_GRACE_DAYS) >= today ? addDays(today, -(ON_TIME_GRACE_DAYS + 2)) : due
            await tx.insert(checkIns).values({ planId: row.id, managerId, employeeId, dueOn })
            break
          }
          const after = completedMonth !== null && due >= completedMonth
          const roll = random()
          const outcome = after ? (roll < 0.85 ? 'on_time' : roll < 0.95 ? 'late' : 'missed') : roll < 0.35 ? 'on_time' : roll < 0.65 ? 'late' : 'missed'
          if (outcome === 'missed') {
            await tx.insert(checkIns).values({ planId: row.id, managerId, employeeId, dueOn: due, status: 'missed' })
            continue
          }
          const heldOn = outcome === 'on_time' ? addDays(due, roll < 0.5 ? 0 : 1) : addDays(due, 5)
          if (heldOn > today) {
            await tx.insert(checkIns).values({ planId: row.id, managerId, employeeId, dueOn: due })
            break
          }
          const note = NOTES[(index + k) % NOTES.length]
          const [held] = await tx
            .insert(checkIns)
            .values({
              planId: row.id,
              managerId,
              employeeId,
              dueOn: due,
              heldOn,
              status: 'held',
              progress: note.progress,
              obstacles: note.obstacles,
              agreedActions: note.actions,
              feedbackGiven: note.feedback,
              employeeInput: INPUT[(index + k) % INPUT.length],
              loggedAt: new Date(`${heldOn}T10:00:00Z`),
            })
            .returning()
          // The demo employee's check-ins of the last two weeks wait for them to confirm.
          const period = monthOf(heldOn)
          if (plan.email === 'employee@example.com' && heldOn >= addDays(today, -14)) continue
          // Each person's first check-in of a month is confirmed (and rated), later ones less often before the course.
          const first = !rated.has(`${employeeId}|${period}`)
          if (!first && random() > (after ? 0.92 : 0.4)) continue
          const rates = first && (team.raters === 'many' || index < 2)
          if (rates) rated.add(`${employeeId}|${period}`)
          await tx.insert(checkInConfirmations).values({
            checkInId: held.id,
            employeeId,
            managerId,
            happened: true,
            ratedPeriod: rates ? period : null,
            confirmedAt: new Date(`${addDays(heldOn, 1)}T03:00:00Z`),
          })
          if (rates) {
            const base = after ? 4 : 2
            const score = () => Math.min(5, base + Math.floor(random() * 2))
            ratings.push({ period, ratings: { two_way: score(), feedback: score(), obstacles: score(), autonomy: Math.min(5, score() + 1) } })
          }
        }
      }
      for (const r of ratings) await addRating(tx, managerId, r.period, r.ratings)
    }
  })
  return true
}
