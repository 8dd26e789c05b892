import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Executor } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { checkInConfirmations, checkIns, departments, followUpPlans, users } from '#db/schema'
import { isUuid } from '#db/sql-helpers'
import { audit } from '~/modules/audit/audit.server'
import { assertCan, deny } from '~/modules/auth/authorize.server'
import { can, type CurrentUser } from '~/modules/auth/permissions'
import { isContentReader, sharedPrepSheetFor } from './access.server'
import { addDays, dayIn, ON_TIME_GRACE_DAYS, type CheckInText, type PlanInput } from './followup'

const notFound = () => new Response('Not found', { status: 404 })

const IdRow = z.object({ id: column.text })

/**
 * A planned check-in left unheld until the next one is due becomes `missed`, and the plan's
 * next check-in opens on its schedule. A draft already typed into it moves to the next one, so
 * nothing typed is lost. Repeats until every plan is current (a long gap leaves one missed
 * check-in per planned date, which is what adherence counts).
 */
export async function rollMissedCheckIns(executor: Executor, today: string, managerId?: string) {
  let rolled = 0
  for (let i = 0; i < 400; i++) {
    const rows = parseRows(
      IdRow,
      await executor.execute(sql`
        with old as (
          select c.id, c.plan_id, c.manager_id, c.employee_id, c.due_on + p.frequency_days as next_due,
            c.progress, c.obstacles, c.agreed_actions, c.feedback_given, c.employee_input
          from ${checkIns} c join ${followUpPlans} p on p.id = c.plan_id and p.archived_at is null
          where c.status = 'planned' and c.due_on + p.frequency_days < ${today}::date
            ${managerId ? sql`and c.manager_id = ${managerId}` : sql``}
          limit 1000
        ),
        missed as (
          update ${checkIns} c set status = 'missed', progress = '', obstacles = '', agreed_actions = '', feedback_given = '',
            employee_input = '', updated_at = now()
          from old where old.id = c.id
          returning c.id
        )
        insert into ${checkIns} (plan_id, manager_id, employee_id, due_on, progress, obstacles, agreed_actions, feedback_given, employee_input)
        select old.plan_id, old.manager_id, old.employee_id, old.next_due, old.progress, old.obstacles, old.agreed_actions, old.feedback_given, old.employee_input
        from old join missed on missed.id = old.id
        returning id`),
    )
    rolled += rows.length
    if (rows.length === 0) break
  }
  return rolled
}

async function requireManagerOf(actor: CurrentUser, employeeId: string, executor: Executor = db) {
  await assertCan(actor, 'manage:follow-up:team')
  if (!isUuid(employeeId)) throw notFound()
  const [employee] = await executor
    .select({ id: users.id, name: users.name, email: users.email, managerId: users.managerId, locale: users.locale })
    .from(users)
    .where(and(eq(users.id, employeeId), eq(users.active, true)))
  if (!employee) throw notFound()
  if (employee.managerId !== actor.id) await deny(actor, 'manage:follow-up:team', { employeeId })
  return employee
}

/** A direct report; the plan and the next check-in are left joined, so null when there is none. */
const TeamFollowUpRow = z.object({
  id: column.text,
  name: column.text,
  department: column.textOrNull,
  plan_id: column.textOrNull,
  frequency_days: column.numberOrNull,
  channel: column.textOrNull,
  next_id: column.textOrNull,
  /** YYYY-MM-DD */
  next_due: column.textOrNull,
  has_draft: column.boolean.nullable(),
  last_held: column.textOrNull,
  held: column.number,
  confirmed: column.number,
})

