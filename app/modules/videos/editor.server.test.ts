import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { auditEvents, breakpoints } from '#db/schema'
import { createPerson } from '../../../tests/setup/fixtures'
import { importSampleVideos } from './content.server'
import { deleteBreakpoint, getVideoForEditor, moveBreakpoint, saveBreakpoint } from './editor.server'

const draft = (time: number, extra: Record<string, unknown> = {}) => ({
  timeSeconds: time,
  title: { en: 'A new moment', 'zh-CN': '新的关键时刻' },
  commentary: { en: 'Why it matters', 'zh-CN': '为什么重要' },
  keyPoints: [3],
  mustAcknowledge: true,
  ...extra,
})

beforeAll(async () => {
  await importSampleVideos(db)
})

describe('the breakpoint editor', () => {
  it('creates, moves and deletes a breakpoint, each write audited and stored as sent', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    const created = await saveBreakpoint(trainer, 'follow-up-positive', draft(10.04))
    expect(created.ok).toBe(true)
    if (!created.ok) return
    const [row] = await db.select().from(breakpoints).where(eq(breakpoints.id, created.breakpoint.id))
    expect(row).toMatchObject({ videoId: 'follow-up-positive', timeSeconds: 10.04, mustAcknowledge: true, keyPoints: [3], origin: 'upload' })
    expect(row.title['zh-CN']).toBe('新的关键时刻')

    const moved = await moveBreakpoint(trainer, row.id, 12.5)
    expect(moved).toMatchObject({ ok: true, breakpoint: { timeSeconds: 12.5 } })
    const updated = await saveBreakpoint(trainer, 'follow-up-positive', {
      ...draft(12.5),
      id: row.id,
      predictPrompt: { en: 'What next?', 'zh-CN': '接下来呢？' },
      question: {
        id: 'q-new',
        type: 'single',
        prompt: { en: 'Which?', 'zh-CN': '哪个？' },
        options: [
          { id: 'a', text: { en: 'A', 'zh-CN': '甲' } },
          { id: 'b', text: { en: 'B', 'zh-CN': '乙' } },
        ],
        answer: ['a'],
        explanation: { en: 'Because', 'zh-CN': '因为' },
      },
    })
    expect(updated).toMatchObject({ ok: true, breakpoint: { predictPrompt: { en: 'What next?' }, question: { answer: ['a'] } } })

    expect(await deleteBreakpoint(trainer, row.id)).toEqual({ ok: true, deletedId: row.id })
    expect(await db.select().from(breakpoints).where(eq(breakpoints.id, row.id))).toHaveLength(0)
    const actions = (await db.select().from(auditEvents).where(eq(auditEvents.entityId, row.id))).map((a) => a.action)
    expect(actions).toEqual(
      expect.arrayContaining(['video.breakpoint_created', 'video.breakpoint_moved', 'video.breakpoint_updated', 'video.breakpoint_deleted']),
    )
  })

  it('refuses a time beyond the end, a time on top of another breakpoint, a missing translation and a taken match id', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    expect(await saveBreakpoint(trainer, 'follow-up-positive', draft(200))).toMatchObject({
      ok: false,
      errors: { timeSeconds: [expect.stringMatching(/timeBeyondEnd/)] },
    })
    expect(await saveBreakpoint(trainer, 'follow-up-positive', draft(22.8))).toMatchObject({ ok: false, errors: { timeSeconds: ['videos.err.timeTaken'] } })
    expect(await saveBreakpoint(trainer, 'follow-up-positive', draft(5, { title: { en: 'Only English', 'zh-CN': ' ' } }))).toMatchObject({
      ok: false,
      errors: { 'title.zh-CN': ['videos.err.required'] },
    })
    expect(await saveBreakpoint(trainer, 'follow-up-positive', draft(5, { matchId: 'facts' }))).toMatchObject({
      ok: false,
      errors: { matchId: ['videos.err.matchTaken'] },
    })
    expect(await moveBreakpoint(trainer, 'pos-opening', -1)).toMatchObject({ ok: false })
    expect(await saveBreakpoint(trainer, 'follow-up-positive', draft(5, { predictPrompt: { en: 'Half', 'zh-CN': '' } }))).toMatchObject({
      ok: false,
      errors: { 'predictPrompt.zh-CN': ['videos.err.required'] },
    })
  })

  it('is for trainers and HR only', async () => {
    const manager = await createPerson({ roles: ['manager'] })
    await expect(saveBreakpoint(manager, 'follow-up-positive', draft(5))).rejects.toMatchObject({ status: 403 })
    await expect(deleteBreakpoint(manager, 'pos-opening')).rejects.toMatchObject({ status: 403 })
    await expect(getVideoForEditor(manager, 'follow-up-positive', 'en')).rejects.toMatchObject({ status: 403 })
    const hr = await createPerson({ roles: ['hr_admin'] })
    expect((await getVideoForEditor(hr, 'follow-up-positive', 'en')).breakpoints.length).toBeGreaterThanOrEqual(6)
  })
})
