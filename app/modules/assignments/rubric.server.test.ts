import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { cases, grades, groupAssignments, rubrics } from '#db/schema'
import { translator } from '~/i18n'
import { formGroups, getGroupBoard } from '~/modules/groups/groups.server'
import { caseCohort, localIn, slidesFile } from '../../../tests/setup/case-analysis'
import { createPerson, settle } from '../../../tests/setup/fixtures'
import { saveGrade } from './grading.server'
import { individualMark, rubricScore } from './assignments'
import { createRubric, listRubrics, updateRubric } from './case-library.server'
import { rubricFromForm, RubricEditorForm, rubricToForm } from './rubric-editor'

const level = (labelEn: string, labelZh: string, points: number | string) => ({ labelEn, labelZh, points })
const form = (criteria: unknown[], extra: Record<string, unknown> = {}) => ({
  nameEn: 'Short',
  nameZh: '简版',
  minPercent: '80',
  maxPercent: '120',
  criteria,
  ...extra,
})
const twoCriteria = [
  { titleEn: 'Root cause', titleZh: '根本原因', levels: [level('Weak', '弱', '0'), level('Fair', '中', '5'), level('Strong', '强', '10')] },
  { titleEn: 'Plan', titleZh: '计划', levels: [level('None', '无', 0), level('Concrete', '具体', 10)] },
]
import { addVersion, assignCases, ensureDefaultRubric } from './assignments.server'

