import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { and, asc, eq, gt, inArray } from 'drizzle-orm'
import type { Database, Executor } from '../client.server'
import {
  cohorts,
  courseModules,
  courses,
  roleplayAssignments,
  roleplayCastings,
  roleplayComments,
  roleplayRecordings,
  roleplayReviews,
  roleplayScenarios,
  roleplayStudyItems,
  roleplayStudyProgress,
  sessions,
  studyGroupMembers,
  studyGroups,
  users,
  videos,
  type RoleplayScenario,
} from '../schema'
import { storeServerFile } from '../../app/modules/files/uploads.server'

const HOUR = 3600_000
const DAY = 24 * HOUR
/** The demo programme's cohort (db/seed/demo-programme.ts). */
export const PROGRAMME_COHORT = '2026 管理者绩效跟进 · 第一期 / Follow-up 2026, cohort 1'
const SAMPLE_VIDEO = path.resolve('content/videos/follow-up-sample/positive.mp4')
const READING = path.resolve('db/seed/demo-slides/group-a-analysis.pdf')

/**
 * The two scenarios the demo uses, as minimal rows for when the scenario library has not been
 * synced yet: keyed by their content id, so the content sync replaces them with the full text.
 */
const FALLBACK_SCENARIOS = {
  'behind-plan': {
    title: { en: 'Two of six, with five weeks to go', 'zh-CN': '六个目标签了两个，只剩五周' },
    situation: {
      en: 'Mid-quarter. An account manager has signed two of six key accounts; five weeks remain. The manager follows up.',
      'zh-CN': '季度过半，一位客户经理六个重点客户只签了两个，还剩五周。经理与他进行跟进面谈。',
    },
    keyPoints: [2, 3, 4, 5, 7],
  },
  'defensive-employee': {
    title: { en: '"So you think I\'m incompetent?"', 'zh-CN': '“你是觉得我不行？”' },
    situation: {
      en: 'A capable employee reacts defensively when the manager raises a missed deadline.',
      'zh-CN': '经理提到一次延误的截止日期，一位能干的员工立刻防御起来。',
    },
    keyPoints: [3, 5, 6, 7, 8],
  },
} as const

const ROLES = [
  { id: 'manager', name: { en: 'Manager', 'zh-CN': '经理' }, brief: { en: 'Follow up on the plan.', 'zh-CN': '就计划进行跟进。' } },
  { id: 'employee', name: { en: 'Employee', 'zh-CN': '员工' }, brief: { en: 'Play the employee.', 'zh-CN': '扮演员工。' } },
]

async function scenarioFor(tx: Executor, contentId: keyof typeof FALLBACK_SCENARIOS): Promise<RoleplayScenario> {
  const [found] = await tx.select().from(roleplayScenarios).where(eq(roleplayScenarios.contentId, contentId))
  if (found) return found
  const s = FALLBACK_SCENARIOS[contentId]
  const [row] = await tx
    .insert(roleplayScenarios)
    .values({
      contentId,
      source: 'file',
      title: s.title,
      situation: s.situation,
      roles: ROLES,
      keyPoints: [...s.keyPoints],
      observerNotes: { en: '', 'zh-CN': '' },
    })
    .returning()
  return row
}

/** Rubric levels 0–3 on the ten key points and their score (sum × 100 / 30, as the role-play review computes it). */
function rubric(levels: number[]) {
  return {
    levels: Object.fromEntries(levels.map((level, i) => [String(i + 1), level])),
    score: Math.round((levels.reduce((a, b) => a + b, 0) * 100) / 30),
  }
}

/**
 * Role-play in the demo programme's cohort: four groups. Groups 1 and 2 played at the workshop a
 * week ago: group 1 recorded its skit the day before (reviewed, released, with time-coded
 * comments and a member's reply), group 2 performed live and was scored on the spot. Groups 3
 * and 4 play at next week's workshop and are working through their self-study packs (one done,
 * some opened, some not started), so the trainer's grid and the reminders have something to show.
 * Only once, and only when the programme has been seeded.
 */
