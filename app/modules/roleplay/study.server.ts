import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import {
  roleplayAssignments,
  roleplayStudyItems,
  roleplayStudyProgress,
  sessions,
  studyGroupMembers,
  videos,
  type RoleplayAssignment,
  type StoredFile,
} from '#db/schema'
import type { Localized } from '#db/schema/courses'
import type { CurrentUser } from '~/modules/auth/permissions'
import { claimUpload } from '~/modules/files/uploads.server'
import { isCohortStaff } from '~/modules/groups/groups.server'
import { isUuid } from '~/shared/validation'
import { MAX_STUDY_ITEMS, STUDY_ITEM_KINDS, type StudyItemKind, type StudyPackInput } from './study'

/**
 * Self-study packs of role-play groups (docs/decisions/036): the trainer puts course lessons,
 * files and library videos on a group's assignment, in order; members open and finish them;
 * the trainer sees who did what. Finishing a lesson or a video counts wherever it happened
 * (the course player, the video player); a file is finished when the member marks it done.
 */

export const STUDY_FILE_PURPOSE = 'roleplay-study'

const notFound = () => new Response('Not found', { status: 404 })

export type StudyResult = { ok: true } | { ok: false; error: string }

/**
 * When a member finished an item: the pack's own record (a file marked done, or a finish
 * recorded earlier), else the lesson's completion or the video's watched-through time.
 * `i` is a roleplay_study_items row and `userId` the member's id column.
 */
export function studyFinishedAtSql(userId: SQL): SQL {
  return sql`coalesce(p.finished_at, case i.kind
      when 'course_module' then (select mp.completed_at from module_progress mp where mp.user_id = ${userId} and mp.module_id::text = i.ref and mp.completed_at is not null)
      when 'video' then (select vp.completed_at from video_progress vp where vp.user_id = ${userId} and vp.video_id = i.ref and vp.completed_at is not null)
    end)`
}

/**
 * One row per current member × item of the assignments `where` picks (over `a`, roleplay_assignments):
 * (assignment_id, group_id, item_id, kind, user_id, opened_at, finished_at). Reminders and the KPI read it.
 */
export function studyStateSql(where: SQL): SQL {
  return sql`
    select a.id as assignment_id, a.group_id, i.id as item_id, i.kind::text as kind, gm.user_id, p.opened_at,
      ${studyFinishedAtSql(sql`gm.user_id`)} as finished_at
    from roleplay_assignments a
    join roleplay_study_items i on i.assignment_id = a.id
    join study_group_members gm on gm.group_id = a.group_id
    left join roleplay_study_progress p on p.item_id = i.id and p.user_id = gm.user_id
    where ${where}`
}

export type StudyItemView = {
  id: string
  assignmentId: string
  position: number
  kind: StudyItemKind
  ref: string
  title: Localized
  /** The course the lesson belongs to (course_module items). */
  course: Localized | null
  /** Where opening the item leads, or null when the thing it points at is gone. */
  href: string | null
}

const ItemRow = z.object({
  id: column.text,
  assignment_id: column.text,
  position: column.number,
  kind: z.enum(STUDY_ITEM_KINDS),
  ref: column.text,
  title: column.localized.nullable(),
  course_title: column.localized.nullable(),
  course_key: column.textOrNull,
  module_key: column.textOrNull,
  file_name: column.textOrNull,
})
type ItemRow = z.output<typeof ItemRow>

function itemView(r: ItemRow): StudyItemView {
  const gone = { en: '(removed)', 'zh-CN': '（已删除）' }
  const title = r.kind === 'file' ? (r.file_name ? { en: r.file_name, 'zh-CN': r.file_name } : gone) : (r.title ?? gone)
  let href: string | null = null
  if (r.kind === 'course_module' && r.course_key && r.module_key) href = `/learn/${r.course_key}/${r.module_key}`
  else if (r.kind === 'video' && r.title) href = `/videos/${encodeURIComponent(r.ref)}`
  else if (r.kind === 'file' && r.file_name) href = `/files/${r.ref}`
  return { id: r.id, assignmentId: r.assignment_id, position: r.position, kind: r.kind, ref: r.ref, title, course: r.course_title, href }
}

