import { sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import type { CurrentUser } from '~/modules/auth/permissions'
import { ContentId, moduleBase } from '../content-schema'
import { defineModuleKind } from './kind.server'

/**
 * The course-module kind `roleplay` completes for a person when the review of a role-play of a
 * group they are in is released (recorded or performed live). An optional `ref` names the
 * scenario (its content id); without one, any scenario counts. A scalar subquery for
 * linked-modules.server.ts (docs/decisions/034). Plain SQL on the role-play tables, so that the
 * courses domain does not import the role-play domain (which syncs modules on release).
 */
export function roleplayDoneAt(userId: SQL, ref: SQL): SQL {
  return sql`select min(r.released_at)
    from roleplay_assignments a
    join study_group_members gm on gm.group_id = a.group_id and gm.user_id = ${userId}
    join roleplay_reviews r on r.assignment_id = a.id and r.released_at is not null
    join roleplay_scenarios s on s.id = a.scenario_id
    where (${ref} is null or s.content_id = ${ref})`
}

/** What the module page shows: the person's groups with a role-play, and whether each is reviewed. */
export async function roleplayModuleState(user: Pick<CurrentUser, 'id'>, ref: string | null) {
  return parseRows(
    z.object({
      groupId: column.text,
      groupName: column.text,
      title: column.localized,
      dueAt: column.text,
      submitted: column.boolean,
      reviewed: column.boolean,
    }),
    await db.execute(sql`
      select g.id as "groupId", g.name as "groupName", s.title, to_json(a.due_at) #>> '{}' as "dueAt",
        (a.performed_live_at is not null or exists (select 1 from roleplay_recordings v where v.assignment_id = a.id and v.withdrawn_at is null and v.status = 'ready')) as submitted,
        exists (select 1 from roleplay_reviews r where r.assignment_id = a.id and r.released_at is not null) as reviewed
      from study_group_members gm
      join study_groups g on g.id = gm.group_id
      join roleplay_assignments a on a.group_id = g.id
      join roleplay_scenarios s on s.id = a.scenario_id
      where gm.user_id = ${user.id} and (${ref}::text is null or s.content_id = ${ref})
      order by a.due_at desc`),
  )
}

export const RoleplayModuleSchema = z
  .object({
    ...moduleBase,
    required: z.boolean({ invalid_type_error: 'must be true or false' }).default(false),
    kind: z.literal('roleplay'),
    ref: ContentId.optional(),
  })
  .strict()

export const roleplay = defineModuleKind({
  kind: 'roleplay',
  content: RoleplayModuleSchema,
  state: {
    key: 'roleplay',
    load: ({ user, module, preview }) => (preview ? Promise.resolve(null) : roleplayModuleState(user, module.settings.ref ?? null)),
  },
})
