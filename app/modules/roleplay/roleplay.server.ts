import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import {
  roleplayAssignments,
  roleplayCastings,
  roleplayComments,
  roleplayRecordings,
  roleplayReviewMode,
  roleplayReviews,
  roleplayScenarios,
  studyGroupMembers,
  studyGroups,
  users,
  type RoleplayRole,
} from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { deny } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { cohortForSession, groupMembers, requireGroupAccess } from '~/modules/groups/groups.server'
import { publicOrigin } from '~/env.server'
import { notifyThenEmail } from '~/modules/notifications/inbox.server'
import { zonedToInstant } from '~/shared/time'
import type { AssignRoleplayInput } from './roleplay'

const notFound = () => new Response('Not found', { status: 404 })
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)

/**
 * A group's role-play as its members and the cohort's staff (HR, the cohort's trainers) see it;
 * 404 for anybody else, like the group itself (app/modules/groups).
 */
export async function requireAssignmentAccess(actor: CurrentUser, assignmentId: string, executor: Executor = db) {
  if (!isUuid(assignmentId)) throw notFound()
  const [assignment] = await executor.select().from(roleplayAssignments).where(eq(roleplayAssignments.id, assignmentId))
  if (!assignment) throw notFound()
  const access = await requireGroupAccess(actor, assignment.groupId, executor)
  return { assignment, ...access }
}

/** Staff only (HR, the cohort's trainers): a member of the group gets 403 — they know it exists. */
export async function requireAssignmentStaff(actor: CurrentUser, assignmentId: string) {
  const access = await requireAssignmentAccess(actor, assignmentId)
  if (!access.staff) await deny(actor, 'review:roleplay:own-cohort', { assignmentId })
  return access
}

export async function reviewOf(executor: Executor, assignmentId: string) {
  const [review] = await executor.select().from(roleplayReviews).where(eq(roleplayReviews.assignmentId, assignmentId))
  return review ?? null
}

/** A group's role-play on the board; times as ISO texts (`to_json`), the same on either driver. */
const BoardAssignmentRow = z.object({
  id: column.text,
  groupId: column.text,
  scenarioId: column.text,
  dueAt: column.text,
  performedLiveAt: column.textOrNull,
  recordings: column.number,
  reviewMode: z.enum(roleplayReviewMode.enumValues).nullable(),
  score: column.numberOrNull,
  releasedAt: column.textOrNull,
})

/** The trainer's board for a session's cohort: groups with members, the scenarios, each group's role-play and how far it is. */
export async function getRoleplayBoard(actor: CurrentUser, sessionId: string) {
  const { session, cohort } = await cohortForSession(actor, sessionId)
  if (!cohort) return { session, cohort: null, groups: [], scenarios: [] }
  const [groupRows, memberRows, scenarios, assignments] = await Promise.all([
    db.select().from(studyGroups).where(eq(studyGroups.cohortId, cohort.id)).orderBy(asc(studyGroups.position)),
    db
      .select({ groupId: studyGroupMembers.groupId, userId: users.id, name: users.name })
      .from(studyGroupMembers)
      .innerJoin(users, eq(users.id, studyGroupMembers.userId))
      .where(eq(studyGroupMembers.cohortId, cohort.id))
      .orderBy(asc(users.name)),
    db
      .select({ id: roleplayScenarios.id, title: roleplayScenarios.title, roles: roleplayScenarios.roles, keyPoints: roleplayScenarios.keyPoints })
      .from(roleplayScenarios)
      .where(isNull(roleplayScenarios.retiredAt))
      .orderBy(asc(roleplayScenarios.contentId)),
    parseRows(
      BoardAssignmentRow,
      await db.execute(sql`
        select a.id, a.group_id as "groupId", a.scenario_id as "scenarioId", to_json(a.due_at) #>> '{}' as "dueAt",
          to_json(a.performed_live_at) #>> '{}' as "performedLiveAt",
          (select count(*)::int from roleplay_recordings r where r.assignment_id = a.id and r.withdrawn_at is null and r.status = 'ready') as recordings,
          v.mode as "reviewMode", v.score::int as score, to_json(v.released_at) #>> '{}' as "releasedAt"
        from roleplay_assignments a left join roleplay_reviews v on v.assignment_id = a.id
        where a.cohort_id = ${cohort.id}`),
    ),
  ])
  const castings = assignments.length
    ? await db
        .select()
        .from(roleplayCastings)
        .where(
          inArray(
            roleplayCastings.assignmentId,
            assignments.map((a) => a.id),
          ),
        )
    : []
  return {
    session,
    cohort,
    scenarios,
    groups: groupRows.map((g) => {
      const assignment = assignments.find((a) => a.groupId === g.id) ?? null
      return {
        id: g.id,
        name: g.name,
        members: memberRows.filter((m) => m.groupId === g.id).map((m) => ({ userId: m.userId, name: m.name })),
        assignment: assignment && {
          ...assignment,
          cast: Object.fromEntries(castings.filter((c) => c.assignmentId === assignment.id).map((c) => [c.userId, c.roleId])),
        },
      }
    }),
  }
}