/** The items of some assignments, in order, with what they point at: one query whatever the number of groups. */
export async function packItems(executor: Executor, assignmentIds: string[]): Promise<StudyItemView[]> {
  if (assignmentIds.length === 0) return []
  const rows = parseRows(
    ItemRow,
    await executor.execute(sql`
      select i.id, i.assignment_id, i.position, i.kind::text as kind, i.ref,
        coalesce(m.title, v.title) as title, c.title as course_title, c.content_id as course_key, m.content_id as module_key, f.name as file_name
      from roleplay_study_items i
      left join course_modules m on i.kind = 'course_module' and m.id::text = i.ref
      left join courses c on c.id = m.course_id
      left join videos v on i.kind = 'video' and v.id = i.ref
      left join stored_files f on i.kind = 'file' and f.id::text = i.ref
      where i.assignment_id in (${sql.join(
        assignmentIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})
      order by i.assignment_id, i.position`),
  )
  return rows.map(itemView)
}

async function loadAssignment(executor: Executor, assignmentId: string) {
  if (!isUuid(assignmentId)) throw notFound()
  const [assignment] = await executor.select().from(roleplayAssignments).where(eq(roleplayAssignments.id, assignmentId))
  if (!assignment) throw notFound()
  return assignment
}

async function isMember(executor: Executor, userId: string, groupId: string) {
  const [row] = await executor
    .select({ userId: studyGroupMembers.userId })
    .from(studyGroupMembers)
    .where(and(eq(studyGroupMembers.groupId, groupId), eq(studyGroupMembers.userId, userId)))
  return Boolean(row)
}

/** The assignment for a member of its group or its cohort's staff (HR, the cohort's trainers); 404 for anyone else. */
export async function requireStudyAccess(actor: CurrentUser, assignmentId: string, executor: Executor = db) {
  const assignment = await loadAssignment(executor, assignmentId)
  const member = await isMember(executor, actor.id, assignment.groupId)
  const staff = await isCohortStaff(actor, assignment.cohortId, executor)
  if (!member && !staff) throw notFound()
  return { assignment, member, staff }
}

async function requireStaff(actor: CurrentUser, assignment: RoleplayAssignment, executor: Executor) {
  if (!(await isCohortStaff(actor, assignment.cohortId, executor))) throw notFound()
}

async function itemWithAssignment(executor: Executor, itemId: string) {
  if (!isUuid(itemId)) throw notFound()
  const [row] = await executor
    .select({ item: roleplayStudyItems, assignment: roleplayAssignments })
    .from(roleplayStudyItems)
    .innerJoin(roleplayAssignments, eq(roleplayAssignments.id, roleplayStudyItems.assignmentId))
    .where(eq(roleplayStudyItems.id, itemId))
  if (!row) throw notFound()
  return row
}

/** Whether the thing an item points at exists and may be put in a pack. */
async function refExists(executor: Executor, kind: StudyItemKind, ref: string) {
  const check =
    kind === 'course_module'
      ? sql`select exists (select 1 from course_modules m join courses c on c.id = m.course_id
          where m.id::text = ${ref} and m.retired_at is null and c.status = 'published' and c.retired_at is null) as ok`
      : kind === 'video'
        ? sql`select exists (select 1 from videos where id = ${ref} and status = 'ready') as ok`
        : sql`select exists (select 1 from stored_files where id::text = ${ref} and purpose = ${STUDY_FILE_PURPOSE}) as ok`
  return Boolean(parseRows(z.object({ ok: column.boolean }), await executor.execute(check))[0]?.ok)
}

async function appendItem(tx: Executor, assignmentId: string, kind: StudyItemKind, ref: string): Promise<StudyResult> {
  // One writer at a time per pack: positions stay 1…n.
  await tx.execute(sql`select id from roleplay_assignments where id = ${assignmentId} for update`)
  // Over no items: n is 0, last and dup are null.
  const [stats] = parseRows(
    z.object({ n: column.number, last: column.numberOrNull, dup: column.boolean.nullable() }),
    await tx.execute(sql`select count(*)::int as n, max(position) as last, bool_or(kind::text = ${kind} and ref = ${ref}) as dup
      from roleplay_study_items where assignment_id = ${assignmentId}`),
  )
  if (stats?.dup) return { ok: false, error: 'roleplayStudy.errors.duplicate' }
  if ((stats?.n ?? 0) >= MAX_STUDY_ITEMS) return { ok: false, error: 'roleplayStudy.errors.full' }
  await tx.insert(roleplayStudyItems).values({ assignmentId, kind, ref, position: (stats?.last ?? 0) + 1 })
  return { ok: true }
}

