import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { eq, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Database } from '../client.server'
import { column, parseRows } from '../rows'
import { shanghaiAt } from './dates'
import { cases, cohorts, grades, groupAssignments, invitations, sessions, sessionTrainers, studyGroupMembers, studyGroups, users } from '../schema'
import { addVersion, ensureDefaultRubric } from '../../app/modules/assignments/assignments.server'
import { rubricScore } from '../../app/modules/assignments/assignments'
import { distribute, type Candidate } from '../../app/modules/groups/groups'
import { storeServerFile } from '../../app/modules/files/uploads.server'

const HOUR = 3600_000
const DAY = 24 * HOUR
const COHORT = '绩效跟进 · 案例分析 A 班 (Case analysis, cohort A)'
/** A second cohort whose session 1 is tomorrow: no groups yet, for trying group formation. */
const COHORT_B = '绩效跟进 · 案例分析 B 班 (Case analysis, cohort B)'
const SLIDES = path.resolve('db/seed/demo-slides')

/** A fixed pseudo-random sequence, so the demo groups are the same on every run. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const CandidateRow = z.object({ userId: column.text, name: column.text, department: column.text, seniority: column.number }) satisfies z.ZodType<
  Candidate,
  z.ZodTypeDef,
  unknown
>

/** 09:00 in Shanghai, `days` from today. */
function shanghaiNine(days: number) {
  return shanghaiAt(days, '09:00')
}

/**
 * Group case analysis in the demo company: a cohort whose session 1 was a week ago and whose
 * session 2 is tomorrow, taught by the demo trainer; its twelve managers in three groups
 * balanced across departments and seniority, each with a different case due yesterday evening.
 * Group A submitted a PDF on time (graded and released), group B a PPTX (its PDF preview is
 * converted in the background), group C a PDF after the due time (late). Only once, and only
 * in the demo company.
 */
export async function seedDemoCaseAnalysis(db: Database) {
  const [trainer] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'trainer@example.com'))
  if (!trainer) return false
  const [existing] = await db.select({ id: cohorts.id }).from(cohorts).where(eq(cohorts.name, COHORT))
  if (existing) return false
  const caseRows = await db
    .select()
    .from(cases)
    .where(inArray(cases.contentId, ['sales-quarter-end-surprise', 'rnd-silent-sprint', 'operations-night-shift']))
  if (caseRows.length !== 3) return false

  const managers = parseRows(
    CandidateRow,
    await db.execute(sql`
      select u.id as "userId", u.name, split_part(d.path, '/', 1) as department,
        (case when exists (select 1 from users r join users rr on rr.manager_id = r.id where r.manager_id = u.id) then 2
              when exists (select 1 from users r where r.manager_id = u.id) then 1 else 0 end)::int as seniority
      from users u join departments d on d.id = u.department_id
      where exists (select 1 from user_roles r where r.user_id = u.id and r.role = 'manager')
        and not exists (select 1 from user_roles r where r.user_id = u.id and r.role = 'hr_admin')
      order by u.employee_number`),
  )
  const split = distribute(managers, { method: 'balanced', by: 'count', value: 3, seniority: true }, seeded(2027))
  const session1Start = shanghaiNine(-7)
  const session2Start = shanghaiNine(1)
  const dueAt = new Date(shanghaiNine(0).getTime() - 15 * HOUR) // yesterday 18:00

  return db.transaction(async (tx) => {
    const [cohortB] = await tx.insert(cohorts).values({ name: COHORT_B, programme: 'managers-follow-up', createdBy: trainer.id }).returning()
    const [cohort] = await tx.insert(cohorts).values({ name: COHORT, programme: 'managers-follow-up', createdBy: trainer.id }).returning()
    const made = []
    for (const [i, startsAt, c, suffix] of [
      [0, session1Start, cohort, 'A'],
      [1, session2Start, cohort, 'A'],
      [0, shanghaiNine(1), cohortB, 'B'],
      [1, shanghaiNine(8), cohortB, 'B'],
    ] as const) {
      const [s] = await tx
        .insert(sessions)
        .values({
          cohortId: c.id,
          title:
            i === 0
              ? `案例分析（一）：布置作业 ${suffix} 班 · Case analysis 1 (${suffix})`
              : `案例分析（二）：小组展示 ${suffix} 班 · Case analysis 2 (${suffix})`,
          courseRef: 'managers-follow-up',
          startsAt,
          endsAt: new Date(startsAt.getTime() + 3 * HOUR),
          place: '上海总部 3 楼培训室',
          createdBy: trainer.id,
        })
        .returning()
      await tx.insert(sessionTrainers).values({ sessionId: s.id, userId: trainer.id, role: 'trainer' })
      await tx.insert(invitations).values(managers.map((m) => ({ sessionId: s.id, userId: m.userId, status: 'accepted' as const, invitedBy: trainer.id })))
      made.push(s)
    }
    const rubric = await ensureDefaultRubric(tx)
    const assignmentIds: string[] = []
    for (const [i, members] of split.entries()) {
      const [group] = await tx
        .insert(studyGroups)
        .values({ cohortId: cohort.id, name: String.fromCharCode(65 + i), position: i + 1 })
        .returning()
      await tx.insert(studyGroupMembers).values(members.map((m) => ({ groupId: group.id, cohortId: cohort.id, userId: m.userId })))
      const [a] = await tx
        .insert(groupAssignments)
        .values({
          cohortId: cohort.id,
          groupId: group.id,
          caseId: caseRows[i].id,
          rubricId: rubric.id,
          dueAt,
          peerRatings: true,
          contributionRatings: true,
          presentMinutes: 8,
          presentOrder: i + 1,
          assignedBy: trainer.id,
          assignedAt: session1Start,
        })
        .returning()
      assignmentIds.push(a.id)
    }

    const upload = async (groupIndex: number, memberIndex: number, file: string, mime: string, at: Date) => {
      const by = split[groupIndex][memberIndex].userId
      const stored = await storeServerFile(tx, { body: await readFile(path.join(SLIDES, file)), purpose: 'slides', name: file, mime, createdBy: by })
      await addVersion(tx, { id: by }, assignmentIds[groupIndex], stored, at)
    }
    await upload(0, 0, 'group-a-analysis.pdf', 'application/pdf', new Date(dueAt.getTime() - DAY))
    await upload(
      1,
      1,
      'group-b-analysis.pptx',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      new Date(dueAt.getTime() - 3 * HOUR),
    )
    await upload(2, 0, 'group-c-analysis.pdf', 'application/pdf', new Date(dueAt.getTime() + 3 * HOUR))

    const levels = { violations: 3, 'root-cause': 2, plan: 2, presentation: 2 }
    await tx.insert(grades).values({
      assignmentId: assignmentIds[0],
      levels,
      score: rubricScore(rubric.criteria, levels) ?? 0,
      comment:
        '找准了违反的要点（1、2、5、7），根因分析到位；跟进计划可以再具体一些：谁、何时、用什么数据。\nYou found the violated key points (1, 2, 5, 7) and the root cause; make the follow-up plan more concrete: who, when, with which data.',
      slideComments: [{ page: 3, text: '这一页的改进建议很好 / Strong improvement proposal on this slide.' }],
      gradedBy: trainer.id,
      gradedAt: new Date(dueAt.getTime() + 10 * HOUR),
      releasedAt: new Date(dueAt.getTime() + 11 * HOUR),
    })
    return { cohortId: cohort.id, groups: split.length, session2: made[1].id }
  })
}