/** The manager's team: each direct report with their plan, next check-in and last held one. */
export async function listTeamFollowUp(actor: CurrentUser, now = new Date()) {
  await assertCan(actor, 'manage:follow-up:team')
  // A read: missed check-ins are rolled by the hourly reminders job (sendFollowUpReminders), not by page views.
  const today = dayIn(now)
  const rows = parseRows(
    TeamFollowUpRow,
    await db.execute(sql`
      select u.id, u.name, d.path as department, p.id as plan_id, p.frequency_days, p.channel::text as channel,
        n.id as next_id, n.due_on::text as next_due,
        (n.progress <> '' or n.obstacles <> '' or n.agreed_actions <> '' or n.feedback_given <> '' or n.employee_input <> '') as has_draft,
        (select max(c.held_on)::text from ${checkIns} c where c.employee_id = u.id and c.manager_id = ${actor.id} and c.status = 'held') as last_held,
        (select count(*)::int from ${checkIns} c where c.employee_id = u.id and c.manager_id = ${actor.id} and c.status = 'held') as held,
        (select count(*)::int from ${checkIns} c join ${checkInConfirmations} cf on cf.check_in_id = c.id and cf.happened
          where c.employee_id = u.id and c.manager_id = ${actor.id}) as confirmed
      from ${users} u
      left join ${departments} d on d.id = u.department_id
      left join ${followUpPlans} p on p.employee_id = u.id and p.manager_id = ${actor.id} and p.archived_at is null
      left join ${checkIns} n on n.plan_id = p.id and n.status = 'planned'
      where u.manager_id = ${actor.id} and u.active
      order by u.name`),
  )
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    department: r.department,
    plan: r.plan_id && r.frequency_days !== null && r.channel !== null ? { id: r.plan_id, frequencyDays: r.frequency_days, channel: r.channel } : null,
    next:
      r.next_id && r.next_due !== null
        ? { id: r.next_id, dueOn: r.next_due, overdue: addDays(r.next_due, ON_TIME_GRACE_DAYS) < today, hasDraft: Boolean(r.has_draft) }
        : null,
    lastHeld: r.last_held,
    held: r.held,
    confirmed: r.confirmed,
  }))
}

/** Creates or changes the plan for a direct report; the next check-in moves to `nextDueOn`. */
export async function savePlan(actor: CurrentUser, input: PlanInput, ip?: string) {
  // Checked before the transaction: a denial is audited through `db`, which would wait on it (PGlite).
  await requireManagerOf(actor, input.employeeId)
  return db.transaction(async (tx) => {
    const [plan] = await tx
      .insert(followUpPlans)
      .values({ managerId: actor.id, employeeId: input.employeeId, frequencyDays: input.frequencyDays, channel: input.channel, notes: input.notes })
      .onConflictDoUpdate({
        target: [followUpPlans.managerId, followUpPlans.employeeId],
        set: { frequencyDays: input.frequencyDays, channel: input.channel, notes: input.notes, archivedAt: null, updatedAt: sql`now()` },
      })
      .returning()
    const [open] = await tx
      .select()
      .from(checkIns)
      .where(and(eq(checkIns.planId, plan.id), eq(checkIns.status, 'planned')))
    if (!open) await tx.insert(checkIns).values({ planId: plan.id, managerId: actor.id, employeeId: input.employeeId, dueOn: input.nextDueOn })
    else if (open.dueOn !== input.nextDueOn)
      await tx
        .update(checkIns)
        .set({ dueOn: input.nextDueOn, updatedAt: sql`now()` })
        .where(eq(checkIns.id, open.id))
    if (!open || open.dueOn !== input.nextDueOn) {
      await tx
        .update(followUpPlans)
        .set({ calendarSequence: sql`${followUpPlans.calendarSequence} + 1` })
        .where(eq(followUpPlans.id, plan.id))
    }
    await audit({ actorId: actor.id, action: 'follow_up.plan_saved', entityType: 'follow_up_plan', entityId: plan.id, after: input, ip }, tx)
    return { ok: true as const, planId: plan.id }
  })
}