/** Renumbers a pack 1…n in its current order. */
async function renumber(tx: Executor, assignmentId: string) {
  await tx.execute(sql`
    update roleplay_study_items i set position = o.rn
    from (select id, row_number() over (order by position, id) as rn from roleplay_study_items where assignment_id = ${assignmentId}) o
    where i.id = o.id and i.position <> o.rn`)
}

/** The trainer's (or HR's) edits of a group's pack. */
export async function editStudyPack(actor: CurrentUser, input: StudyPackInput): Promise<StudyResult> {
  switch (input.intent) {
    case 'add':
      return db.transaction(async (tx) => {
        const assignment = await loadAssignment(tx, input.assignmentId)
        await requireStaff(actor, assignment, tx)
        if (!(await refExists(tx, input.kind, input.ref))) return { ok: false, error: 'roleplayStudy.errors.missing' }
        return appendItem(tx, assignment.id, input.kind, input.ref)
      })
    case 'add-file': {
      const assignment = await loadAssignment(db, input.assignmentId)
      await requireStaff(actor, assignment, db)
      // claimUpload throws UploadRejected (the route shows why); nothing is stored then.
      return db.transaction(async (tx) => {
        const file: StoredFile = await claimUpload(tx, actor, input.uploadId, { purpose: STUDY_FILE_PURPOSE })
        return appendItem(tx, assignment.id, 'file', file.id)
      })
    }
    case 'remove':
      return db.transaction(async (tx) => {
        const { item, assignment } = await itemWithAssignment(tx, input.itemId)
        await requireStaff(actor, assignment, tx)
        await tx.execute(sql`select id from roleplay_assignments where id = ${assignment.id} for update`)
        await tx.delete(roleplayStudyItems).where(eq(roleplayStudyItems.id, item.id))
        await renumber(tx, assignment.id)
        return { ok: true }
      })
    case 'move':
      return db.transaction(async (tx) => {
        const { item, assignment } = await itemWithAssignment(tx, input.itemId)
        await requireStaff(actor, assignment, tx)
        await tx.execute(sql`select id from roleplay_assignments where id = ${assignment.id} for update`)
        await renumber(tx, assignment.id)
        const [current] = await tx.select().from(roleplayStudyItems).where(eq(roleplayStudyItems.id, item.id))
        const target = current.position + (input.direction === 'up' ? -1 : 1)
        const [other] = await tx
          .select()
          .from(roleplayStudyItems)
          .where(and(eq(roleplayStudyItems.assignmentId, assignment.id), eq(roleplayStudyItems.position, target)))
        if (!other) return { ok: true }
        await tx.update(roleplayStudyItems).set({ position: target }).where(eq(roleplayStudyItems.id, current.id))
        await tx.update(roleplayStudyItems).set({ position: current.position }).where(eq(roleplayStudyItems.id, other.id))
        return { ok: true }
      })
  }
}

/** Who may read a self-study file: the members of a group whose pack holds it, and that cohort's staff. */
export async function maySeeStudyFile(user: CurrentUser, file: Pick<StoredFile, 'id'>) {
  const rows = parseRows(
    z.object({ cohort_id: column.text, member: column.boolean }),
    await db.execute(sql`
      select a.cohort_id, exists (select 1 from study_group_members gm where gm.group_id = a.group_id and gm.user_id = ${user.id}) as member
      from roleplay_study_items i join roleplay_assignments a on a.id = i.assignment_id
      where i.kind = 'file' and i.ref = ${file.id}`),
  )
  if (rows.some((r) => r.member)) return true
  for (const cohortId of new Set(rows.map((r) => r.cohort_id))) if (await isCohortStaff(user, cohortId)) return true
  return false
}

/**
 * Records that a member opened an item (the first time only) and says where it leads. Staff
 * opening an item only follow the link: nothing is recorded for them.
 */
