import { z } from 'zod'
import type { Rubric, RubricCriterion } from '#db/schema/assignments'

/**
 * HR's structured rubric editor (shared by browser and server): criteria as a conform field list,
 * each with its levels (labels in both languages and points, lowest first). Add, remove and move
 * are conform intent buttons, so they work without JavaScript. Messages are i18n keys at the field.
 */
export const MAX_CRITERIA = 20
export const MAX_LEVELS = 10

const Text = (max: number) => z.string({ required_error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.tooLong')

export const LevelForm = z.object({
  labelEn: Text(100),
  labelZh: Text(100),
  points: z.coerce
    .number({ required_error: 'cases.rubric.pointsRange', invalid_type_error: 'cases.rubric.pointsRange' })
    .int('cases.rubric.pointsRange')
    .min(0, 'cases.rubric.pointsRange')
    .max(100, 'cases.rubric.pointsRange'),
})
export type LevelFormValue = z.infer<typeof LevelForm>

export const CriterionForm = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .optional(),
  titleEn: Text(200),
  titleZh: Text(200),
  levels: z.array(LevelForm, { required_error: 'cases.rubric.twoLevels' }).min(2, 'cases.rubric.twoLevels').max(MAX_LEVELS, 'cases.rubric.tooManyLevels'),
})
export type CriterionFormValue = z.infer<typeof CriterionForm>

export const RubricEditorForm = z
  .object({
    rubricId: z.string().uuid().optional(),
    // The "save as a new rubric" button: the edited rubric stays as it was (it may have graded work).
    saveAs: z.literal('new').optional(),
    nameEn: Text(200),
    nameZh: Text(200),
    criteria: z
      .array(CriterionForm, { required_error: 'cases.rubric.oneCriterion' })
      .min(1, 'cases.rubric.oneCriterion')
      .max(MAX_CRITERIA, 'cases.rubric.tooManyCriteria'),
    minPercent: z.coerce
      .number({ invalid_type_error: 'errors.invalid' })
      .int('errors.invalid')
      .min(50, 'cases.rubric.minRange')
      .max(100, 'cases.rubric.minRange'),
    maxPercent: z.coerce
      .number({ invalid_type_error: 'errors.invalid' })
      .int('errors.invalid')
      .min(100, 'cases.rubric.maxRange')
      .max(150, 'cases.rubric.maxRange'),
  })
  .superRefine((v, ctx) => {
    for (const [i, c] of v.criteria.entries()) {
      // Levels go from worst to best: each worth more than the one before.
      for (let l = 1; l < c.levels.length; l++) {
        if (c.levels[l].points <= c.levels[l - 1].points) {
          ctx.addIssue({ code: 'custom', path: ['criteria', i, 'levels', l, 'points'], message: 'cases.rubric.pointsAscending' })
        }
      }
    }
    if (v.criteria.length > 0 && v.criteria.every((c) => Math.max(0, ...c.levels.map((l) => l.points)) === 0)) {
      ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'cases.rubric.noPoints' })
    }
  })
export type RubricEditorValue = z.infer<typeof RubricEditorForm>

export const newLevel: Partial<LevelFormValue> = { labelEn: '', labelZh: '' }
export const newCriterion = {
  titleEn: '',
  titleZh: '',
  levels: [
    { labelEn: 'Weak', labelZh: '较弱', points: 0 },
    { labelEn: 'Strong', labelZh: '较强', points: 10 },
  ],
}

/** The form's value → what a rubric row holds; criteria keep their ids, new ones get the next free `cN`. */
export function rubricFromForm(v: RubricEditorValue): Pick<Rubric, 'name' | 'criteria' | 'contributionMinPercent' | 'contributionMaxPercent'> {
  const taken = new Set(v.criteria.map((c) => c.id).filter(Boolean))
  let next = 1
  const criteria: RubricCriterion[] = v.criteria.map((c) => {
    let id = c.id
    if (!id) {
      while (taken.has(`c${next}`)) next++
      id = `c${next}`
      taken.add(id)
    }
    return {
      id,
      title: { en: c.titleEn, 'zh-CN': c.titleZh },
      levels: c.levels.map((l) => ({ label: { en: l.labelEn, 'zh-CN': l.labelZh }, points: l.points })),
    }
  })
  return { name: { en: v.nameEn, 'zh-CN': v.nameZh }, criteria, contributionMinPercent: v.minPercent, contributionMaxPercent: v.maxPercent }
}

/** A rubric row → the editor's starting value. */
export function rubricToForm(r: Pick<Rubric, 'id' | 'name' | 'criteria' | 'contributionMinPercent' | 'contributionMaxPercent'>) {
  return {
    rubricId: r.id,
    nameEn: r.name.en,
    nameZh: r.name['zh-CN'],
    minPercent: r.contributionMinPercent,
    maxPercent: r.contributionMaxPercent,
    criteria: r.criteria.map((c) => ({
      id: c.id,
      titleEn: c.title.en,
      titleZh: c.title['zh-CN'],
      levels: c.levels.map((l) => ({ labelEn: l.label.en, labelZh: l.label['zh-CN'], points: l.points })),
    })),
  }
}