export type AssignRoleplayResult = { ok: true; assignmentId: string } | { ok: false; errors: Record<string, string[]> }

/**
 * Gives one group of the session's cohort a scenario and a due time and casts its members
 * (a member without a role observes). Re-assigning keeps the group's recordings; the casting is
 * replaced. Refused once the group's review is released.
 */
export async function assignRoleplay(actor: CurrentUser, sessionId: string, input: AssignRoleplayInput, now = new Date()): Promise<AssignRoleplayResult> {
  const { session, cohort } = await cohortForSession(actor, sessionId)
  if (!cohort) return { ok: false, errors: { '': ['groups.noCohort'] } }
  const dueAt = zonedToInstant(input.dueAt, session.timeZone)
  if (!dueAt) return { ok: false, errors: { dueAt: ['errors.invalid'] } }
  if (dueAt.getTime() <= now.getTime()) return { ok: false, errors: { dueAt: ['rp.assign.dueInPast'] } }
  return db.transaction(async (tx): Promise<AssignRoleplayResult> => {
    const [group] = await tx
      .select()
      .from(studyGroups)
      .where(and(eq(studyGroups.id, input.groupId), eq(studyGroups.cohortId, cohort.id)))
    if (!group) return { ok: false, errors: { groupId: ['errors.invalid'] } }
    const [scenario] = await tx
      .select()
      .from(roleplayScenarios)
      .where(and(eq(roleplayScenarios.id, input.scenarioId), isNull(roleplayScenarios.retiredAt)))
    if (!scenario) return { ok: false, errors: { scenarioId: ['errors.invalid'] } }
    const members = new Set((await tx.select().from(studyGroupMembers).where(eq(studyGroupMembers.groupId, group.id))).map((m) => m.userId))
    const roleIds = new Set(scenario.roles.map((r) => r.id))
    const cast: { userId: string; roleId: string }[] = []
    for (const [userId, roleId] of Object.entries(input.cast)) {
      if (!roleId) continue
      if (!members.has(userId)) return { ok: false, errors: { cast: ['rp.assign.notMember'] } }
      if (!roleIds.has(roleId)) return { ok: false, errors: { cast: ['errors.invalid'] } }
      cast.push({ userId, roleId })
    }
    const [existing] = await tx.select().from(roleplayAssignments).where(eq(roleplayAssignments.groupId, group.id)).for('update')
    if (existing && (await reviewOf(tx, existing.id))?.releasedAt) return { ok: false, errors: { '': ['rp.assign.released'] } }
    const values = { scenarioId: scenario.id, dueAt, sessionId }
    const [row] = await tx
      .insert(roleplayAssignments)
      .values({ cohortId: cohort.id, groupId: group.id, assignedBy: actor.id, ...values })
      .onConflictDoUpdate({ target: roleplayAssignments.groupId, set: values })
      .returning({ id: roleplayAssignments.id })
    await tx.delete(roleplayCastings).where(eq(roleplayCastings.assignmentId, row.id))
    if (cast.length) await tx.insert(roleplayCastings).values(cast.map((c) => ({ assignmentId: row.id, ...c })))
    await notifyAssigned(tx, { assignmentId: row.id, groupId: group.id, scenario, dueAt, timeZone: session.timeZone })
    await audit(
      {
        actorId: actor.id,
        action: 'roleplay.assigned',
        entityType: 'study_group',
        entityId: group.id,
        details: { scenario: scenario.contentId, dueAt: dueAt.toISOString(), cast: cast.length },
      },
      tx,
    )
    return { ok: true, assignmentId: row.id }
  })
}

