import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { createPerson } from '../../../tests/setup/fixtures'
import { importSampleVideos } from './content.server'
import { getComparison, getVideoForViewer, listVideos, respondToBreakpoint } from './videos.server'

beforeAll(async () => {
  await importSampleVideos(db)
})

describe('what learners see', () => {
  it('gives the player the local media route, captions, breakpoints in order and no answers before answering', async () => {
    const learner = await createPerson({ roles: ['employee'] })
    const data = await getVideoForViewer(learner, 'follow-up-positive', 'en')
    expect(data.video).toMatchObject({
      src: '/media/videos/follow-up-positive/positive.mp4',
      playbackId: null,
      duration: 113.4,
      pair: { id: 'follow-up-negative' },
    })
    expect(data.video.captions.map((c) => c.locale).sort()).toEqual(['en', 'zh-CN'])
    expect(data.breakpoints.map((b) => b.time)).toEqual([22.75, 37.989, 58.522, 78.034, 87.918, 104.205])
    const facts = data.breakpoints[1]
    expect(facts.question?.options).toHaveLength(3)
    expect(facts.reveal).toBeNull()
    expect(JSON.stringify(facts)).not.toContain('explanation')
    const answered = await respondToBreakpoint(learner, { intent: 'answer', breakpointId: 'pos-facts', answer: ['b'] }, 'zh-CN')
    expect(answered).toMatchObject({ ok: true, breakpoint: { response: { correct: true }, reveal: { answer: ['b'] } } })
  })

  it('pairs the matched breakpoints of both videos, negative first, from either video', async () => {
    const learner = await createPerson({ roles: ['manager'] })
    const a = await getComparison(learner, 'follow-up-positive', 'en')
    const b = await getComparison(learner, 'follow-up-negative', 'en')
    expect(a.left.id).toBe('follow-up-negative')
    expect(b.left.id).toBe('follow-up-negative')
    expect(a.matches.map((m) => m.matchId)).toEqual(['opening', 'facts', 'obstacle', 'feedback', 'autonomy', 'next-steps'])
    expect(a.matches[1]).toMatchObject({ left: { id: 'neg-facts', time: 34.615 }, right: { id: 'pos-facts', time: 37.989 } })
  })

  it('lists the library with the viewer’s progress; lecturers cannot open it', async () => {
    const learner = await createPerson({ roles: ['manager'] })
    const list = await listVideos(learner, 'zh-CN')
    expect(list.map((v) => v.id).sort()).toEqual(['follow-up-negative', 'follow-up-positive'])
    expect(list[0]).toMatchObject({ breakpoints: 6, completed: false, watchedShare: 0 })
    const lecturer = await createPerson({ roles: ['lecturer'] })
    await expect(listVideos(lecturer, 'en')).rejects.toMatchObject({ status: 403 })
  })
})
