import { and, asc, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { cohorts, groupAssignments, groupMessages, studyGroupMembers, studyGroups, users } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { deny } from '~/modules/auth/authorize.server'
import { can, type CurrentUser } from '~/modules/auth/permissions'
import { loadSession } from '~/modules/sessions/access.server'
import { distribute, type Candidate, type FormGroupsInput } from './groups'

const notFound = () => new Response('Not found', { status: 404 })
const isUuid = (id: string) => /^[0-9a-f-]{36}$/i.test(id)
const Exists = z.object({ ok: column.boolean })

/**
 * HR, or a trainer of one of the cohort's sessions (external lecturers do not run groups).
 * Throws 403 (audited) otherwise. Call before opening a transaction.
 */
export async function requireCohortStaff(actor: CurrentUser, cohortId: string) {
  if (await isCohortStaff(actor, cohortId)) return
  await deny(actor, 'manage:groups:own-cohort', { cohortId })
}

export async function isCohortStaff(actor: CurrentUser, cohortId: string, executor: Executor = db) {
  if (can(actor, 'manage:sessions:all')) return true
  if (!can(actor, 'manage:sessions:own')) return false
  const rows = parseRows(
    Exists,
    await executor.execute(sql`select exists (
      select 1 from session_trainers st join sessions s on s.id = st.session_id
      where s.cohort_id = ${cohortId} and st.user_id = ${actor.id} and st.role = 'trainer') as ok`),
  )
  return Boolean(rows[0]?.ok)
}

/** The cohort a session belongs to, for its staff; null when the session has no cohort. */
export async function cohortForSession(actor: CurrentUser, sessionId: string) {
  const session = await loadSession(db, sessionId)
  if (!session.cohortId) {
    // Only the session's staff learn that it has no cohort.
    if (!can(actor, 'manage:sessions:all')) {
      const rows = parseRows(
        Exists,
        await db.execute(
          sql`select exists (select 1 from session_trainers where session_id = ${sessionId} and user_id = ${actor.id} and role = 'trainer') as ok`,
        ),
      )
      if (!rows[0]?.ok || !can(actor, 'manage:sessions:own')) await deny(actor, 'manage:groups:own-cohort', { sessionId })
    }
    return { session, cohort: null }
  }
  await requireCohortStaff(actor, session.cohortId)
  const [cohort] = await db.select().from(cohorts).where(eq(cohorts.id, session.cohortId))
  return { session, cohort }
}

const CandidateRow = z.object({ userId: column.text, name: column.text, department: column.text, seniority: column.number })

/**
 * The people of a cohort: everyone invited to one of its sessions (not cancelled) who did not
 * decline, with their top-level department and a seniority level (2 manages managers,
 * 1 manages people, 0 otherwise) for balancing.
 */
export async function cohortPeople(executor: Executor, cohortId: string): Promise<Candidate[]> {
  return parseRows(
    CandidateRow,
    await executor.execute(sql`
      select u.id as "userId", u.name,
        coalesce(split_part(d.path, '/', 1), '') as department,
        (case when exists (select 1 from users r join users rr on rr.manager_id = r.id where r.manager_id = u.id and r.active and rr.active) then 2
              when exists (select 1 from users r where r.manager_id = u.id and r.active) then 1 else 0 end)::int as seniority
      from users u left join departments d on d.id = u.department_id
      where u.active and u.id in (
        select i.user_id from invitations i join sessions s on s.id = i.session_id
        where s.cohort_id = ${cohortId} and s.status = 'scheduled' and i.status <> 'declined'
        union select m.user_id from study_group_members m where m.cohort_id = ${cohortId})
      order by u.name`),
  )
}

/** The trainer's board: groups with members, the people not in a group yet, and each group's assignment. */
export async function getGroupBoard(actor: CurrentUser, sessionId: string) {
  const { session, cohort } = await cohortForSession(actor, sessionId)
  if (!cohort) return { session, cohort: null, groups: [], unassigned: [] }
  const [people, groupRows, memberRows] = await Promise.all([
    cohortPeople(db, cohort.id),
    db.select().from(studyGroups).where(eq(studyGroups.cohortId, cohort.id)).orderBy(asc(studyGroups.position)),
    db
      .select({ groupId: studyGroupMembers.groupId, userId: studyGroupMembers.userId })
      .from(studyGroupMembers)
      .where(eq(studyGroupMembers.cohortId, cohort.id)),
  ])
  const byId = new Map(people.map((p) => [p.userId, p]))
  const groupOf = new Map(memberRows.map((m) => [m.userId, m.groupId]))
  const groups = groupRows.map((g) => ({
    id: g.id,
    name: g.name,
    position: g.position,
    members: memberRows.filter((m) => m.groupId === g.id).flatMap((m) => (byId.has(m.userId) ? [byId.get(m.userId)!] : [])),
  }))
  return { session, cohort, groups, unassigned: people.filter((p) => !groupOf.has(p.userId)) }
}

export type GroupsResult = { ok: true } | { ok: false; error: string }

/**
 * Forms the cohort's groups afresh (random or balanced). Refused once a group has a case:
 * its work belongs to it, so from then on people are moved by hand.
 */
export async function formGroups(actor: CurrentUser, sessionId: string, input: FormGroupsInput, random: () => number = Math.random): Promise<GroupsResult> {
  const { cohort } = await cohortForSession(actor, sessionId)
  if (!cohort) return { ok: false, error: 'groups.noCohort' }
  return db.transaction(async (tx) => {
    await tx.select({ id: cohorts.id }).from(cohorts).where(eq(cohorts.id, cohort.id)).for('update')
    const [work] = await tx.select({ id: groupAssignments.id }).from(groupAssignments).where(eq(groupAssignments.cohortId, cohort.id)).limit(1)
    if (work) return { ok: false as const, error: 'groups.form.hasWork' }
    const people = await cohortPeople(tx, cohort.id)
    if (people.length === 0) return { ok: false as const, error: 'groups.form.nobody' }
    const split = distribute(people, input, random)
    await tx.delete(studyGroups).where(eq(studyGroups.cohortId, cohort.id))
    for (const [i, members] of split.entries()) {
      const [group] = await tx
        .insert(studyGroups)
        .values({ cohortId: cohort.id, name: groupName(i), position: i + 1 })
        .returning({ id: studyGroups.id })
      await tx.insert(studyGroupMembers).values(members.map((m) => ({ groupId: group.id, cohortId: cohort.id, userId: m.userId })))
    }
    await audit({ actorId: actor.id, action: 'groups.formed', entityType: 'cohort', entityId: cohort.id, details: { ...input, groups: split.length } }, tx)
    return { ok: true as const }
  })
}

/** "Group A", "Group B" … as a stable letter; the UI translates the word "group". */
function groupName(index: number) {
  return index < 26 ? String.fromCharCode(65 + index) : String(index + 1)
}

/** Moves a person into a group of the same cohort, or out of every group. The groups' work stays with the groups. */
export async function moveMember(actor: CurrentUser, sessionId: string, userId: string, groupId: string | null): Promise<GroupsResult> {
  const { cohort } = await cohortForSession(actor, sessionId)
  if (!cohort) return { ok: false, error: 'groups.noCohort' }
  return db.transaction(async (tx) => {
    const people = await cohortPeople(tx, cohort.id)
    if (!people.some((p) => p.userId === userId)) return { ok: false as const, error: 'groups.move.notInCohort' }
    if (groupId) {
      const [group] = await tx
        .select()
        .from(studyGroups)
        .where(and(eq(studyGroups.id, groupId), eq(studyGroups.cohortId, cohort.id)))
      if (!group) return { ok: false as const, error: 'groups.move.noGroup' }
    }
    await tx.delete(studyGroupMembers).where(and(eq(studyGroupMembers.cohortId, cohort.id), eq(studyGroupMembers.userId, userId)))
    if (groupId) await tx.insert(studyGroupMembers).values({ groupId, cohortId: cohort.id, userId })
    await audit({ actorId: actor.id, action: 'groups.member-moved', entityType: 'cohort', entityId: cohort.id, details: { userId, groupId } }, tx)
    return { ok: true as const }
  })
}

export async function addGroup(actor: CurrentUser, sessionId: string): Promise<GroupsResult> {
  const { cohort } = await cohortForSession(actor, sessionId)
  if (!cohort) return { ok: false, error: 'groups.noCohort' }
  await db.transaction(async (tx) => {
    await tx.select({ id: cohorts.id }).from(cohorts).where(eq(cohorts.id, cohort.id)).for('update')
    const [{ n }] = parseRows(
      z.object({ n: column.number }),
      await tx.execute(sql`select coalesce(max(position), 0)::int as n from study_groups where cohort_id = ${cohort.id}`),
    )
    await tx.insert(studyGroups).values({ cohortId: cohort.id, name: groupName(n), position: n + 1 })
  })
  return { ok: true }
}

/** Removes an empty group that has no case yet. */
export async function removeGroup(actor: CurrentUser, sessionId: string, groupId: string): Promise<GroupsResult> {
  const { cohort } = await cohortForSession(actor, sessionId)
  if (!cohort) return { ok: false, error: 'groups.noCohort' }
  return db.transaction(async (tx) => {
    const [group] = await tx
      .select()
      .from(studyGroups)
      .where(and(eq(studyGroups.id, groupId), eq(studyGroups.cohortId, cohort.id)))
    if (!group) return { ok: false as const, error: 'groups.move.noGroup' }
    const [member] = await tx.select().from(studyGroupMembers).where(eq(studyGroupMembers.groupId, groupId)).limit(1)
    const [work] = await tx.select().from(groupAssignments).where(eq(groupAssignments.groupId, groupId)).limit(1)
    if (member || work) return { ok: false as const, error: 'groups.remove.notEmpty' }
    await tx.delete(studyGroups).where(eq(studyGroups.id, groupId))
    return { ok: true as const }
  })
}

/**
 * A group as its members and the cohort's staff see it; 404 for anybody else (a learner
 * cannot even tell that another group exists). Returns who is looking.
 */
export async function requireGroupAccess(actor: CurrentUser, groupId: string, executor: Executor = db) {
  if (!isUuid(groupId)) throw notFound()
  const [group] = await executor.select().from(studyGroups).where(eq(studyGroups.id, groupId))
  if (!group) throw notFound()
  const [membership] = await executor
    .select()
    .from(studyGroupMembers)
    .where(and(eq(studyGroupMembers.groupId, groupId), eq(studyGroupMembers.userId, actor.id)))
  const staff = await isCohortStaff(actor, group.cohortId, executor)
  if (!membership && !staff) throw notFound()
  return { group, member: Boolean(membership), staff }
}

export async function groupMembers(executor: Executor, groupId: string) {
  return executor
    .select({ userId: users.id, name: users.name })
    .from(studyGroupMembers)
    .innerJoin(users, eq(users.id, studyGroupMembers.userId))
    .where(eq(studyGroupMembers.groupId, groupId))
    .orderBy(asc(users.name))
}

export async function groupThread(executor: Executor, groupId: string) {
  return executor
    .select({ id: groupMessages.id, body: groupMessages.body, createdAt: groupMessages.createdAt, author: users.name })
    .from(groupMessages)
    .innerJoin(users, eq(users.id, groupMessages.authorId))
    .where(eq(groupMessages.groupId, groupId))
    .orderBy(asc(groupMessages.createdAt), asc(groupMessages.id))
    .limit(200)
}

/** A message in the group's thread: members only (trainers read it but do not post). */
export async function postGroupMessage(actor: CurrentUser, groupId: string, body: string): Promise<GroupsResult> {
  const { member } = await requireGroupAccess(actor, groupId)
  if (!member) return { ok: false, error: 'groups.thread.membersOnly' }
  await db.insert(groupMessages).values({ groupId, authorId: actor.id, body })
  return { ok: true }
}

/** A group of "My groups": the case and its due time (an ISO text, `to_json`) once it has one. */
const MyGroupRow = z.object({
  groupId: column.text,
  groupName: column.text,
  cohortName: column.text,
  caseTitle: column.localized.nullable(),
  dueAt: column.textOrNull,
})

/** The groups a person is in, with their case title and due time, for "My groups". */
export async function myGroups(actor: CurrentUser) {
  return parseRows(
    MyGroupRow,
    await db.execute(sql`
      select g.id as "groupId", g.name as "groupName", c.name as "cohortName", k.title as "caseTitle", to_json(a.due_at) #>> '{}' as "dueAt"
      from study_group_members m
      join study_groups g on g.id = m.group_id
      join cohorts c on c.id = g.cohort_id
      left join group_assignments a on a.group_id = g.id
      left join cases k on k.id = a.case_id
      where m.user_id = ${actor.id}
      order by c.created_at desc, g.position`),
  )
}