/** The key of the "your group has a role-play" notice: once per member, assignment and scenario. */
export function assignedNoticeKey(assignmentId: string, scenarioId: string) {
  return `roleplay-assigned:${assignmentId}:${scenarioId}`
}

/**
 * Tells every active member of the group that it has a role-play: an in-app notification and an
 * email in their own language, each once per scenario (the notification's dedupe key; the email
 * goes only for the notifications really created, in the same transaction). Re-casting or moving
 * the due time says nothing again; a different scenario is news.
 */
async function notifyAssigned(
  tx: Executor,
  a: { assignmentId: string; groupId: string; scenario: { id: string; title: { en: string; 'zh-CN': string } }; dueAt: Date; timeZone: string },
) {
  const members = await tx
    .select({ id: users.id, name: users.name, email: users.email, locale: users.locale })
    .from(studyGroupMembers)
    .innerJoin(users, and(eq(users.id, studyGroupMembers.userId), eq(users.active, true)))
    .where(eq(studyGroupMembers.groupId, a.groupId))
  if (members.length === 0) return
  const link = `/groups/${a.groupId}/roleplay`
  const dedupeKey = assignedNoticeKey(a.assignmentId, a.scenario.id)
  await notifyThenEmail(tx, members, {
    to: (m) => m,
    notice: () => ({
      kind: 'roleplay_assigned',
      params: { scenario: a.scenario.title, dueAt: a.dueAt.toISOString(), timeZone: a.timeZone },
      link,
      dedupeKey,
    }),
    email: (m, locale) => ({
      kind: 'roleplay_assigned',
      vars: {
        name: m.name,
        scenario: a.scenario.title[locale] || a.scenario.title.en,
        due: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: a.timeZone }).format(a.dueAt),
        link: `${publicOrigin()}${link}`,
      },
    }),
  })
}

/**
 * The trainer marks the skit performed live in class (or takes that back while nothing is
 * released), from the session's board: the assignment must belong to the session's cohort.
 */
export async function markPerformedLive(actor: CurrentUser, sessionId: string, assignmentId: string, live: boolean, now = new Date()) {
  const { cohort } = await cohortForSession(actor, sessionId)
  const { assignment } = await requireAssignmentStaff(actor, assignmentId)
  if (!cohort || assignment.cohortId !== cohort.id) return { ok: false as const, error: 'errors.invalid' }
  const review = await reviewOf(db, assignment.id)
  if (review?.releasedAt) return { ok: false as const, error: 'rp.review.alreadyReleased' }
  await db
    .update(roleplayAssignments)
    .set({ performedLiveAt: live ? now : null })
    .where(eq(roleplayAssignments.id, assignment.id))
  await audit({
    actorId: actor.id,
    action: live ? 'roleplay.performed-live' : 'roleplay.performed-live-undone',
    entityType: 'roleplay',
    entityId: assignment.id,
  })
  return { ok: true as const }
}

/** A recording version as the pages show it: late when it arrived after the due time. */
export async function recordingsOf(executor: Executor, assignmentId: string, dueAt: Date) {
  const rows = await executor
    .select({
      id: roleplayRecordings.id,
      version: roleplayRecordings.version,
      fileId: roleplayRecordings.fileId,
      mime: roleplayRecordings.mime,
      durationSeconds: roleplayRecordings.durationSeconds,
      status: roleplayRecordings.status,
      submittedAt: roleplayRecordings.submittedAt,
      withdrawnAt: roleplayRecordings.withdrawnAt,
      promotedVideoId: roleplayRecordings.promotedVideoId,
      submittedBy: users.name,
    })
    .from(roleplayRecordings)
    .innerJoin(users, eq(users.id, roleplayRecordings.submittedBy))
    .where(eq(roleplayRecordings.assignmentId, assignmentId))
    .orderBy(asc(roleplayRecordings.version))
  return rows.map((r) => ({ ...r, late: r.submittedAt.getTime() > dueAt.getTime() }))
}

/** The group's recording now: the latest version not withdrawn (ready). */
export function currentRecording<R extends { withdrawnAt: Date | null; status: string }>(versions: R[]) {
  return versions.filter((v) => !v.withdrawnAt && v.status === 'ready').at(-1) ?? null
}

