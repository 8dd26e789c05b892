/**
 * The course-module kinds: the registry every other list of kinds is derived from (content
 * schema, database enum check, authoring menu, placeholders). Client-safe: names and rules only.
 * Each kind also has a server file (kinds/<kind>.server.ts, listed in kinds/registry.server.ts)
 * and a view (app/components/courses/kinds/<kind>.tsx, listed in that folder's index.tsx);
 * both lists are typed against this one, so the compiler names a kind that is missing there.
 */
export const moduleKindRules = {
  lesson: { completion: 'read', ref: false },
  quiz: { completion: 'pass', ref: false },
  prep_sheet: { completion: 'share', ref: false },
  // Completed by another domain's records (watching the video, attending a session).
  video: { completion: 'linked', ref: true },
  session: { completion: 'linked', ref: true },
  // case_study completes from the group's submission and presentation (assignments domain);
  // roleplay when the group's review is released (roleplay domain).
  case_study: { completion: 'linked', ref: true },
  roleplay: { completion: 'linked', ref: true },
} as const satisfies Record<string, { completion: 'read' | 'pass' | 'share' | 'linked' | 'none'; ref: boolean }>

export type ModuleKind = keyof typeof moduleKindRules
export const moduleKinds = Object.keys(moduleKindRules) as [ModuleKind, ...ModuleKind[]]

const kindsWhere = (test: (rule: (typeof moduleKindRules)[ModuleKind]) => boolean) => moduleKinds.filter((k) => test(moduleKindRules[k]))

/** Kinds whose feature does not exist yet. */
export const placeholderKinds: ModuleKind[] = kindsWhere((r) => (r.completion as string) === 'none')
/** Kinds completed by another feature's records: watching a video, attending a session. */
export const linkedKinds = kindsWhere((r) => r.completion === 'linked')

export function isPlaceholder(kind: string) {
  return (placeholderKinds as readonly string[]).includes(kind)
}
/** Kinds whose module names something else by `ref`: a video, a session programme, a case, a scenario. */
export function hasRef(kind: string) {
  return kind in moduleKindRules && moduleKindRules[kind as ModuleKind].ref
}
