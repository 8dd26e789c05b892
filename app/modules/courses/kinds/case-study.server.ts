import { sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import type { CurrentUser } from '~/modules/auth/permissions'
import { ContentId, moduleBase } from '../content-schema'
import { defineModuleKind } from './kind.server'

/**
 * The course-module kind `case-analysis` (stored as `case_study`): complete for a person when
 * a group they are in now has submitted (any version) and presented. An optional `ref` names
 * the case (its content id); without one, any case counts. Returns the completion instant
 * (when the later of the two happened), or null — as a scalar subquery for
 * linked-modules.server.ts, which keeps module_progress in line for every kind. Plain SQL on
 * the case-analysis tables, as for the role-play kind: the assignments domain builds on courses
 * (it syncs modules when a group submits or presents), so courses does not import it.
 */
export function caseAnalysisDoneAt(userId: SQL, ref: SQL): SQL {
  return sql`select min(greatest(a.presented_at, (select min(v.uploaded_at) from submission_versions v where v.assignment_id = a.id)))
    from group_assignments a
    join study_group_members gm on gm.group_id = a.group_id and gm.user_id = ${userId}
    join cases k on k.id = a.case_id
    where a.presented_at is not null
      and exists (select 1 from submission_versions v where v.assignment_id = a.id)
      and (${ref} is null or k.content_id = ${ref})`
}

/** What the module page shows: the person's groups with a case, and how far each is. */
export async function caseAnalysisModuleState(user: Pick<CurrentUser, 'id'>, ref: string | null) {
  return parseRows(
    z.object({
      groupId: column.text,
      groupName: column.text,
      caseTitle: column.localized,
      dueAt: column.text,
      submitted: column.boolean,
      presented: column.boolean,
    }),
    await db.execute(sql`
      select g.id as "groupId", g.name as "groupName", k.title as "caseTitle", to_json(a.due_at) #>> '{}' as "dueAt",
        exists (select 1 from submission_versions v where v.assignment_id = a.id) as submitted,
        a.presented_at is not null as presented
      from study_group_members gm
      join study_groups g on g.id = gm.group_id
      join group_assignments a on a.group_id = g.id
      join cases k on k.id = a.case_id
      where gm.user_id = ${user.id} and (${ref}::text is null or k.content_id = ${ref})
      order by a.due_at desc`),
  )
}

/**
 * Group case analysis: `ref` names the case programme. The module completes for a member when
 * their group has submitted and presented (docs/decisions/025); linked-modules.server.ts writes it.
 */
export const CaseStudyModuleSchema = z
  .object({
    ...moduleBase,
    required: z.boolean({ invalid_type_error: 'must be true or false' }).default(false),
    kind: z.literal('case_study'),
    ref: ContentId.optional(),
  })
  .strict()

export const caseStudy = defineModuleKind({
  kind: 'case_study',
  content: CaseStudyModuleSchema,
  state: {
    key: 'caseAnalysis',
    load: ({ user, module, preview }) => (preview ? Promise.resolve(null) : caseAnalysisModuleState(user, module.settings.ref ?? null)),
  },
})