describe('HR-defined rubrics', () => {
  it('turns the structured form into criteria with levels and points in both languages', () => {
    const parsed = RubricEditorForm.parse(form(twoCriteria))
    const rubric = rubricFromForm(parsed)
    expect(rubric.criteria.map((c) => [c.id, c.title['zh-CN'], c.levels.map((l) => l.points)])).toEqual([
      ['c1', '根本原因', [0, 5, 10]],
      ['c2', '计划', [0, 10]],
    ])
    expect(rubric.criteria[0].levels[2].label).toEqual({ en: 'Strong', 'zh-CN': '强' })
    expect(rubric).toMatchObject({ name: { en: 'Short', 'zh-CN': '简版' }, contributionMinPercent: 80, contributionMaxPercent: 120 })
    // Ids are kept when editing; a new criterion gets the next free one.
    const edited = rubricFromForm(RubricEditorForm.parse(form([{ ...twoCriteria[1], id: 'c2' }, twoCriteria[0]])))
    expect(edited.criteria.map((c) => c.id)).toEqual(['c2', 'c1'])
    expect(rubricFromForm(RubricEditorForm.parse(rubricToForm({ id: crypto.randomUUID(), ...rubric })))).toEqual(rubric)
  })

  it('refuses missing titles, one level, points out of order or out of range, with localized messages at the field', () => {
    const issues = (value: unknown) => {
      const r = RubricEditorForm.safeParse(value)
      return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]))
    }
    expect(issues(form([]))).toMatchObject({ criteria: 'cases.rubric.oneCriterion' })
    expect(issues(form([{ titleEn: '', titleZh: '甲', levels: [level('a', '甲', 0)] }]))).toMatchObject({
      'criteria.0.titleEn': 'errors.required',
      'criteria.0.levels': 'cases.rubric.twoLevels',
    })
    expect(issues(form([{ titleEn: 'A', titleZh: '甲', levels: [level('a', '甲', 10), level('b', '乙', 5), level('c', '丙', 101)] }]))).toMatchObject({
      'criteria.0.levels.1.points': 'cases.rubric.pointsAscending',
      'criteria.0.levels.2.points': 'cases.rubric.pointsRange',
    })
    expect(issues(form([{ titleEn: 'A', titleZh: '甲', levels: [level('a', '甲', 'x'), level('b', '', 5)] }]))).toMatchObject({
      'criteria.0.levels.0.points': 'cases.rubric.pointsRange',
      'criteria.0.levels.1.labelZh': 'errors.required',
    })
    expect(issues(form(twoCriteria, { minPercent: '30', maxPercent: '200' }))).toMatchObject({
      minPercent: 'cases.rubric.minRange',
      maxPercent: 'cases.rubric.maxRange',
    })
    for (const key of ['cases.rubric.pointsAscending', 'cases.rubric.twoLevels', 'cases.rubric.oneCriterion', 'cases.rubric.pointsRange']) {
      expect(translator('zh-CN')(key)).not.toBe(key)
      expect(translator('en')(key)).not.toBe(key)
    }
  })

  it('scores over the rubric maximum and keeps individual marks within the bounds', () => {
    const { criteria } = rubricFromForm(
      RubricEditorForm.parse(
        form([
          { titleEn: 'A', titleZh: '甲', levels: [level('a', '甲', 0), level('b', '乙', 10)] },
          { titleEn: 'B', titleZh: '乙', levels: [level('a', '甲', 0), level('b', '乙', 30)] },
        ]),
      ),
    )
    expect(rubricScore(criteria, { c1: 1, c2: 0 })).toBe(25)
    expect(rubricScore(criteria, { c1: 1 })).toBeNull()
    expect(individualMark(80, 2, { min: 90, max: 110 })).toBe(88)
    expect(individualMark(95, 1.2, { min: 90, max: 110 })).toBe(100)
    expect(individualMark(80, null, { min: 90, max: 110 })).toBe(80)
  })

  it('only HR defines and edits rubrics; trainers read them', async () => {
    const hr = await createPerson({ roles: ['hr_admin'] })
    const trainer = await createPerson({ roles: ['trainer'] })
    const input = rubricFromForm(RubricEditorForm.parse(form(twoCriteria)))
    expect(((await settle(() => createRubric(trainer, input))) as Response).status).toBe(403)
    await ensureDefaultRubric()
    const { id } = await createRubric(hr, input)
    expect((await listRubrics(trainer)).map((r) => r.name.en)).toEqual(['Ten key points (default)', 'Short'])

    const changed = rubricFromForm(RubricEditorForm.parse(form([twoCriteria[1]], { nameEn: 'Shorter' })))
    expect(((await settle(() => updateRubric(trainer, id, changed))) as Response).status).toBe(403)
    expect(await updateRubric(hr, id, changed)).toEqual({ ok: true })
    const [row] = await db.select().from(rubrics).where(eq(rubrics.id, id))
    expect(row.name.en).toBe('Shorter')
    expect(row.criteria).toHaveLength(1)
  })

  it('refuses to edit a rubric that has already graded a submission: the rubric and its grades stay as they were', async () => {
    const c = await caseCohort()
    const used = rubricFromForm(RubricEditorForm.parse(form(twoCriteria, { nameEn: 'Used', nameZh: '已用' })))
    const { id } = await createRubric(c.hr, used)
    await formGroups(c.trainer, c.session1, { intent: 'form', method: 'random', by: 'count', value: 1, seniority: false })
    const [group] = (await getGroupBoard(c.trainer, c.session1)).groups
    const [theCase] = await db.select().from(cases).limit(1)
    const assignInput = {
      intent: 'assign' as const,
      mode: 'same' as const,
      caseId: theCase.id,
      cases: {},
      dueAt: localIn(24),
      rubricId: id,
      peerRatings: false,
      contributionRatings: false,
      presentMinutes: 10,
    }
    const assigned = await assignCases(c.trainer, c.session1, assignInput)
    expect(assigned).toMatchObject({ ok: true })
    const [assignment] = await db.select().from(groupAssignments).where(eq(groupAssignments.groupId, group.id))
    // Assigned but not yet used for a grade: HR may still change it.
    expect(await updateRubric(c.hr, id, used)).toEqual({ ok: true })

    const member = c.people.find((p) => p.id === group.members[0].userId)!
    const file = await slidesFile(member)
    await db.transaction((tx) => addVersion(tx, member, assignment.id, file))
    expect(
      await saveGrade(c.trainer, assignment.id, { intent: 'grade', version: 0, levels: { c1: 2, c2: 1 }, comment: 'Graded', slideComments: [] }),
    ).toMatchObject({
      ok: true,
      score: 100,
    })
    const changed = rubricFromForm(RubricEditorForm.parse(form([twoCriteria[1]], { nameEn: 'Changed' })))
    expect(await updateRubric(c.hr, id, changed)).toEqual({ ok: false, error: 'inUse' })
    const [row] = await db.select().from(rubrics).where(eq(rubrics.id, id))
    expect(row).toMatchObject({ name: { en: 'Used', 'zh-CN': '已用' }, criteria: used.criteria })
    const [grade] = await db.select().from(grades).where(eq(grades.assignmentId, assignment.id))
    expect(grade).toMatchObject({ levels: { c1: 2, c2: 1 }, score: 100 })
    for (const locale of ['zh-CN', 'en'] as const) expect(translator(locale)('cases.rubric.inUse')).not.toBe('cases.rubric.inUse')

    // Re-assigning (say, to move the due time) with another rubric keeps the graded group's rubric too.
    const other = await createRubric(c.hr, changed)
    expect(await assignCases(c.trainer, c.session1, { ...assignInput, rubricId: other.id, dueAt: localIn(30) })).toMatchObject({ ok: true })
    const [after] = await db.select().from(groupAssignments).where(eq(groupAssignments.id, assignment.id))
    expect(after.rubricId).toBe(id)
    expect(after.dueAt.getTime()).toBeGreaterThan(assignment.dueAt.getTime())
  }, 180_000)
})
