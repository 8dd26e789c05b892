import { and, asc, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { cases, contributionRatings, grades, groupAssignments, peerRatings, rubrics, studyGroupMembers, studyGroups, type GroupAssignment } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { syncLinkedModules } from '~/modules/courses/linked-modules.server'
import { groupMembers, requireCohortStaff } from '~/modules/groups/groups.server'
import { individualMark, rubricScore, type GradeInput } from './assignments'
import { currentSubmission, versionsOf } from './assignments.server'
import { getPreview } from './storage.server'

const notFound = () => new Response('Not found', { status: 404 })
const isUuid = (id: string) => /^[0-9a-f-]{36}$/i.test(id)

/** An assignment for the cohort's staff (HR, its trainers); 404 / 403 otherwise. */
async function requireStaffAssignment(actor: CurrentUser, assignmentId: string) {
  if (!isUuid(assignmentId)) throw notFound()
  const [a] = await db.select().from(groupAssignments).where(eq(groupAssignments.id, assignmentId))
  if (!a) throw notFound()
  await requireCohortStaff(actor, a.cohortId)
  return a
}

/** Each member's contribution factor: their average received rating over the group's average. */
async function contributionFactors(executor: Executor, assignmentId: string) {
  const rows = parseRows(
    z.object({ user_id: column.text, factor: column.numberOrNull, average: column.numberOrNull }),
    await executor.execute(sql`
      with received as (
        select ratee_id, avg(score)::float8 as average from contribution_ratings where assignment_id = ${assignmentId} group by ratee_id)
      select ratee_id as user_id, average, (average / nullif((select avg(average) from received), 0))::float8 as factor from received`),
  )
  return new Map(rows.map((r) => [r.user_id, r]))
}

/**
 * What a learner sees of the grade: nothing before release. After release: the rubric with
 * the chosen levels, the comments, their own mark, and the peer ratings without names.
 * Staff see everything at any time.
 */
export async function memberResults(actor: CurrentUser, a: GroupAssignment, who: { member: boolean; staff: boolean }) {
  const [grade] = await db.select().from(grades).where(eq(grades.assignmentId, a.id))
  const [rubric] = await db.select().from(rubrics).where(eq(rubrics.id, a.rubricId))
  const visible = grade && (who.staff || grade.releasedAt !== null)
  const factors = a.contributionRatings ? await contributionFactors(db, a.id) : new Map()
  const own = factors.get(actor.id)
  const bounds = { min: rubric.contributionMinPercent, max: rubric.contributionMaxPercent }
  const peers = a.peerRatings
    ? await db.select({ score: peerRatings.score, comment: peerRatings.comment }).from(peerRatings).where(eq(peerRatings.assignmentId, a.id))
    : []
  const myContributions = who.member
    ? await db
        .select({ rateeId: contributionRatings.rateeId, score: contributionRatings.score })
        .from(contributionRatings)
        .where(and(eq(contributionRatings.assignmentId, a.id), eq(contributionRatings.raterId, actor.id)))
    : []
  return {
    released: Boolean(grade?.releasedAt),
    grade: visible
      ? {
          score: grade.score,
          levels: grade.levels,
          comment: grade.comment,
          slideComments: grade.slideComments,
          rubric: rubric.criteria,
          ownMark: who.member ? individualMark(grade.score, own?.factor ?? null, bounds) : null,
          peer: peers.length ? { average: peers.reduce((s, p) => s + p.score, 0) / peers.length, comments: peers.map((p) => p.comment).filter(Boolean) } : null,
        }
      : null,
    myContributions,
  }
}

/** The trainer's grading screen: the submission, its preview, the rubric and the current grade (with its version). */
export async function getGradingView(actor: CurrentUser, assignmentId: string) {
  const a = await requireStaffAssignment(actor, assignmentId)
  const [[group], [theCase], [rubric], [grade], versions, members] = await Promise.all([
    db.select().from(studyGroups).where(eq(studyGroups.id, a.groupId)),
    db.select().from(cases).where(eq(cases.id, a.caseId)),
    db.select().from(rubrics).where(eq(rubrics.id, a.rubricId)),
    db.select().from(grades).where(eq(grades.assignmentId, a.id)),
    versionsOf(db, a.id),
    groupMembers(db, a.groupId),
  ])
  const submission = currentSubmission(versions)
  const preview = submission && submission.mime !== 'application/pdf' ? await getPreview(submission.fileId) : null
  const factors = a.contributionRatings ? await contributionFactors(db, a.id) : new Map()
  const bounds = { min: rubric.contributionMinPercent, max: rubric.contributionMaxPercent }
  return {
    assignment: a,
    group,
    case: theCase,
    rubric,
    grade: grade ?? null,
    versions,
    submission,
    preview,
    members: members.map((m) => ({
      ...m,
      average: factors.get(m.userId)?.average ?? null,
      mark: grade ? individualMark(grade.score, factors.get(m.userId)?.factor ?? null, bounds) : null,
    })),
  }
}

export type GradeResult = { ok: true; version: number; score: number } | { ok: false; error: 'conflict' | 'incomplete' | 'nothingSubmitted' }

/**
 * Saves a grade with an optimistic version check: the trainer sends the version they loaded;
 * if somebody saved in between, nothing is written and they see a conflict.
 */
export async function saveGrade(actor: CurrentUser, assignmentId: string, input: GradeInput): Promise<GradeResult> {
  const a = await requireStaffAssignment(actor, assignmentId)
  const [rubric] = await db.select().from(rubrics).where(eq(rubrics.id, a.rubricId))
  const score = rubricScore(rubric.criteria, input.levels)
  if (score === null) return { ok: false, error: 'incomplete' }
  const levels = Object.fromEntries(rubric.criteria.map((c) => [c.id, input.levels[c.id]]))
  return db.transaction(async (tx) => {
    const [anyVersion] = parseRows(
      z.object({ n: column.number }),
      await tx.execute(sql`select count(*)::int as n from submission_versions where assignment_id = ${a.id}`),
    )
    if (!anyVersion.n) return { ok: false as const, error: 'nothingSubmitted' as const }
    const values = { levels, score, comment: input.comment, slideComments: input.slideComments, gradedBy: actor.id, gradedAt: new Date() }
    let written
    if (input.version === 0) {
      ;[written] = await tx
        .insert(grades)
        .values({ assignmentId: a.id, ...values, version: 1 })
        .onConflictDoNothing()
        .returning({ version: grades.version })
    } else {
      ;[written] = await tx
        .update(grades)
        .set({ ...values, version: sql`${grades.version} + 1` })
        .where(and(eq(grades.assignmentId, a.id), eq(grades.version, input.version)))
        .returning({ version: grades.version })
    }
    if (!written) return { ok: false as const, error: 'conflict' as const }
    await audit({ actorId: actor.id, action: 'grade.saved', entityType: 'group_assignment', entityId: a.id, after: { score, version: written.version } }, tx)
    return { ok: true as const, version: written.version, score }
  })
}

/** Releases the grade to the group's members. Before this, learners see nothing of it. */
export async function releaseGrade(actor: CurrentUser, assignmentId: string) {
  const a = await requireStaffAssignment(actor, assignmentId)
  const [row] = await db
    .update(grades)
    .set({ releasedAt: new Date() })
    .where(and(eq(grades.assignmentId, a.id), sql`${grades.releasedAt} is null`))
    .returning({ assignmentId: grades.assignmentId })
  if (row) await audit({ actorId: actor.id, action: 'grade.released', entityType: 'group_assignment', entityId: a.id })
  return { ok: true as const, released: Boolean(row) }
}

/* ------------------------------------------------------------------ presenting */

/** Sets the presentation order of a cohort's groups: random, or the order given (assignment ids). */
export async function setPresentationOrder(
  actor: CurrentUser,
  cohortId: string,
  mode: 'random' | 'manual',
  positions: Record<string, number>,
  random: () => number = Math.random,
) {
  await requireCohortStaff(actor, cohortId)
  return db.transaction(async (tx) => {
    const rows = await tx.select({ id: groupAssignments.id }).from(groupAssignments).where(eq(groupAssignments.cohortId, cohortId)).for('update')
    let ids = rows.map((r) => r.id)
    if (mode === 'random') {
      for (let i = ids.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1))
        ;[ids[i], ids[j]] = [ids[j], ids[i]]
      }
    } else {
      if (!ids.every((id) => id in positions)) return { ok: false as const, error: 'cases.present.badOrder' }
      ids = [...ids].sort((x, y) => positions[x] - positions[y])
    }
    for (const [i, id] of ids.entries())
      await tx
        .update(groupAssignments)
        .set({ presentOrder: i + 1 })
        .where(eq(groupAssignments.id, id))
    return { ok: true as const }
  })
}

