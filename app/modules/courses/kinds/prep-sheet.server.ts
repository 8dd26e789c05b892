import { notifyPrepSheetShared } from '~/modules/notifications/prep-sheets.server'
import { and, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Executor } from '#db/client.server'
import { prepSheets, users, type CourseModule } from '#db/schema'
import { audit } from '~/modules/audit/audit.server'
import type { CurrentUser } from '~/modules/auth/permissions'
import { moduleBase, PrepSheetFieldSchema, reportDuplicates } from '../content-schema'
import { PREP_FIELD_MAX } from '../courses'
import { findModule, inTransaction, notFound, touchProgress, writableContext } from '../learner.server'
import { defineModuleKind } from './kind.server'

/** A preparation sheet: fields the learner fills in (autosaved), completed by sharing it with their manager. */
export const PrepSheetModuleSchema = z
  .object({
    ...moduleBase,
    kind: z.literal('prep_sheet'),
    fields: z
      .array(PrepSheetFieldSchema, { required_error: 'are required', invalid_type_error: 'must be a list' })
      .min(1, 'a prep sheet needs at least one field')
      .superRefine((fields, ctx) =>
        reportDuplicates(
          fields.map((f) => f.id),
          ctx,
          'field id',
          (i) => [i, 'id'],
        ),
      ),
  })
  .strict()

async function prepSheetState(executor: Executor, user: CurrentUser, module: CourseModule) {
  const [sheet] = await executor
    .select()
    .from(prepSheets)
    .where(and(eq(prepSheets.userId, user.id), eq(prepSheets.moduleId, module.id)))
  const [manager] = user.managerId ? await executor.select({ name: users.name }).from(users).where(eq(users.id, user.managerId)) : []
  return {
    fields: module.settings.fields ?? [],
    answers: sheet?.answers ?? {},
    updatedAt: sheet?.updatedAt ?? null,
    sharedAt: sheet?.sharedWithManagerAt ?? null,
    managerName: manager?.name ?? null,
  }
}

export const prepSheet = defineModuleKind({
  kind: 'prep_sheet',
  content: PrepSheetModuleSchema,
  // The fields show in a preview too; the sheet itself only for the learner.
  state: {
    key: 'prepSheet',
    load: async ({ executor, user, module, preview }) => ({
      fields: module.settings.fields ?? [],
      sheet: preview ? null : await prepSheetState(executor, user, module),
    }),
  },
})

type PrepErrors = Record<string, string[]>

function cleanAnswers(fields: { id: string }[], raw: Record<string, unknown>) {
  const answers: Record<string, string> = {}
  const errors: PrepErrors = {}
  for (const field of fields) {
    const value = raw[field.id]
    const text = typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : ''
    if (text.length > PREP_FIELD_MAX) errors[field.id] = ['errors.tooLong']
    answers[field.id] = text
  }
  return { answers, errors }
}

/**
 * Saves the preparation sheet (autosave and the Save button). Fields that the sheet does not
 * have are ignored; a field over the length limit is refused and nothing is saved.
 */
export async function savePrepSheet(user: CurrentUser, courseKey: string, moduleKey: string, raw: Record<string, unknown>) {
  return inTransaction(user, async (tx) => {
    const { course, enrolment } = await writableContext(tx, user, courseKey)
    const module = await findModule(tx, course.id, moduleKey)
    if (module.kind !== 'prep_sheet') throw notFound()
    const { answers, errors } = cleanAnswers(module.settings.fields ?? [], raw)
    if (Object.keys(errors).length) return { ok: false as const, errors }
    const [sheet] = await tx
      .insert(prepSheets)
      .values({ userId: user.id, moduleId: module.id, enrolmentId: enrolment.id, answers })
      .onConflictDoUpdate({ target: [prepSheets.userId, prepSheets.moduleId], set: { answers, updatedAt: sql`now()` } })
      .returning()
    await touchProgress(tx, enrolment, module, {})
    return { ok: true as const, updatedAt: sheet.updatedAt, sharedAt: sheet.sharedWithManagerAt }
  })
}

/**
 * Saves and shares the sheet with the person's manager, which completes the module. Every field
 * must be filled in. Someone without a manager finishes the sheet without sharing it.
 */
export async function sharePrepSheet(user: CurrentUser, courseKey: string, moduleKey: string, raw: Record<string, unknown>, ip?: string) {
  return inTransaction(user, async (tx) => {
    const { course, enrolment } = await writableContext(tx, user, courseKey)
    const module = await findModule(tx, course.id, moduleKey)
    if (module.kind !== 'prep_sheet') throw notFound()
    const fields = module.settings.fields ?? []
    const { answers, errors } = cleanAnswers(fields, raw)
    for (const field of fields) if (!answers[field.id].trim() && !errors[field.id]) errors[field.id] = ['errors.required']
    if (Object.keys(errors).length) return { ok: false as const, errors }
    const [person] = await tx.select({ managerId: users.managerId }).from(users).where(eq(users.id, user.id))
    const managerId = person?.managerId ?? null
    const sharedAt = managerId ? new Date() : null
    // A snapshot for this manager: later drafts stay the employee's own until shared again.
    const shared = { sharedWithManagerAt: sharedAt, sharedAnswers: managerId ? answers : null, sharedWithManagerId: managerId }
    const [sheet] = await tx
      .insert(prepSheets)
      .values({ userId: user.id, moduleId: module.id, enrolmentId: enrolment.id, answers, ...shared })
      .onConflictDoUpdate({ target: [prepSheets.userId, prepSheets.moduleId], set: { answers, updatedAt: sql`now()`, ...shared } })
      .returning()
    await touchProgress(tx, enrolment, module, { complete: true })
    if (sharedAt) {
      await audit(
        { actorId: user.id, action: 'prep_sheet.shared', entityType: 'prep_sheet', entityId: sheet.id, after: { managerId: person.managerId }, ip },
        tx,
      )
      await notifyPrepSheetShared(tx, { sheetId: sheet.id, employeeId: user.id, sharedAt })
    }
    return { ok: true as const, shared: Boolean(sharedAt) }
  })
}
