import { and, asc, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { cases, groupAssignments, rubrics, sessions, studyGroupMembers, studyGroups, submissionVersions, users, type StoredFile } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { syncLinkedModules } from '~/modules/courses/linked-modules.server'
import { cohortForSession, groupMembers, groupThread, isCohortStaff, requireGroupAccess } from '~/modules/groups/groups.server'
import { notifyMany } from '~/modules/notifications/inbox.server'
import { zonedToInstant } from '~/shared/time'
import { defaultRubricCriteria, type AssignInput } from './assignments'
import { claimUpload, requestPdfPreview } from './storage.server'
import { memberResults } from './grading.server'

/** The default rubric (built on the ten key points); the case library import creates it on every start. */
export async function ensureDefaultRubric(executor: Executor = db) {
  const [existing] = await executor.select().from(rubrics).where(eq(rubrics.isDefault, true)).limit(1)
  if (existing) return existing
  const [row] = await executor
    .insert(rubrics)
    .values({ name: { en: 'Ten key points (default)', 'zh-CN': '十大要点（默认）' }, criteria: defaultRubricCriteria, isDefault: true })
    .returning()
  return row
}

/** The cases and rubrics a trainer chooses from, and each group's assignment, for the board. */
export async function getAssignmentOptions(actor: CurrentUser, sessionId: string) {
  const { cohort } = await cohortForSession(actor, sessionId)
  const [caseRows, rubricRows, assignmentRows, next] = await Promise.all([
    db.select({ id: cases.id, title: cases.title, function: cases.function }).from(cases).where(isNull(cases.retiredAt)).orderBy(asc(cases.function)),
    db.select({ id: rubrics.id, name: rubrics.name, isDefault: rubrics.isDefault }).from(rubrics).orderBy(desc(rubrics.isDefault), asc(rubrics.createdAt)),
    cohort ? assignmentsOfCohort(db, cohort.id) : Promise.resolve([]),
    cohort ? nextSession(sessionId, cohort.id) : Promise.resolve(null),
  ])
  return { cases: caseRows, rubrics: rubricRows, assignments: assignmentRows, nextSession: next }
}

/** The cohort's session after this one (session 2): the due time must come before it starts. */
async function nextSession(sessionId: string, cohortId: string) {
  const [current] = await db.select().from(sessions).where(eq(sessions.id, sessionId))
  const [next] = await db
    .select({ id: sessions.id, title: sessions.title, startsAt: sessions.startsAt, timeZone: sessions.timeZone })
    .from(sessions)
    .where(and(eq(sessions.cohortId, cohortId), eq(sessions.status, 'scheduled'), gt(sessions.startsAt, current.startsAt)))
    .orderBy(asc(sessions.startsAt))
    .limit(1)
  return next ?? null
}

/** A group's assignment on the board; times as ISO texts (`to_json`), the same on either driver. */
const CohortAssignmentRow = z.object({
  id: column.text,
  groupId: column.text,
  caseId: column.text,
  caseTitle: column.localized,
  dueAt: column.text,
  presentOrder: column.numberOrNull,
  presentedAt: column.textOrNull,
  presentMinutes: column.number,
  rubricId: column.text,
  peerRatings: column.boolean,
  contributionRatings: column.boolean,
  versions: column.number,
  lateVersions: column.number,
  gradeScore: column.numberOrNull,
  releasedAt: column.textOrNull,
})

/** Per group of a cohort: its assignment, versions, grade state and presentation place. One query. */
export async function assignmentsOfCohort(executor: Executor, cohortId: string) {
  return parseRows(
    CohortAssignmentRow,
    await executor.execute(sql`
      select a.id, a.group_id as "groupId", a.case_id as "caseId", k.title as "caseTitle",
        to_json(a.due_at) #>> '{}' as "dueAt", a.present_order as "presentOrder", to_json(a.presented_at) #>> '{}' as "presentedAt",
        a.present_minutes as "presentMinutes", a.rubric_id as "rubricId", a.peer_ratings as "peerRatings",
        a.contribution_ratings as "contributionRatings",
        (select count(*)::int from submission_versions v where v.assignment_id = a.id) as versions,
        (select count(*)::int from submission_versions v where v.assignment_id = a.id and v.late) as "lateVersions",
        g.score::int as "gradeScore", to_json(g.released_at) #>> '{}' as "releasedAt"
      from group_assignments a join cases k on k.id = a.case_id left join grades g on g.assignment_id = a.id
      where a.cohort_id = ${cohortId}`),
  )
}

export type AssignResult = { ok: true; assigned: number } | { ok: false; errors: Record<string, string[]> }

/**
 * Gives every group of the cohort its case (same or different), due time and options. A
 * group that already has work keeps it: re-assigning changes the case or due time, never the
 * versions, nor the rubric of a graded submission. Members are notified in the app (once per case).
 */
export async function assignCases(actor: CurrentUser, sessionId: string, input: AssignInput): Promise<AssignResult> {
  const { session, cohort } = await cohortForSession(actor, sessionId)
  if (!cohort) return { ok: false, errors: { '': ['groups.noCohort'] } }
  const dueAt = zonedToInstant(input.dueAt, session.timeZone)
  if (!dueAt) return { ok: false, errors: { dueAt: ['errors.invalid'] } }
  if (dueAt.getTime() <= Date.now()) return { ok: false, errors: { dueAt: ['cases.assign.dueInPast'] } }
  const next = await nextSession(sessionId, cohort.id)
  if (next && dueAt.getTime() > next.startsAt.getTime()) return { ok: false, errors: { dueAt: ['cases.assign.dueAfterSession2'] } }

  return db.transaction(async (tx): Promise<AssignResult> => {
    const groups = await tx.select().from(studyGroups).where(eq(studyGroups.cohortId, cohort.id)).orderBy(asc(studyGroups.position))
    if (groups.length === 0) return { ok: false as const, errors: { '': ['cases.assign.noGroups'] } }
    const caseFor = new Map<string, string>()
    for (const g of groups) {
      const id = input.mode === 'same' ? input.caseId : input.cases[g.id]
      if (!id) return { ok: false, errors: input.mode === 'same' ? { caseId: ['errors.required'] } : { [`cases.${g.id}`]: ['errors.required'] } }
      caseFor.set(g.id, id)
    }
    const ids = [...new Set(caseFor.values())]
    const known = await tx
      .select()
      .from(cases)
      .where(and(inArray(cases.id, ids), isNull(cases.retiredAt)))
    if (known.length !== ids.length) return { ok: false as const, errors: { caseId: ['errors.invalid'] } }
    const [rubric] = await tx.select({ id: rubrics.id }).from(rubrics).where(eq(rubrics.id, input.rubricId))
    if (!rubric) return { ok: false as const, errors: { rubricId: ['errors.invalid'] } }

    const notices = []
    for (const g of groups) {
      const values = {
        caseId: caseFor.get(g.id)!,
        rubricId: input.rubricId,
        dueAt,
        peerRatings: input.peerRatings,
        contributionRatings: input.contributionRatings,
        presentMinutes: input.presentMinutes,
      }
      const [row] = await tx
        .insert(groupAssignments)
        .values({ cohortId: cohort.id, groupId: g.id, assignedBy: actor.id, ...values })
        .onConflictDoUpdate({
          target: groupAssignments.groupId,
          // A graded submission keeps the rubric it was graded with: its levels name that rubric's criteria.
          set: {
            ...values,
            rubricId: sql`case when exists (select 1 from grades g where g.assignment_id = ${groupAssignments.id}) then ${groupAssignments.rubricId} else excluded.rubric_id end`,
          },
        })
        .returning({ id: groupAssignments.id })
      const theCase = known.find((k) => k.id === values.caseId)!
      const members = await tx.select({ userId: studyGroupMembers.userId }).from(studyGroupMembers).where(eq(studyGroupMembers.groupId, g.id))
      notices.push(
        ...members.map((m) => ({
          userId: m.userId,
          kind: 'case_assigned',
          params: { caseTitle: theCase.title, dueAt: dueAt.toISOString(), timeZone: session.timeZone },
          link: `/groups/${g.id}`,
          dedupeKey: `case-assigned:${row.id}:${theCase.id}`,
        })),
      )
    }
    await notifyMany(tx, notices)
    await audit(
      {
        actorId: actor.id,
        action: 'cases.assigned',
        entityType: 'cohort',
        entityId: cohort.id,
        details: { mode: input.mode, groups: groups.length, dueAt: dueAt.toISOString() },
      },
      tx,
    )
    return { ok: true as const, assigned: groups.length }
  })
}

/** The versions of a group's submission, oldest first, with who uploaded each and whether it was late. */
export async function versionsOf(executor: Executor, assignmentId: string) {
  return executor
    .select({
      id: submissionVersions.id,
      version: submissionVersions.version,
      fileId: submissionVersions.fileId,
      fileName: submissionVersions.fileName,
      mime: submissionVersions.mime,
      late: submissionVersions.late,
      uploadedAt: submissionVersions.uploadedAt,
      uploadedBy: users.name,
    })
    .from(submissionVersions)
    .innerJoin(users, eq(users.id, submissionVersions.uploadedBy))
    .where(eq(submissionVersions.assignmentId, assignmentId))
    .orderBy(asc(submissionVersions.version))
}

/** The submission: the latest version uploaded on time, else the latest late one. */
export function currentSubmission<V extends { late: boolean; version: number }>(versions: V[]) {
  const onTime = versions.filter((v) => !v.late)
  return onTime.at(-1) ?? versions.at(-1) ?? null
}

/**
 * The group page: the case (trainer notes for staff only), questions, members, due time,
 * thread, versions and — once released, or for staff — the grade.
 */
export async function getGroupPage(actor: CurrentUser, groupId: string) {
  const { group, member, staff } = await requireGroupAccess(actor, groupId)
  const [members, thread, [assignment]] = await Promise.all([
    groupMembers(db, groupId),
    groupThread(db, groupId),
    db
      .select({ a: groupAssignments, c: cases })
      .from(groupAssignments)
      .innerJoin(cases, eq(cases.id, groupAssignments.caseId))
      .where(eq(groupAssignments.groupId, groupId)),
  ])
  if (!assignment) return { group, member, staff, members, thread, assignment: null }
  const { a, c } = assignment
  const versions = await versionsOf(db, a.id)
  const submission = currentSubmission(versions)
  const results = await memberResults(actor, a, { member, staff })
  return {
    group,
    member,
    staff,
    members,
    thread,
    assignment: {
      id: a.id,
      dueAt: a.dueAt,
      peerRatings: a.peerRatings,
      contributionRatings: a.contributionRatings,
      presentedAt: a.presentedAt,
      case: {
        id: c.id,
        title: c.title,
        narrative: c.narrative,
        // The key points are what the groups must find: staff only, like the notes.
        keyPoints: staff ? c.keyPoints : null,
        questions: c.questions,
        // Never part of a learner's page.
        trainerNotes: staff ? c.trainerNotes : null,
      },
      versions,
      submissionId: submission?.id ?? null,
      results,
    },
  }
}

export type SubmitResult = { ok: true; version: number; late: boolean } | { ok: false; error: 'notMember' | 'noAssignment' }

/**
 * A member turns a finished upload into the next version of the group's submission. The
 * storage module checks the file (UploadRejected propagates, nothing is stored and the current
 * version stays). Versions are numbered under a row lock, so two members uploading at once
 * both get theirs, one after the other. A PPTX gets a PDF preview in the background.
 */
export async function submitVersion(actor: CurrentUser, groupId: string, uploadId: string): Promise<SubmitResult> {
  const { member } = await requireGroupAccess(actor, groupId)
  if (!member) return { ok: false, error: 'notMember' }
  const [assignment] = await db.select({ id: groupAssignments.id }).from(groupAssignments).where(eq(groupAssignments.groupId, groupId))
  if (!assignment) return { ok: false, error: 'noAssignment' }
  return db.transaction(async (tx) => {
    const file = await claimUpload(tx, actor, uploadId, { purpose: 'slides' })
    return addVersion(tx, actor, assignment.id, file)
  })
}

/** Adds a stored file as the next version (in the caller's transaction). Also used by the demo seed. */
export async function addVersion(
  tx: Executor,
  actor: Pick<CurrentUser, 'id'>,
  assignmentId: string,
  file: Pick<StoredFile, 'id' | 'name' | 'mime'>,
  now = new Date(),
) {
  const [a] = await tx.select().from(groupAssignments).where(eq(groupAssignments.id, assignmentId)).for('update')
  const [{ n }] = parseRows(
    z.object({ n: column.number }),
    await tx.execute(sql`select coalesce(max(version), 0)::int as n from submission_versions where assignment_id = ${assignmentId}`),
  )
  const late = now.getTime() > a.dueAt.getTime()
  await tx.insert(submissionVersions).values({
    assignmentId,
    version: n + 1,
    fileId: file.id,
    fileName: file.name,
    mime: file.mime,
    late,
    uploadedBy: actor.id,
    uploadedAt: now,
  })
  if (file.mime !== 'application/pdf') await requestPdfPreview(tx, file.id)
  const members = await tx.select({ userId: studyGroupMembers.userId }).from(studyGroupMembers).where(eq(studyGroupMembers.groupId, a.groupId))
  await syncLinkedModules(tx, { userIds: members.map((m) => m.userId) })
  return { ok: true as const, version: n + 1, late }
}

/**
 * Reminds the members of every group whose case is due within 24 hours and that has not
 * submitted anything. One statement, idempotent through the dedupe key (per due time, so
 * moving the due time reminds again). Run by the periodic `cases.due-reminders` job.
 */
export async function sendDueCaseReminders(now = new Date()) {
  const rows = parseRows(
    z.object({ user_id: column.text }),
    await db.execute(sql`
      insert into notifications (user_id, kind, params, link, dedupe_key)
      select m.user_id, 'case_due_soon',
        jsonb_build_object('caseTitle', k.title, 'dueAt', to_json(a.due_at) #>> '{}'),
        '/groups/' || a.group_id, 'case-due:' || a.id || ':' || extract(epoch from a.due_at)::bigint
      from group_assignments a
      join cases k on k.id = a.case_id
      join study_group_members m on m.group_id = a.group_id
      where a.due_at > ${now.toISOString()}::timestamptz and a.due_at <= ${new Date(now.getTime() + 24 * 3600_000).toISOString()}::timestamptz
        and not exists (select 1 from submission_versions v where v.assignment_id = a.id)
      on conflict do nothing
      returning user_id`),
  )
  return { reminded: rows.length }
}

/** Who may read a stored slides file: the group's members, the cohort's staff (HR, its trainers). */
export async function maySeeSlides(user: CurrentUser, file: Pick<StoredFile, 'id'>) {
  const fileId = file.id
  const rows = parseRows(
    z.object({ group_id: column.text, cohort_id: column.text }),
    await db.execute(sql`
      select a.group_id, a.cohort_id from submission_versions v join group_assignments a on a.id = v.assignment_id
      where v.file_id = ${fileId} limit 1`),
  )
  const row = rows[0]
  if (!row) return false
  const [membership] = await db
    .select()
    .from(studyGroupMembers)
    .where(and(eq(studyGroupMembers.groupId, row.group_id), eq(studyGroupMembers.userId, user.id)))
  return Boolean(membership) || (await isCohortStaff(user, row.cohort_id))
}