/** Marks a group as having presented (completes the case-analysis module of members who submitted). */
export async function markPresented(actor: CurrentUser, assignmentId: string) {
  const a = await requireStaffAssignment(actor, assignmentId)
  await db.transaction(async (tx) => {
    await tx
      .update(groupAssignments)
      .set({ presentedAt: a.presentedAt ?? new Date() })
      .where(eq(groupAssignments.id, a.id))
    const members = await tx.select({ userId: studyGroupMembers.userId }).from(studyGroupMembers).where(eq(studyGroupMembers.groupId, a.groupId))
    await syncLinkedModules(tx, { userIds: members.map((m) => m.userId) })
  })
  return { ok: true as const }
}

/* ------------------------------------------------------------------ ratings */

/**
 * A member of another group of the same cohort rates a presentation that has happened
 * (when the trainer turned peer ratings on). The rated group never learns who rated.
 */
export async function ratePeer(actor: CurrentUser, assignmentId: string, score: number, comment: string) {
  if (!isUuid(assignmentId)) throw notFound()
  const [a] = await db.select().from(groupAssignments).where(eq(groupAssignments.id, assignmentId))
  if (!a) throw notFound()
  const [mine] = await db
    .select({ groupId: studyGroupMembers.groupId })
    .from(studyGroupMembers)
    .where(and(eq(studyGroupMembers.cohortId, a.cohortId), eq(studyGroupMembers.userId, actor.id)))
  if (!mine) throw notFound()
  if (mine.groupId === a.groupId) return { ok: false as const, error: 'cases.peer.ownGroup' }
  if (!a.peerRatings || !a.presentedAt) return { ok: false as const, error: 'cases.peer.notOpen' }
  await db
    .insert(peerRatings)
    .values({ assignmentId, raterId: actor.id, score, comment })
    .onConflictDoUpdate({ target: [peerRatings.assignmentId, peerRatings.raterId], set: { score, comment, createdAt: new Date() } })
  return { ok: true as const }
}

