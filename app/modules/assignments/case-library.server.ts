import { and, asc, desc, eq, isNull } from 'drizzle-orm'
import { db } from '#db/client.server'
import { cases, grades, groupAssignments, rubrics, type Case, type Rubric } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import { assertCan } from '~/modules/auth/authorize.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { lines, type CaseFormValue } from './cases'

const notFound = () => new Response('Not found', { status: 404 })

/** The case library for HR and trainers (with the trainer-only notes). */
export async function listCases(actor: CurrentUser) {
  await assertCan(actor, 'read:cases:all')
  return db
    .select({
      id: cases.id,
      contentId: cases.contentId,
      source: cases.source,
      function: cases.function,
      title: cases.title,
      keyPoints: cases.keyPoints,
      editedAt: cases.editedAt,
    })
    .from(cases)
    .where(isNull(cases.retiredAt))
    .orderBy(asc(cases.function), asc(cases.contentId))
}

/** One case with its trainer notes: HR and trainers only. */
export async function getCase(actor: CurrentUser, caseId: string): Promise<Case> {
  await assertCan(actor, 'read:cases:all')
  if (!/^[0-9a-f-]{36}$/i.test(caseId)) throw notFound()
  const [row] = await db.select().from(cases).where(eq(cases.id, caseId))
  if (!row) throw notFound()
  return row
}

/** Writes a case in the browser (new, or an edit that the case file will no longer overwrite). HR only. */
export async function saveCase(actor: CurrentUser, caseId: string | null, input: CaseFormValue) {
  await assertCan(actor, 'manage:cases:all')
  const qEn = lines(input.questionsEn)
  const qZh = lines(input.questionsZh)
  if (qEn.length !== qZh.length) return { ok: false as const, errors: { questionsZh: ['cases.editor.questionsMismatch'] } }
  const values = {
    function: input.function,
    keyPoints: [...new Set(input.keyPoints)].sort((a, b) => a - b),
    title: { en: input.titleEn, 'zh-CN': input.titleZh },
    narrative: { en: input.narrativeEn, 'zh-CN': input.narrativeZh },
    questions: qEn.map((en, i) => ({ en, 'zh-CN': qZh[i] })),
    trainerNotes: { en: input.notesEn, 'zh-CN': input.notesZh },
    editedAt: new Date(),
    editedBy: actor.id,
  }
  return db.transaction(async (tx) => {
    if (caseId) {
      const [before] = await tx
        .select()
        .from(cases)
        .where(and(eq(cases.id, caseId), isNull(cases.retiredAt)))
      if (!before) throw notFound()
      await tx.update(cases).set(values).where(eq(cases.id, caseId))
      await audit(
        { actorId: actor.id, action: 'case.updated', entityType: 'case', entityId: caseId, before: { title: before.title }, after: { title: values.title } },
        tx,
      )
      return { ok: true as const, caseId }
    }
    const [row] = await tx
      .insert(cases)
      .values({ contentId: `browser-${crypto.randomUUID().slice(0, 8)}`, source: 'browser', ...values })
      .returning({ id: cases.id })
    await audit({ actorId: actor.id, action: 'case.created', entityType: 'case', entityId: row.id, after: { title: values.title } }, tx)
    return { ok: true as const, caseId: row.id }
  })
}

/** The rubrics (HR and trainers read them to choose one when assigning). */
export async function listRubrics(actor: CurrentUser) {
  await assertCan(actor, 'read:cases:all')
  return db.select().from(rubrics).orderBy(desc(rubrics.isDefault), asc(rubrics.createdAt))
}

/** HR defines a rubric: criteria with levels and points, and the contribution bounds. */
export async function createRubric(actor: CurrentUser, input: Pick<Rubric, 'name' | 'criteria' | 'contributionMinPercent' | 'contributionMaxPercent'>) {
  await assertCan(actor, 'manage:cases:all')
  const [row] = await db
    .insert(rubrics)
    .values({ ...input, createdBy: actor.id })
    .returning({ id: rubrics.id })
  await audit({ actorId: actor.id, action: 'rubric.created', entityType: 'rubric', entityId: row.id, after: { name: input.name } })
  return row
}

/**
 * HR edits a rubric. One that has graded a submission is refused ('inUse'): its grades name its
 * criteria and levels, so HR defines a new rubric instead. The default rubric is edited like any other.
 */
export async function updateRubric(
  actor: CurrentUser,
  rubricId: string,
  input: Pick<Rubric, 'name' | 'criteria' | 'contributionMinPercent' | 'contributionMaxPercent'>,
): Promise<{ ok: true } | { ok: false; error: 'inUse' }> {
  await assertCan(actor, 'manage:cases:all')
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(rubrics).where(eq(rubrics.id, rubricId)).for('update')
    if (!before) throw notFound()
    const [graded] = await tx
      .select({ id: grades.assignmentId })
      .from(grades)
      .innerJoin(groupAssignments, eq(groupAssignments.id, grades.assignmentId))
      .where(eq(groupAssignments.rubricId, rubricId))
      .limit(1)
    if (graded) return { ok: false as const, error: 'inUse' as const }
    await tx.update(rubrics).set(input).where(eq(rubrics.id, rubricId))
    await audit(
      {
        actorId: actor.id,
        action: 'rubric.updated',
        entityType: 'rubric',
        entityId: rubricId,
        before: { name: before.name, criteria: before.criteria },
        after: { name: input.name, criteria: input.criteria },
      },
      tx,
    )
    return { ok: true as const }
  })
}