/** Ends a plan; its history stays. An unheld next check-in is dropped (a draft in it stays on the row, unlisted). */
export async function archivePlan(actor: CurrentUser, planId: string, ip?: string) {
  await assertCan(actor, 'manage:follow-up:team')
  const [plan] = await db.select().from(followUpPlans).where(eq(followUpPlans.id, planId))
  if (!plan) throw notFound()
  if (plan.managerId !== actor.id) await deny(actor, 'manage:follow-up:team', { planId })
  return db.transaction(async (tx) => {
    await tx
      .update(followUpPlans)
      .set({ archivedAt: sql`now()`, calendarSequence: sql`${followUpPlans.calendarSequence} + 1` })
      .where(eq(followUpPlans.id, planId))
    await tx
      .delete(checkIns)
      .where(
        and(
          eq(checkIns.planId, planId),
          eq(checkIns.status, 'planned'),
          sql`${checkIns.progress} = '' and ${checkIns.obstacles} = '' and ${checkIns.agreedActions} = '' and ${checkIns.feedbackGiven} = '' and ${checkIns.employeeInput} = ''`,
        ),
      )
    await audit({ actorId: actor.id, action: 'follow_up.plan_archived', entityType: 'follow_up_plan', entityId: planId, ip }, tx)
    return { ok: true as const }
  })
}

const contentColumns = {
  id: checkIns.id,
  planId: checkIns.planId,
  managerId: checkIns.managerId,
  employeeId: checkIns.employeeId,
  status: checkIns.status,
  dueOn: checkIns.dueOn,
  heldOn: checkIns.heldOn,
  progress: checkIns.progress,
  obstacles: checkIns.obstacles,
  agreedActions: checkIns.agreedActions,
  feedbackGiven: checkIns.feedbackGiven,
  employeeInput: checkIns.employeeInput,
  updatedAt: checkIns.updatedAt,
  happened: checkInConfirmations.happened,
  confirmedAt: checkInConfirmations.confirmedAt,
}

/**
 * One direct report's follow-up for their manager: plan, next check-in with its draft, the
 * history with contents, and the preparation sheet the employee shared. HR admins holding a
 * content grant read the history (of every manager) without the plan form or the prep sheet.
 */
export async function getEmployeeFollowUp(actor: CurrentUser, employeeId: string, now = new Date()) {
  if (!isUuid(employeeId)) throw notFound()
  const [employee] = await db
    .select({ id: users.id, name: users.name, managerId: users.managerId, active: users.active })
    .from(users)
    .where(eq(users.id, employeeId))
  if (!employee) throw notFound()
  const isManager = employee.active && employee.managerId === actor.id && can(actor, 'manage:follow-up:team')
  if (!isManager && !(await isContentReader(actor))) await deny(actor, 'read:follow-up-content:granted', { employeeId })
  // An HR admin reading contents with a grant leaves a trace, as on the manager's list (listManagerCheckIns).
  if (!isManager) await audit({ actorId: actor.id, action: 'follow_up.contents_read', entityType: 'user', entityId: employeeId })
  const today = dayIn(now)
  const [plan] = isManager
    ? await db
        .select()
        .from(followUpPlans)
        .where(and(eq(followUpPlans.managerId, actor.id), eq(followUpPlans.employeeId, employeeId), sql`${followUpPlans.archivedAt} is null`))
    : []
  const history = await db
    .select({ ...contentColumns, managerName: users.name })
    .from(checkIns)
    .innerJoin(users, eq(users.id, checkIns.managerId))
    .leftJoin(checkInConfirmations, eq(checkInConfirmations.checkInId, checkIns.id))
    .where(and(eq(checkIns.employeeId, employeeId), inArray(checkIns.status, ['held', 'missed']), isManager ? eq(checkIns.managerId, actor.id) : sql`true`))
    .orderBy(desc(checkIns.dueOn))
  const [next] = plan
    ? await db
        .select()
        .from(checkIns)
        .where(and(eq(checkIns.planId, plan.id), eq(checkIns.status, 'planned')))
    : []
  const prepSheet = isManager ? await sharedPrepSheetFor(actor, employeeId) : null
  return {
    employee: { id: employee.id, name: employee.name },
    canManage: isManager,
    today,
    plan: plan ? { id: plan.id, frequencyDays: plan.frequencyDays, channel: plan.channel, notes: plan.notes } : null,
    next: next ? { ...next, overdue: addDays(next.dueOn, ON_TIME_GRACE_DAYS) < today } : null,
    history,
    prepSheet,
  }
}

