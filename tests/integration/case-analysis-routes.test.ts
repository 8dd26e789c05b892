import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { rubrics } from '#db/schema'
import { ensureDefaultRubric } from '~/modules/assignments/assignments.server'
import { rubricToForm } from '~/modules/assignments/rubric-editor'
import type { CurrentUser } from '~/modules/auth/permissions'
import * as rubricsRoute from '~/routes/admin.rubrics'
import * as groupRoute from '~/routes/groups.$groupId'
import * as boardRoute from '~/routes/sessions.$sessionId.groups._index'
import { caseMatrixContext } from '../setup/case-analysis'
import { createPerson, postAs, requestAs, settle } from '../setup/fixtures'

type DataWithInit = {
  type: string
  data: { result: { error?: Record<string, string[]>; initialValue?: Record<string, unknown> } }
  init: { status: number }
}

/** A nested form value as the browser posts it (conform names: criteria[0].levels[1].points). */
function formFields(value: unknown, name = ''): Record<string, string> {
  if (Array.isArray(value)) return Object.assign({}, ...value.map((v, i) => formFields(v, `${name}[${i}]`)))
  if (value && typeof value === 'object') return Object.assign({}, ...Object.entries(value).map(([k, v]) => formFields(v, name ? `${name}.${k}` : k)))
  return { [name]: String(value) }
}

describe('case analysis routes', () => {
  let people: Record<'hr_admin' | 'trainer' | 'manager', CurrentUser>
  let ctx: Awaited<ReturnType<typeof caseMatrixContext>>
  beforeAll(async () => {
    people = {
      hr_admin: await createPerson({ roles: ['hr_admin'] }),
      trainer: await createPerson({ roles: ['trainer'] }),
      manager: await createPerson({ roles: ['manager'] }),
    }
    ctx = await caseMatrixContext(people)
  }, 180_000)

  it('a member’s group page carries neither the trainer notes nor the unreleased grade', async () => {
    const request = await requestAs(people.manager, `/groups/${ctx.groupId}`)
    const page = await groupRoute.loader({ request, params: { groupId: ctx.groupId }, context: {} })
    const text = JSON.stringify(page)
    expect(page.assignment?.versions).toHaveLength(1)
    expect(page.assignment?.results.grade).toBeNull()
    expect(text).not.toContain('Unreleased comment')
    expect(text).not.toContain('trainerNotes":{')
  })

  it('refuses malformed input with a 400 and a message key, never a 500', async () => {
    const cases: [string, Record<string, string>, string][] = [
      ['submit', { intent: 'submit', uploadId: '../../etc/passwd' }, 'uploadId'],
      ['message', { intent: 'message', body: '' }, 'body'],
      ['peer', { intent: 'peer-rating', assignmentId: ctx.assignmentId, score: '9' }, 'score'],
    ]
    for (const [, fields, field] of cases) {
      const request = await postAs(people.manager, `/groups/${ctx.groupId}`, fields)
      const result = (await groupRoute.action({ request, params: { groupId: ctx.groupId }, context: {} })) as unknown as DataWithInit
      expect(result.init.status).toBe(400)
      expect(result.data.result.error?.[field]?.[0]).toMatch(/^(cases|errors)\./)
    }
    const unknown = (await groupRoute.action({
      request: await postAs(people.manager, `/groups/${ctx.groupId}`, { intent: 'drop-table' }),
      params: { groupId: ctx.groupId },
      context: {},
    })) as unknown as DataWithInit
    expect(unknown.init.status).toBe(400)
    const board = (await boardRoute.action({
      request: await postAs(people.trainer, `/sessions/${ctx.sessionId}/groups`, { intent: 'form', method: 'balanced', by: 'size', value: '0' }),
      params: { sessionId: ctx.sessionId },
      context: {},
    })) as unknown as DataWithInit
    expect(board.init.status).toBe(400)
    expect(board.data.result.error?.value).toEqual(['groups.form.valueRange'])
  })

  it('a learner cannot reach another group’s page or act on it', async () => {
    const outsider = await createPerson({ roles: ['manager'] })
    const get = await settle(async () =>
      groupRoute.loader({ request: await requestAs(outsider, `/groups/${ctx.groupId}`), params: { groupId: ctx.groupId }, context: {} }),
    )
    expect((get as Response).status).toBe(404)
    const post = await settle(async () =>
      groupRoute.action({
        request: await postAs(outsider, `/groups/${ctx.groupId}`, { intent: 'message', body: 'hi' }),
        params: { groupId: ctx.groupId },
        context: {},
      }),
    )
    expect((post as Response).status).toBe(404)
  })

  it('refuses to change a rubric that has graded work, gives back what HR typed, and saves it as a new rubric instead', async () => {
    // The matrix context graded its submission with the default rubric.
    const original = await ensureDefaultRubric()
    const fields = formFields({ ...rubricToForm(original), nameEn: 'Ten key points, revised', nameZh: '十大要点（修订）' })
    const refused = (await rubricsRoute.action({
      request: await postAs(people.hr_admin, '/admin/rubrics', fields),
      params: {},
      context: {},
    })) as unknown as DataWithInit
    expect(refused.init.status).toBe(409)
    expect(refused.data.result.error?.['']).toEqual(['cases.rubric.inUse'])
    expect(refused.data.result.initialValue).toMatchObject({ nameEn: 'Ten key points, revised', nameZh: '十大要点（修订）' })

    const copied = (await settle(async () =>
      rubricsRoute.action({ request: await postAs(people.hr_admin, '/admin/rubrics', { ...fields, saveAs: 'new' }), params: {}, context: {} }),
    )) as Response
    expect(copied.status).toBe(302)
    const copyId = new URL(copied.headers.get('Location')!, 'http://localhost').searchParams.get('edit')!
    const [copy] = await db.select().from(rubrics).where(eq(rubrics.id, copyId))
    expect(copy).toMatchObject({ name: { en: 'Ten key points, revised', 'zh-CN': '十大要点（修订）' }, criteria: original.criteria, isDefault: false })
    const [unchanged] = await db.select().from(rubrics).where(eq(rubrics.id, original.id))
    expect(unchanged).toMatchObject({ name: original.name, criteria: original.criteria })
  })
})
