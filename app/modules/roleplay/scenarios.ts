import { z } from 'zod'
import { ContentId, LocalizedText, reportDuplicates } from '~/modules/courses/content-schema'
import { requiredText } from '~/shared/validation'

/** The ten follow-up key points (/work/shared/DOMAIN.md); their names are messages `roleplays.keyPoint.<n>`. */
export const keyPointNumbers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const

export const MIN_ROLES = 2
export const MAX_ROLES = 3

const KeyPoints = z
  .array(z.number({ invalid_type_error: 'must be a number 1–10' }).int('must be a whole number').min(1, 'must be 1–10').max(10, 'must be 1–10'), {
    required_error: 'is required (the key points 1–10 the group must show)',
    invalid_type_error: 'must be a list of key points, e.g. [2, 5, 7]',
  })
  .min(1, 'name at least one key point')
  .refine((points) => new Set(points).size === points.length, 'a key point is listed twice')

const RoleFile = z
  .object(
    {
      id: ContentId,
      name: LocalizedText,
      /** Private: only the member who plays the role sees it before the skit is done. */
      brief: LocalizedText,
    },
    { invalid_type_error: 'a role is an object with id, name and brief' },
  )
  .strict()

/** content/roleplays/<id>.yaml (docs/content-format.md, "Role-play scenarios"). */
export const ScenarioFileSchema = z
  .object({
    id: ContentId,
    keyPoints: KeyPoints,
    title: LocalizedText,
    /** Shared with the whole group. */
    situation: LocalizedText,
    roles: z
      .array(RoleFile, { required_error: 'is required (two or three roles)', invalid_type_error: 'must be a list of roles' })
      .min(MIN_ROLES, 'give two or three roles')
      .max(MAX_ROLES, 'give two or three roles')
      .superRefine((roles, ctx) =>
        reportDuplicates(
          roles.map((r) => r.id),
          ctx,
          'role id',
          (i) => [i, 'id'],
        ),
      ),
    /** For trainers and observers; never shown to the players. */
    observerNotes: LocalizedText,
  })
  .strict()
export type ScenarioFile = z.infer<typeof ScenarioFileSchema>
export type ScenarioRole = ScenarioFile['roles'][number]

/** A role in HR's editor: the id is kept for existing roles (castings refer to it), new roles get one. */
const RoleForm = z.object({
  id: z
    .string()
    .max(60, 'errors.invalid')
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'errors.invalid')
    .optional(),
  nameEn: requiredText(120),
  nameZh: requiredText(120),
  briefEn: requiredText(10_000),
  briefZh: requiredText(10_000),
})

/** An empty optional slot (the third role) is no role. */
function dropEmptyOptionalRoles(value: unknown) {
  if (!Array.isArray(value)) return value
  const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '')
  return value.filter((role, index) => {
    if (index < MIN_ROLES) return true
    if (role === undefined || role === null) return false
    if (typeof role !== 'object') return true
    const r = role as Record<string, unknown>
    return !(blank(r.nameEn) && blank(r.nameZh) && blank(r.briefEn) && blank(r.briefZh))
  })
}

/** HR's scenario editor (conform: `roles[0].nameEn` …). */
export const ScenarioForm = z.object({
  intent: z.literal('save'),
  keyPoints: z.preprocess(
    (v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]),
    z.array(z.coerce.number().int().min(1).max(10)).min(1, 'roleplays.editor.keyPointsRequired'),
  ),
  titleEn: requiredText(200),
  titleZh: requiredText(200),
  situationEn: requiredText(20_000),
  situationZh: requiredText(20_000),
  roles: z.preprocess(
    dropEmptyOptionalRoles,
    z
      .array(RoleForm, { required_error: 'roleplays.editor.rolesCount' })
      .min(MIN_ROLES, 'roleplays.editor.rolesCount')
      .max(MAX_ROLES, 'roleplays.editor.rolesCount'),
  ),
  notesEn: requiredText(10_000),
  notesZh: requiredText(10_000),
})
export type ScenarioFormValue = z.infer<typeof ScenarioForm>

/** Retiring a scenario hides it from the library and from new assignments; groups that have it keep it. */
export const RetireScenarioForm = z.object({ intent: z.literal('retire') })

/** Bringing a retired scenario back into the library (it stays HR's: its file does not take over again). */
export const RestoreScenarioForm = z.object({ intent: z.literal('restore') })

/** The library's filter (a GET query: anything else is no filter). */
export const ScenarioFilter = z.object({
  keyPoint: z.coerce.number().int().min(1).max(10).optional().catch(undefined),
})