/** The permission check comes first, outside any transaction; then the row is locked inside it. */
async function assertManagesCheckIn(actor: CurrentUser, checkInId: string) {
  await assertCan(actor, 'manage:follow-up:team')
  const [row] = await db.select({ managerId: checkIns.managerId }).from(checkIns).where(eq(checkIns.id, checkInId))
  if (!row) throw notFound()
  if (row.managerId !== actor.id) await deny(actor, 'manage:follow-up:team', { checkInId })
}

async function lockCheckIn(tx: Executor, checkInId: string) {
  const [row] = await tx.select().from(checkIns).where(eq(checkIns.id, checkInId)).for('update')
  return row
}

/** Autosave of the check-in log being written. A check-in already logged keeps what was logged. */
export async function saveCheckInDraft(actor: CurrentUser, checkInId: string, text: CheckInText) {
  await assertManagesCheckIn(actor, checkInId)
  return db.transaction(async (tx) => {
    const row = await lockCheckIn(tx, checkInId)
    if (row.status !== 'planned') return { ok: false as const, error: 'followup.errors.alreadyLogged' }
    const [saved] = await tx
      .update(checkIns)
      .set({ ...text, updatedAt: sql`now()` })
      .where(eq(checkIns.id, checkInId))
      .returning({ updatedAt: checkIns.updatedAt })
    return { ok: true as const, savedAt: saved.updatedAt }
  })
}

/** Logs the check-in as held on `heldOn` (not in the future) and opens the next one after the plan's interval. */
export async function logCheckIn(actor: CurrentUser, checkInId: string, heldOn: string, text: CheckInText, now = new Date(), ip?: string) {
  await assertManagesCheckIn(actor, checkInId)
  if (heldOn > dayIn(now)) return { ok: false as const, field: 'heldOn' as const, error: 'followup.errors.future' }
  return db.transaction(async (tx) => {
    const row = await lockCheckIn(tx, checkInId)
    if (row.status !== 'planned') return { ok: false as const, field: null, error: 'followup.errors.alreadyLogged' }
    const [plan] = await tx.select().from(followUpPlans).where(eq(followUpPlans.id, row.planId))
    await tx
      .update(checkIns)
      .set({ ...text, status: 'held', heldOn, loggedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(checkIns.id, checkInId))
    if (!plan.archivedAt) {
      await tx.insert(checkIns).values({ planId: plan.id, managerId: row.managerId, employeeId: row.employeeId, dueOn: addDays(heldOn, plan.frequencyDays) })
      await tx
        .update(followUpPlans)
        .set({ calendarSequence: sql`${followUpPlans.calendarSequence} + 1` })
        .where(eq(followUpPlans.id, plan.id))
    }
    await audit({ actorId: actor.id, action: 'follow_up.check_in_logged', entityType: 'check_in', entityId: checkInId, after: { heldOn }, ip }, tx)
    return { ok: true as const }
  })
}

/** For HR admins with a content grant: every check-in a manager logged, with contents. */
export async function listManagerCheckIns(actor: CurrentUser, managerId: string) {
  if (!isUuid(managerId)) throw notFound()
  if (!(await isContentReader(actor))) await deny(actor, 'read:follow-up-content:granted', { managerId })
  const [manager] = await db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, managerId))
  if (!manager) throw notFound()
  await audit({ actorId: actor.id, action: 'follow_up.contents_read', entityType: 'user', entityId: managerId })
  const rows = await db
    .select({ ...contentColumns, employeeName: users.name })
    .from(checkIns)
    .innerJoin(users, eq(users.id, checkIns.employeeId))
    .leftJoin(checkInConfirmations, eq(checkInConfirmations.checkInId, checkIns.id))
    .where(and(eq(checkIns.managerId, managerId), eq(checkIns.status, 'held')))
    .orderBy(desc(checkIns.heldOn), asc(users.name))
  return { manager, checkIns: rows }
}
