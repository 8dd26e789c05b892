import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { importSampleVideos } from './content.server'
import { addTrainerNote, getVideoForPresenter } from './present.server'
import { getVideoForViewer } from './videos.server'

beforeAll(async () => {
  await importSampleVideos(db)
})

describe('live notes from present mode', () => {
  it('saves time-coded notes; learners see only the ones meant for them', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    const shared = await addTrainerNote(trainer, 'follow-up-negative', { timeSeconds: 34.7, text: '注意他没有看进度表', visibility: 'learners' })
    const mine = await addTrainerNote(trainer, 'follow-up-negative', { timeSeconds: 40, text: 'Ask the room about their own habits', visibility: 'private' })
    expect(shared).toMatchObject({ ok: true, note: { time: 34.7, visibility: 'learners' } })
    expect(mine.ok).toBe(true)
    const presenter = await getVideoForPresenter(trainer, 'follow-up-negative', 'zh-CN')
    expect(presenter.notes.map((n) => n.text)).toEqual(['注意他没有看进度表', 'Ask the room about their own habits'])
    const learner = await createPerson({ roles: ['manager'] })
    const viewer = await getVideoForViewer(learner, 'follow-up-negative', 'zh-CN')
    expect(viewer.notes).toEqual([expect.objectContaining({ time: 34.7, text: '注意他没有看进度表' })])
  })

  it('refuses empty notes and people who do not present', async () => {
    const trainer = await createPerson({ roles: ['trainer'] })
    expect(await addTrainerNote(trainer, 'follow-up-negative', { timeSeconds: 1, text: '   ', visibility: 'learners' })).toMatchObject({ ok: false })
    const manager = await createPerson({ roles: ['manager'] })
    await expect(addTrainerNote(manager, 'follow-up-negative', { timeSeconds: 1, text: 'hi', visibility: 'learners' })).rejects.toMatchObject({ status: 403 })
    await expect(getVideoForPresenter(manager, 'follow-up-negative', 'en')).rejects.toMatchObject({ status: 403 })
  })
})