export async function openStudyItem(actor: CurrentUser, itemId: string, now = new Date()) {
  const { item, assignment } = await itemWithAssignment(db, itemId)
  const { member } = await requireStudyAccess(actor, assignment.id)
  const [view] = await packItems(db, [assignment.id]).then((items) => items.filter((i) => i.id === item.id))
  if (member) await db.insert(roleplayStudyProgress).values({ itemId: item.id, userId: actor.id, openedAt: now }).onConflictDoNothing()
  return { href: view?.href ?? null, assignmentId: assignment.id }
}

/** A member marks a file as read (lessons and videos finish in their own players). */
export async function finishStudyItem(actor: CurrentUser, itemId: string, now = new Date()): Promise<StudyResult> {
  const { item, assignment } = await itemWithAssignment(db, itemId)
  const { member } = await requireStudyAccess(actor, assignment.id)
  if (!member) throw notFound()
  if (item.kind !== 'file') return { ok: false, error: 'roleplayStudy.errors.finishInPlayer' }
  await db
    .insert(roleplayStudyProgress)
    .values({ itemId: item.id, userId: actor.id, openedAt: now, finishedAt: now })
    .onConflictDoUpdate({
      target: [roleplayStudyProgress.itemId, roleplayStudyProgress.userId],
      set: { finishedAt: sql`coalesce(${roleplayStudyProgress.finishedAt}, excluded.finished_at)` },
    })
  return { ok: true }
}

/**
 * Writes down finishes that happened elsewhere (a lesson completed in the course player, a video
 * watched through) as the pack's own finishedAt, for the given assignments and optionally one person.
 * Opening is recorded at the same time when the member went straight to the lesson.
 */
