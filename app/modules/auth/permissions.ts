import type { Role } from '#db/schema/org'

export type { Role }
export const roles = ['hr_admin', 'trainer', 'lecturer', 'manager', 'employee'] as const satisfies readonly Role[]

/** The signed-in person as every module sees them. */
export type CurrentUser = {
  id: string
  name: string
  email: string
  locale: 'zh-CN' | 'en' | null
  roles: Role[]
  departmentId: string | null
  managerId: string | null
  sessionId: string
}

/**
 * Permissions are `action:entity:scope`. Each lists the roles that hold it; scoped
 * checks (own team, own session) are made by the module with the resource at hand.
 */
export const grants = {
  'manage:people:all': ['hr_admin'],
  'import:org:all': ['hr_admin'],
  'read:outbox:all': ['hr_admin'],
  'read:audit:all': ['hr_admin'],
  'read:backups:all': ['hr_admin'],
  'manage:departments:all': ['hr_admin'],
  'read:people:team': ['manager', 'hr_admin'],
  // Classroom sessions. "own" scopes are narrowed by the sessions module to the session's trainers.
  'read:sessions:all': ['hr_admin', 'trainer'],
  'read:sessions:own': ['hr_admin', 'trainer', 'lecturer'],
  'manage:sessions:all': ['hr_admin'],
  'manage:sessions:own': ['hr_admin', 'trainer'],
  'manage:cohorts:all': ['hr_admin', 'trainer'],
  'mark:attendance:all': ['hr_admin'],
  'mark:attendance:own-session': ['hr_admin', 'trainer', 'lecturer'],
  // Attendance reports: HR sees everyone; managers their reporting line (direct and indirect);
  // trainers and lecturers the sessions they teach (narrowed by the attendance reports module).
  'read:attendance-reports:all': ['hr_admin'],
  'read:attendance-reports:team': ['manager', 'hr_admin'],
  'read:attendance-reports:own-session': ['hr_admin', 'trainer', 'lecturer'],
  'attend:sessions:own': ['hr_admin', 'trainer', 'lecturer', 'manager', 'employee'],
  // Reaction surveys: HR reads every result; trainers and lecturers only those of the sessions they teach.
  'read:surveys:all': ['hr_admin'],
  'read:surveys:own': ['hr_admin', 'trainer', 'lecturer'],
  // Briefing packs for external lecturers: HR writes them; the session's own trainers and lecturers read them.
  'manage:briefings:all': ['hr_admin'],
  'read:briefings:own-session': ['hr_admin', 'trainer', 'lecturer'],
  // Everyone signed in takes the courses assigned to them, and only sees their own enrolments.
  'take:courses:own': ['hr_admin', 'trainer', 'lecturer', 'manager', 'employee'],
  'assign:courses:all': ['hr_admin', 'trainer'],
  'read:progress:all': ['hr_admin', 'trainer'],
  // Scoped by the module to the manager's direct reports.
  'read:progress:team': ['manager', 'hr_admin'],
  'manage:courses:all': ['hr_admin'],
  // Teaching videos: learners watch; trainers and HR annotate, present, upload and read reports.
  'watch:videos:all': ['hr_admin', 'trainer', 'manager', 'employee'],
  'edit:videos:all': ['hr_admin', 'trainer'],
  'present:videos:all': ['hr_admin', 'trainer'],
  'upload:videos:all': ['hr_admin', 'trainer'],
  'read:video-reports:all': ['hr_admin', 'trainer'],
  // Follow-up (docs/follow-up-privacy.md): managers plan and log check-ins for their direct reports; everyone
  // with a manager confirms and rates their own; HR sees aggregates only, and check-in contents only
  // with a personal grant from another HR admin (checked by the follow-up module on top of the role).
  'manage:follow-up:team': ['manager'],
  'take:follow-up:own': ['hr_admin', 'trainer', 'manager', 'employee'],
  'read:follow-up-measures:all': ['hr_admin'],
  'read:follow-up-content:granted': ['hr_admin'],
  'grant:follow-up-content:all': ['hr_admin'],
  'import:team-results:all': ['hr_admin'],
  // Group case analysis: HR writes cases; trainers read them (trainer notes included) to run groups.
  // Groups, grading and presenting are scoped by the groups module to the cohort's trainers.
  'read:cases:all': ['hr_admin', 'trainer'],
  'manage:cases:all': ['hr_admin'],
  // Role-play scenario library: HR writes scenarios; trainers read them (every role's private brief and
  // the observer notes) to choose one for a group. Members see only their own role's brief, through the roleplay module.
  'read:roleplay-scenarios:all': ['hr_admin', 'trainer'],
  'manage:roleplay-scenarios:all': ['hr_admin'],
  // KPIs: HR sets policies, publishes and reads everything; a manager reads their own scorecard and
  // those below them (a department head their department's subtree), narrowed by the kpi module.
  'manage:kpi:all': ['hr_admin'],
  'read:kpi:all': ['hr_admin'],
  'read:kpi:team': ['manager', 'hr_admin'],
} as const satisfies Record<string, readonly Role[]>

export type Permission = keyof typeof grants

export function can(user: Pick<CurrentUser, 'roles'> | null | undefined, permission: Permission): boolean {
  if (!user) return false
  const allowed: readonly Role[] = grants[permission]
  return user.roles.some((role) => allowed.includes(role))
}

export function hasRole(user: Pick<CurrentUser, 'roles'> | null | undefined, role: Role) {
  return Boolean(user?.roles.includes(role))
}
