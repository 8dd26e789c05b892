import { describe, expect, it } from 'vitest'
import { createPerson, settle } from '../../../tests/setup/fixtures'
import { individualMark, RubricForm, rubricScore } from './assignments'
import { ensureDefaultRubric } from './assignments.server'
import { createRubric, listRubrics } from './case-library.server'

describe('HR-defined rubrics', () => {
  it('parses criteria lines into levels and points, and refuses a malformed line', () => {
    const ok = RubricForm.safeParse({
      nameEn: 'Short',
      nameZh: '简版',
      criteria: 'Root cause | 根本原因 | 0, 5, 10\nPlan | 计划 | 0，10',
      minPercent: '80',
      maxPercent: '120',
    })
    expect(ok.success && ok.data.criteria.map((c) => c.levels.map((l) => l.points))).toEqual([
      [0, 5, 10],
      [0, 10],
    ])
    const bad = RubricForm.safeParse({ nameEn: 'x', nameZh: 'x', criteria: 'Only a title', minPercent: '90', maxPercent: '110' })
    expect(bad.success).toBe(false)
    if (!bad.success) expect(bad.error.issues[0].message).toBe('cases.rubric.badLine')
  })

  it('scores over the rubric maximum and keeps individual marks within the bounds', () => {
    const { criteria } = RubricForm.parse({ nameEn: 'a', nameZh: 'a', criteria: 'A | 甲 | 0, 10\nB | 乙 | 0, 30', minPercent: '90', maxPercent: '110' })
    expect(rubricScore(criteria, { c1: 1, c2: 0 })).toBe(25)
    expect(rubricScore(criteria, { c1: 1 })).toBeNull()
    expect(individualMark(80, 2, { min: 90, max: 110 })).toBe(88)
    expect(individualMark(95, 1.2, { min: 90, max: 110 })).toBe(100)
    expect(individualMark(80, null, { min: 90, max: 110 })).toBe(80)
  })

  it('only HR defines rubrics; trainers read them', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const trainer = await createPerson({ roles: ['trainer'] })
    const input = RubricForm.parse({ nameEn: 'Short', nameZh: '简版', criteria: 'A | 甲 | 0, 10', minPercent: '90', maxPercent: '110' })
    expect(((await settle(() => createRubric(trainer, input))) as Response).status).toBe(403)
    await ensureDefaultRubric()
    await createRubric(hr, input)
    expect((await listRubrics(trainer)).map((r) => r.name.en)).toEqual(['Ten key points (default)', 'Short'])
  })
})