export async function recordStudyFinishes(executor: Executor, assignmentIds: string[], userId?: string) {
  if (assignmentIds.length === 0) return 0
  const rows = parseRows(
    z.object({ item_id: column.text }),
    await executor.execute(sql`
      insert into roleplay_study_progress (item_id, user_id, opened_at, finished_at)
      select st.item_id, st.user_id, coalesce(st.opened_at, st.finished_at), st.finished_at
      from (${studyStateSql(
        sql`a.id in (${sql.join(
          assignmentIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}) ${userId ? sql`and gm.user_id = ${userId}` : sql``}`,
      )}) st
      where st.finished_at is not null
      on conflict (item_id, user_id) do update set finished_at = excluded.finished_at
        where roleplay_study_progress.finished_at is null
      returning item_id`),
  )
  return rows.length
}

export type MyStudyItem = StudyItemView & { openedAt: Date | null; finishedAt: Date | null }

/** A member's view of their group's pack (staff see the items without progress). */
export async function studyPackFor(actor: CurrentUser, assignmentId: string) {
  const { assignment, member, staff } = await requireStudyAccess(actor, assignmentId)
  if (member) await recordStudyFinishes(db, [assignment.id], actor.id)
  const items = await packItems(db, [assignment.id])
  const progress = member
    ? await db
        .select()
        .from(roleplayStudyProgress)
        .where(
          and(
            eq(roleplayStudyProgress.userId, actor.id),
            sql`${roleplayStudyProgress.itemId} in (select id from roleplay_study_items where assignment_id = ${assignment.id})`,
          ),
        )
    : []
  const byItem = new Map(progress.map((p) => [p.itemId, p]))
  const mine: MyStudyItem[] = items.map((i) => ({ ...i, openedAt: byItem.get(i.id)?.openedAt ?? null, finishedAt: byItem.get(i.id)?.finishedAt ?? null }))
  const [scenario] = parseRows(
    z.object({ title: column.localized, starts_at: column.dateOrNull, group_name: column.text }),
    await db.execute(sql`
      select sc.title, s.starts_at, g.name as group_name from roleplay_assignments a
      join roleplay_scenarios sc on sc.id = a.scenario_id
      join study_groups g on g.id = a.group_id
      left join sessions s on s.id = a.session_id
      where a.id = ${assignment.id}`),
  )
  return {
    assignment: { id: assignment.id, groupId: assignment.groupId, sessionId: assignment.sessionId, dueAt: assignment.dueAt },
    scenarioTitle: scenario.title,
    groupName: scenario.group_name,
    startsAt: scenario.starts_at,
    member,
    staff,
    items: mine,
    finished: mine.filter((i) => i.finishedAt).length,
  }
}

export type GridCell = { openedAt: Date | null; finishedAt: Date | null }
export type StudyGridGroup = {
  assignmentId: string
  groupId: string
  groupName: string
  scenarioTitle: Localized
  items: StudyItemView[]
  members: { userId: string; name: string; cells: Record<string, GridCell>; finished: number }[]
}

/**
 * For the cohort's staff: every role-play group of the session's cohort with its pack and a
 * member × item grid of who opened and who finished what. The cells are one query for all groups.
 */
export async function studyGrid(actor: CurrentUser, sessionId: string): Promise<{ cohortId: string; groups: StudyGridGroup[] }> {
  if (!isUuid(sessionId)) throw notFound()
  const [session] = await db.select({ cohortId: sessions.cohortId }).from(sessions).where(eq(sessions.id, sessionId))
  if (!session) throw notFound()
  // Role-play groups live in a cohort; a session outside one has none (and others learn nothing).
  if (!session.cohortId || !(await isCohortStaff(actor, session.cohortId))) throw notFound()
  const cohortId = session.cohortId
  const assignments = parseRows(
    z.object({ id: column.text, group_id: column.text, group_name: column.text, title: column.localized }),
    await db.execute(sql`
      select a.id, a.group_id, g.name as group_name, sc.title from roleplay_assignments a
      join study_groups g on g.id = a.group_id join roleplay_scenarios sc on sc.id = a.scenario_id
      where a.cohort_id = ${cohortId} order by g.position, g.name`),
  )
  const items = await packItems(
    db,
    assignments.map((a) => a.id),
  )
  const cells = parseRows(
    z.object({
      assignment_id: column.text,
      user_id: column.text,
      name: column.text,
      item_id: column.textOrNull,
      opened_at: column.dateOrNull,
      finished_at: column.dateOrNull,
    }),
    await db.execute(sql`
      select a.id as assignment_id, gm.user_id, u.name, i.id as item_id, p.opened_at, ${studyFinishedAtSql(sql`gm.user_id`)} as finished_at
      from roleplay_assignments a
      join study_group_members gm on gm.group_id = a.group_id
      join users u on u.id = gm.user_id
      left join roleplay_study_items i on i.assignment_id = a.id
      left join roleplay_study_progress p on p.item_id = i.id and p.user_id = gm.user_id
      where a.cohort_id = ${cohortId}
      order by u.name, u.id, i.position`),
  )
  const groups = assignments.map<StudyGridGroup>((a) => ({
    assignmentId: a.id,
    groupId: a.group_id,
    groupName: a.group_name,
    scenarioTitle: a.title,
    items: items.filter((i) => i.assignmentId === a.id),
    members: [],
  }))
  const byAssignment = new Map(groups.map((g) => [g.assignmentId, g]))
  for (const c of cells) {
    const group = byAssignment.get(c.assignment_id)
    if (!group) continue
    let member = group.members.find((m) => m.userId === c.user_id)
    if (!member) {
      member = { userId: c.user_id, name: c.name, cells: {}, finished: 0 }
      group.members.push(member)
    }
    if (!c.item_id) continue
    const cell = { openedAt: c.opened_at, finishedAt: c.finished_at }
    member.cells[c.item_id] = cell
    if (cell.finishedAt) member.finished++
  }
  return { cohortId, groups }
}

/** What the trainer can put in a pack: lessons of published courses and ready library videos (files are uploaded). */
export async function studyChoices() {
  const [lessons, videoRows] = await Promise.all([
    parseRows(
      z.object({ id: column.text, title: column.localized, course: column.localized, kind: column.text }),
      await db.execute(sql`
        select m.id, m.title, c.title as course, m.kind::text as kind from course_modules m join courses c on c.id = m.course_id
        where m.retired_at is null and c.status = 'published' and c.retired_at is null and m.kind::text = 'lesson'
        order by c.content_id, m.position limit 500`),
    ),
    db.select({ id: videos.id, title: videos.title }).from(videos).where(eq(videos.status, 'ready')).orderBy(asc(videos.id)).limit(500),
  ])
  return { lessons, videos: videoRows }
}