/** Comments on a recording with their replies, in time order (replies after their comment). */
export async function commentsOf(executor: Executor, recordingId: string) {
  const rows = await executor
    .select({
      id: roleplayComments.id,
      parentId: roleplayComments.parentId,
      atMs: roleplayComments.atMs,
      tone: roleplayComments.tone,
      keyPoints: roleplayComments.keyPoints,
      body: roleplayComments.body,
      author: users.name,
      authorId: roleplayComments.authorId,
      createdAt: roleplayComments.createdAt,
      editedAt: roleplayComments.editedAt,
    })
    .from(roleplayComments)
    .innerJoin(users, eq(users.id, roleplayComments.authorId))
    .where(eq(roleplayComments.recordingId, recordingId))
    .orderBy(asc(roleplayComments.atMs), asc(roleplayComments.id))
  const top = rows.filter((r) => r.parentId === null)
  return top.map((c) => ({ ...c, replies: rows.filter((r) => r.parentId === c.id).sort((a, b) => a.id - b.id) }))
}

/**
 * The group's role-play page. Members see the situation and only their own role's brief; the
 * other briefs, the review and its comments once the review is released. Staff see everything,
 * observer notes included.
 */
export async function getRoleplayPage(actor: CurrentUser, groupId: string) {
  const { group, member, staff } = await requireGroupAccess(actor, groupId)
  const [members, [row]] = await Promise.all([
    groupMembers(db, groupId),
    db
      .select({ a: roleplayAssignments, s: roleplayScenarios })
      .from(roleplayAssignments)
      .innerJoin(roleplayScenarios, eq(roleplayScenarios.id, roleplayAssignments.scenarioId))
      .where(eq(roleplayAssignments.groupId, groupId)),
  ])
  if (!row) return { group, member, staff, members, assignment: null }
  const { a, s } = row
  const [castings, versions, review] = await Promise.all([
    db.select().from(roleplayCastings).where(eq(roleplayCastings.assignmentId, a.id)),
    recordingsOf(db, a.id, a.dueAt),
    reviewOf(db, a.id),
  ])
  const released = Boolean(review?.releasedAt)
  const myRoleId = castings.find((c) => c.userId === actor.id)?.roleId ?? null
  const seesAll = staff || released
  const roles = s.roles.map((r: RoleplayRole) => ({
    id: r.id,
    name: r.name,
    // A private brief: its player's, everyone's once the review is out, always the staff's.
    brief: seesAll || r.id === myRoleId ? r.brief : null,
    players: members.filter((m) => castings.some((c) => c.userId === m.userId && c.roleId === r.id)).map((m) => m.name),
  }))
  const current = currentRecording(versions)
  const reviewed = review && (staff || released) ? review : null
  const reviewedRecordingId = reviewed?.recordingId ?? null
  const comments = reviewedRecordingId && (staff || released) ? await commentsOf(db, reviewedRecordingId) : []
  const now = Date.now()
  return {
    group,
    member,
    staff,
    members,
    assignment: {
      id: a.id,
      dueAt: a.dueAt,
      beforeDeadline: now <= a.dueAt.getTime(),
      performedLiveAt: a.performedLiveAt,
      scenario: {
        id: s.id,
        title: s.title,
        situation: s.situation,
        keyPoints: s.keyPoints,
        observerNotes: staff ? s.observerNotes : null,
      },
      roles,
      myRoleId,
      versions,
      currentId: current?.id ?? null,
      review: reviewed && {
        mode: reviewed.mode,
        recordingId: reviewed.recordingId,
        levels: reviewed.levels,
        score: reviewed.score,
        summary: reviewed.summary,
        releasedAt: reviewed.releasedAt,
      },
      released,
      comments,
    },
  }
}

/** The role-plays of a person's groups, for "My groups". */
export async function myRoleplays(actor: CurrentUser) {
  return db
    .select({ groupId: roleplayAssignments.groupId, title: roleplayScenarios.title, dueAt: roleplayAssignments.dueAt })
    .from(roleplayAssignments)
    .innerJoin(roleplayScenarios, eq(roleplayScenarios.id, roleplayAssignments.scenarioId))
    .innerJoin(studyGroupMembers, and(eq(studyGroupMembers.groupId, roleplayAssignments.groupId), eq(studyGroupMembers.userId, actor.id)))
    .orderBy(desc(roleplayAssignments.dueAt))
}