/** Presentations of other groups in the actor's cohort that the actor may rate now. */
export async function peerTargets(actor: CurrentUser, groupId: string) {
  return parseRows(
    z.object({ assignmentId: column.text, groupName: column.text, myScore: column.numberOrNull }),
    await db.execute(sql`
      select a.id as "assignmentId", g.name as "groupName", (select r.score::int from peer_ratings r where r.assignment_id = a.id and r.rater_id = ${actor.id}) as "myScore"
      from group_assignments a join study_groups g on g.id = a.group_id
      where a.cohort_id = (select cohort_id from study_groups where id = ${groupId})
        and a.group_id <> ${groupId} and a.peer_ratings and a.presented_at is not null
        and exists (select 1 from study_group_members m where m.group_id = ${groupId} and m.user_id = ${actor.id})
      order by a.present_order nulls last, g.position`),
  )
}

/** A member rates the other members' contribution (1–5); the ratings adjust marks within the rubric's bounds. */
export async function rateContributions(actor: CurrentUser, groupId: string, ratings: Record<string, number>) {
  const [a] = isUuid(groupId) ? await db.select().from(groupAssignments).where(eq(groupAssignments.groupId, groupId)) : []
  if (!a) throw notFound()
  const members = await db.select({ userId: studyGroupMembers.userId }).from(studyGroupMembers).where(eq(studyGroupMembers.groupId, groupId))
  if (!members.some((m) => m.userId === actor.id)) throw notFound()
  if (!a.contributionRatings) return { ok: false as const, error: 'cases.contribution.notOpen' }
  const others = new Set(members.map((m) => m.userId).filter((id) => id !== actor.id))
  const entries = Object.entries(ratings).filter(([id]) => others.has(id))
  if (entries.length === 0) return { ok: false as const, error: 'cases.contribution.nobody' }
  await db.transaction(async (tx) => {
    for (const [rateeId, score] of entries) {
      await tx
        .insert(contributionRatings)
        .values({ assignmentId: a.id, raterId: actor.id, rateeId, score })
        .onConflictDoUpdate({
          target: [contributionRatings.assignmentId, contributionRatings.raterId, contributionRatings.rateeId],
          set: { score, createdAt: new Date() },
        })
    }
  })
  return { ok: true as const }
}

/** The presenting screen's data: the cohort's groups in order, and the one at `position` (1-based). */
export async function getPresenting(actor: CurrentUser, cohortId: string, position: number) {
  await requireCohortStaff(actor, cohortId)
  const order = await db
    .select({
      id: groupAssignments.id,
      groupId: groupAssignments.groupId,
      groupName: studyGroups.name,
      presentOrder: groupAssignments.presentOrder,
      presentedAt: groupAssignments.presentedAt,
      presentMinutes: groupAssignments.presentMinutes,
    })
    .from(groupAssignments)
    .innerJoin(studyGroups, eq(studyGroups.id, groupAssignments.groupId))
    .where(eq(groupAssignments.cohortId, cohortId))
    .orderBy(sql`${groupAssignments.presentOrder} nulls last`, asc(studyGroups.position))
  const current = order[position - 1] ?? null
  const versions = current ? await versionsOf(db, current.id) : []
  const submission = currentSubmission(versions)
  const preview = submission && submission.mime !== 'application/pdf' ? await getPreview(submission.fileId) : null
  return { order, current, submission, preview }
}
