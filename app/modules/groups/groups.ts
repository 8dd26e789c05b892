import { z } from 'zod'

export const Uuid = z.string({ required_error: 'errors.required' }).uuid('errors.invalid')

/** Forming groups: random or balanced (departments, optionally seniority), by group size or count. */
export const FormGroupsForm = z.object({
  intent: z.literal('form'),
  method: z.enum(['random', 'balanced']),
  by: z.enum(['size', 'count']),
  value: z.coerce.number({ invalid_type_error: 'errors.invalid' }).int('errors.invalid').min(1, 'groups.form.valueRange').max(100, 'groups.form.valueRange'),
  seniority: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()).default(false),
})
export type FormGroupsInput = z.infer<typeof FormGroupsForm>

/** Moving one person (by hand, drag-and-drop or the menu); no group means "not in a group". */
export const MoveMemberForm = z.object({
  intent: z.literal('move'),
  userId: Uuid,
  groupId: z.union([Uuid, z.literal('')]).transform((v) => v || null),
})
export const AddGroupForm = z.object({ intent: z.literal('add-group') })
export const RemoveGroupForm = z.object({ intent: z.literal('remove-group'), groupId: Uuid })

export const MessageForm = z.object({
  intent: z.literal('message'),
  body: z
    .string({ required_error: 'errors.required' })
    .trim()
    .min(1, 'errors.required')
    .max(2000, 'errors.tooLong')
    .refine((s) => !s.includes('\u0000'), 'errors.invalid'),
})

export type Candidate = { userId: string; name: string; department: string; seniority: number }

/**
 * Splits people into groups, sizes differing by at most one. `random` deals a shuffled list.
 * `balanced` places people one by one (more senior first when asked, then the largest
 * departments first) into the group that has the fewest of their department (and level),
 * then the fewest people, so every group gets a spread of departments and levels.
 */
export function distribute<T extends Candidate>(
  people: T[],
  options: { method: 'random' | 'balanced'; by: 'size' | 'count'; value: number; seniority?: boolean },
  random: () => number = Math.random,
): T[][] {
  if (people.length === 0) return []
  const count = Math.max(1, Math.min(people.length, options.by === 'count' ? options.value : Math.round(people.length / options.value) || 1))
  const groups: T[][] = Array.from({ length: count }, () => [])
  const shuffled = shuffle(people, random)
  if (options.method === 'random') {
    shuffled.forEach((p, i) => groups[i % count].push(p))
    return groups
  }
  const maxSize = Math.ceil(people.length / count)
  const deptSize = new Map<string, number>()
  for (const p of shuffled) deptSize.set(p.department, (deptSize.get(p.department) ?? 0) + 1)
  const ordered = [...shuffled].sort(
    (a, b) =>
      (options.seniority ? b.seniority - a.seniority : 0) ||
      deptSize.get(b.department)! - deptSize.get(a.department)! ||
      (a.department < b.department ? -1 : a.department > b.department ? 1 : 0),
  )
  for (const p of ordered) {
    let best = 0
    let bestKey: number[] | null = null
    groups.forEach((g, i) => {
      const key = [
        g.length >= maxSize ? 1 : 0,
        g.filter((m) => m.department === p.department).length,
        options.seniority ? g.filter((m) => m.seniority === p.seniority).length : 0,
        g.length,
      ]
      if (!bestKey || lexicographicallyLess(key, bestKey)) {
        bestKey = key
        best = i
      }
    })
    groups[best].push(p)
  }
  return groups
}

function lexicographicallyLess(a: number[], b: number[]) {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] < b[k]
  return false
}

function shuffle<T>(items: T[], random: () => number) {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j], copy[i]]
  }
  return copy
}