export async function seedDemoRoleplay(db: Database) {
  const [trainer] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'trainer@example.com'))
  const [cohort] = await db.select().from(cohorts).where(eq(cohorts.name, PROGRAMME_COHORT))
  if (!trainer || !cohort) return false
  const [already] = await db.select({ id: roleplayAssignments.id }).from(roleplayAssignments).where(eq(roleplayAssignments.cohortId, cohort.id)).limit(1)
  if (already) return false
  const [past] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.cohortId, cohort.id)))
    .orderBy(asc(sessions.startsAt))
    .limit(1)
  const [next] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.cohortId, cohort.id), gt(sessions.startsAt, new Date())))
    .orderBy(asc(sessions.startsAt))
    .limit(1)
  if (!past || !next || past.id === next.id) return false
  const numbers = ['E0010', 'E0011', 'E0012', 'E0013', 'E0014', 'E0020', 'E0021', 'E0022', 'E0023', 'E0030', 'E0031', 'E0032']
  const people = await db.select({ id: users.id, number: users.employeeNumber }).from(users).where(inArray(users.employeeNumber, numbers))
  const id = (n: string) => people.find((p) => p.number === n)?.id
  const groupsOf = [
    ['E0010', 'E0011', 'E0012'],
    ['E0013', 'E0014', 'E0020'],
    ['E0021', 'E0022', 'E0023'],
    ['E0030', 'E0031', 'E0032'],
  ].map((g) => g.map(id).filter((x): x is string => Boolean(x)))
  if (groupsOf.some((g) => g.length < 2)) return false
  const [lessonRows, videoRows] = await Promise.all([
    db
      .select({ id: courseModules.id, contentId: courseModules.contentId })
      .from(courseModules)
      .innerJoin(courses, eq(courses.id, courseModules.courseId))
      .where(and(eq(courses.contentId, 'managers-follow-up'), inArray(courseModules.contentId, ['give-timely-feedback', 'respect-and-trust']))),
    db
      .select({ id: videos.id })
      .from(videos)
      .where(inArray(videos.id, ['follow-up-positive', 'follow-up-negative'])),
  ])
  const [video, reading] = await Promise.all([readFile(SAMPLE_VIDEO), readFile(READING)])

  return db.transaction(async (tx) => {
    const behind = await scenarioFor(tx, 'behind-plan')
    const defensive = await scenarioFor(tx, 'defensive-employee')
    const groups = await tx
      .insert(studyGroups)
      .values(groupsOf.map((_, i) => ({ cohortId: cohort.id, name: `RP${i + 1}`, position: i + 1 })))
      .returning()
    await tx
      .insert(studyGroupMembers)
      .values(groupsOf.flatMap((members, i) => members.map((userId) => ({ groupId: groups[i].id, cohortId: cohort.id, userId }))))
    const plan = [
      { scenario: behind, session: past, dueAt: new Date(past.startsAt.getTime() - DAY), live: null },
      { scenario: defensive, session: past, dueAt: past.startsAt, live: new Date(past.startsAt.getTime() + HOUR) },
      { scenario: behind, session: next, dueAt: new Date(next.startsAt.getTime() - DAY), live: null },
      { scenario: defensive, session: next, dueAt: new Date(next.startsAt.getTime() - DAY), live: null },
    ]
    const assignments = await tx
      .insert(roleplayAssignments)
      .values(
        plan.map((p, i) => ({
          cohortId: cohort.id,
          groupId: groups[i].id,
          scenarioId: p.scenario.id,
          sessionId: p.session.id,
          dueAt: p.dueAt,
          performedLiveAt: p.live,
          assignedBy: trainer.id,
          assignedAt: new Date(past.startsAt.getTime() - 7 * DAY),
        })),
      )
      .returning()
    await tx.insert(roleplayCastings).values(
      groupsOf.flatMap((members, i) => {
        const roles = plan[i].scenario.roles.map((r) => r.id)
        return members.map((userId, k) => ({ assignmentId: assignments[i].id, userId, roleId: roles[k % roles.length] }))
      }),
    )

    // Self-study packs: two lessons, a library video and a reading file, for every group.
    const file = await storeServerFile(tx, {
      body: reading,
      purpose: 'roleplay-study',
      name: '案例分析示例 · Sample analysis.pdf',
      mime: 'application/pdf',
      createdBy: trainer.id,
    })
    const refs = [
      ...lessonRows.map((l) => ({ kind: 'course_module' as const, ref: l.id })),
      ...videoRows.slice(0, 1).map((v) => ({ kind: 'video' as const, ref: v.id })),
      { kind: 'file' as const, ref: file.id },
    ]
    const items = await tx
      .insert(roleplayStudyItems)
      .values(assignments.flatMap((a) => refs.map((r, position) => ({ assignmentId: a.id, position: position + 1, ...r }))))
      .returning()
    const itemsOf = (i: number) => items.filter((it) => it.assignmentId === assignments[i].id).sort((a, b) => a.position - b.position)
    const progress: (typeof roleplayStudyProgress.$inferInsert)[] = []
    const studied = (i: number, member: number, opened: number, finished: number, before: Date) => {
      itemsOf(i).forEach((item, k) => {
        if (k >= opened) return
        const openedAt = new Date(before.getTime() - (4 - k) * DAY)
        progress.push({ itemId: item.id, userId: groupsOf[i][member], openedAt, finishedAt: k < finished ? new Date(openedAt.getTime() + HOUR) : null })
      })
    }
    for (const i of [0, 1]) groupsOf[i].forEach((_, m) => studied(i, m, refs.length, m === 2 ? refs.length - 1 : refs.length, past.startsAt))
    studied(2, 0, refs.length, refs.length, new Date())
    studied(2, 1, 2, 1, new Date())
    studied(3, 0, 1, 0, new Date())
    await tx.insert(roleplayStudyProgress).values(progress)

    // Group 1's recording (the sample teaching video, through the storage module), reviewed and released.
    const stored = await storeServerFile(tx, { body: video, purpose: 'roleplay-video', name: 'RP1-skit.mp4', mime: 'video/mp4', createdBy: groupsOf[0][0] })
    const [recording] = await tx
      .insert(roleplayRecordings)
      .values({
        assignmentId: assignments[0].id,
        version: 1,
        fileId: stored.id,
        mime: 'video/mp4',
        durationSeconds: 113,
        status: 'ready',
        submittedBy: groupsOf[0][0],
        submittedAt: new Date(past.startsAt.getTime() - 2 * DAY),
      })
      .returning()
    const recorded = rubric([2, 3, 2, 3, 2, 1, 2, 2, 1, 2])
    const live = rubric([2, 2, 3, 2, 3, 3, 2, 3, 2, 2])
    await tx.insert(roleplayReviews).values([
      {
        assignmentId: assignments[0].id,
        mode: 'recording' as const,
        recordingId: recording.id,
        ...recorded,
        summary:
          '开场说明了目的，也用数据说话；约定下一步时要更具体：谁、何时、怎样检查。\nA clear opening and good use of data; make the next steps concrete: who, by when, how you will check.',
        reviewerId: trainer.id,
        updatedAt: new Date(past.startsAt.getTime() - 12 * HOUR),
        releasedAt: new Date(past.startsAt.getTime() - 10 * HOUR),
      },
      {
        assignmentId: assignments[1].id,
        mode: 'live' as const,
        recordingId: null,
        ...live,
        summary: '面对员工的防御情绪保持了冷静，先倾听再回到事实。\nStayed calm when the employee got defensive: listened first, then came back to the facts.',
        reviewerId: trainer.id,
        updatedAt: new Date(past.startsAt.getTime() + 2 * HOUR),
        releasedAt: new Date(past.startsAt.getTime() + 3 * HOUR),
      },
    ])
    const at = new Date(past.startsAt.getTime() - 12 * HOUR)
    const comments = await tx
      .insert(roleplayComments)
      .values([
        {
          recordingId: recording.id,
          atMs: 8_000,
          tone: 'praise' as const,
          keyPoints: [2],
          body: '开门见山说明了面谈目的。 / You stated the purpose of the meeting up front.',
          authorId: trainer.id,
          createdAt: at,
        },
        {
          recordingId: recording.id,
          atMs: 41_500,
          tone: 'correction' as const,
          keyPoints: [4],
          body: '这里打断了对方，先让她把原因说完。 / You interrupted here: let her finish explaining first.',
          authorId: trainer.id,
          createdAt: at,
        },
        {
          recordingId: recording.id,
          atMs: 77_000,
          tone: 'praise' as const,
          keyPoints: [7, 9],
          body: '用签约数据讨论差距，很具体。 / Discussing the gap with the signing data: concrete.',
          authorId: trainer.id,
          createdAt: at,
        },
        {
          recordingId: recording.id,
          atMs: 104_000,
          tone: 'correction' as const,
          keyPoints: [3, 10],
          body: '结束前约定下次检查的时间。 / Agree when you will check again before you close.',
          authorId: trainer.id,
          createdAt: at,
        },
      ])
      .returning({ id: roleplayComments.id, atMs: roleplayComments.atMs })
    await tx.insert(roleplayComments).values({
      recordingId: recording.id,
      parentId: comments.find((c) => c.atMs === 41_500)!.id,
      atMs: null,
      tone: 'reply' as const,
      body: '明白了，下次我会先听完。 / Understood, I will listen first next time.',
      authorId: groupsOf[0][0],
      createdAt: new Date(past.startsAt.getTime() - 8 * HOUR),
    })
    return { groups: groups.length, progress: progress.length, recordingId: recording.id }
  })
}
