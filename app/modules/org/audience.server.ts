import { SQL, sql, type SQLWrapper } from 'drizzle-orm'
import { inSubtree } from '#db/sql-helpers'
import type { Role } from '~/modules/auth/permissions'

/**
 * An audience — who a course is assigned to, who is invited to a session: the people holding
 * any of `roles` within the department subtree of `departmentId` (both filters when both are
 * given), plus the people listed in `userIds`. Each part is either a value from the app or an
 * SQL expression (a column of a stored audience, such as course_assignments.roles); a part that
 * is absent, empty or NULL is left out.
 */
export type Audience = {
  roles?: readonly Role[] | SQL | null
  departmentId?: string | SQL | null
  userIds?: readonly string[] | SQL | null
}

/** `departmentId` (a person's) lies in the subtree of department `rootId`. Names are taken literally. */
export function inDepartmentSubtree(departmentId: SQLWrapper, rootId: string | SQLWrapper) {
  return sql`${departmentId} in (
    select d.id from departments d join departments root on root.id = ${rootId}
    where ${inSubtree(sql`d.path`, sql`root.path`)})`
}

/** SQL that is true when the person (their id and department columns) belongs to the audience. */
export function audienceCondition(person: { id: SQLWrapper; departmentId: SQLWrapper }, audience: Audience): SQL {
  const { roles, departmentId, userIds } = audience
  const given = (part: unknown) => (part instanceof SQL ? sql`${part} is not null` : part && (!Array.isArray(part) || part.length > 0) ? sql`true` : sql`false`)
  const hasRole =
    roles instanceof SQL
      ? sql`(${roles} is null or exists (select 1 from user_roles ur where ur.user_id = ${person.id} and ur.role = any(${roles})))`
      : roles?.length
        ? sql`exists (select 1 from user_roles ur where ur.user_id = ${person.id} and ur.role in ${roles})`
        : sql`true`
  const inDepartment =
    departmentId instanceof SQL
      ? sql`(${departmentId} is null or ${inDepartmentSubtree(person.departmentId, departmentId)})`
      : departmentId
        ? inDepartmentSubtree(person.departmentId, departmentId)
        : sql`true`
  const listed =
    userIds instanceof SQL ? sql`${person.id} = any(coalesce(${userIds}, '{}'::uuid[]))` : userIds?.length ? sql`${person.id} in ${userIds}` : sql`false`
  return sql`(${listed} or ((${given(roles)} or ${given(departmentId)}) and ${hasRole} and ${inDepartment}))`
}
