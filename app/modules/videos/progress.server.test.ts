import { and, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { videoProgress } from '#db/schema'
import { createPerson } from '../../../tests/setup/fixtures'
import { importSampleVideos } from './content.server'
import { acknowledgeBreakpoint, answerBreakpoint, peerPredictions, predictBreakpoint, recordProgress, videoModuleCompletion } from './progress.server'

const VIDEO = 'follow-up-negative' // 88.6 s; required: neg-facts (ack + question), neg-obstacle (prediction), neg-feedback (ack), neg-next-steps (ack + question)

/** Moves the person's playback start back in time, as if they had pressed play `seconds` ago. */
async function startedAgo(userId: string, seconds: number) {
  await db
    .update(videoProgress)
    .set({ playbackStartedAt: sql`now() - make_interval(secs => ${seconds})` })
    .where(and(eq(videoProgress.userId, userId), eq(videoProgress.videoId, VIDEO)))
}

beforeAll(async () => {
  await importSampleVideos(db)
})

describe('server-side credit for watching', () => {
  it('gives a script that claims the whole video 5 s after starting at most ~10 s', async () => {
    const learner = await createPerson({ roles: ['manager'] })
    const start = await recordProgress(learner, VIDEO, { ranges: [] })
    expect(start.creditedSeconds).toBe(0)
    await startedAgo(learner.id, 5)
    const claim = await recordProgress(learner, VIDEO, { ranges: [[0, 88.6]], position: 88.6 })
    expect(claim.creditedSeconds).toBeGreaterThan(9)
    expect(claim.creditedSeconds).toBeLessThanOrEqual(10.5)
    expect(claim.refused).toBeGreaterThan(75)
    expect(claim.completed).toBe(false)
    const [row] = await db
      .select()
      .from(videoProgress)
      .where(and(eq(videoProgress.userId, learner.id), eq(videoProgress.videoId, VIDEO)))
    expect(row.watchedRanges[0][0]).toBe(0)
    expect(row.watchedRanges[0][1]).toBeLessThanOrEqual(10.5)
  })

  it('credits nothing on the very first report (the clock starts there)', async () => {
    const learner = await createPerson({ roles: ['employee'] })
    const first = await recordProgress(learner, VIDEO, { ranges: [[0, 30]] })
    expect(first.creditedSeconds).toBe(0)
  })

  it('merges honest reports and keeps the last position for resuming', async () => {
    const learner = await createPerson({ roles: ['manager'] })
    await recordProgress(learner, VIDEO, { ranges: [] })
    await startedAgo(learner.id, 40)
    await recordProgress(learner, VIDEO, { ranges: [[0, 20]], position: 20 })
    const second = await recordProgress(learner, VIDEO, { ranges: [[15, 40]], position: 40 })
    expect(second.creditedSeconds).toBe(40)
    const [row] = await db
      .select()
      .from(videoProgress)
      .where(and(eq(videoProgress.userId, learner.id), eq(videoProgress.videoId, VIDEO)))
    expect(row.watchedRanges).toEqual([[0, 40]])
    expect(row.lastPositionSeconds).toBe(40)
  })

  it('completes only when 90 % is credited and every required breakpoint is done', async () => {
    const learner = await createPerson({ roles: ['manager'] })
    await recordProgress(learner, VIDEO, { ranges: [] })
    await startedAgo(learner.id, 100)
    const watched = await recordProgress(learner, VIDEO, { ranges: [[0, 88.6]], position: 88.6 })
    expect(watched.creditedShare).toBe(1)
    expect(watched.completed).toBe(false)
    expect(watched.requiredTotal).toBe(4)

    // Acknowledging before answering the question is refused.
    expect(await acknowledgeBreakpoint(learner, 'neg-facts')).toMatchObject({ ok: false, error: 'videos.err.answerFirst' })
    const wrong = await answerBreakpoint(learner, 'neg-facts', ['a'])
    expect(wrong).toMatchObject({ ok: true, response: { correct: false, answer: ['a'] } })
    // The first answer stands.
    expect(await answerBreakpoint(learner, 'neg-facts', ['b'])).toMatchObject({ ok: true, response: { correct: false } })
    await acknowledgeBreakpoint(learner, 'neg-facts')
    await acknowledgeBreakpoint(learner, 'neg-feedback')
    await predictBreakpoint(learner, 'neg-obstacle', 'Ask what she needs from him')
    expect(await answerBreakpoint(learner, 'neg-next-steps', ['c', 'a', 'b'])).toMatchObject({ response: { correct: true, answer: ['a', 'b', 'c'] } })
    expect((await videoModuleCompletion(learner.id, VIDEO)).completed).toBe(false)
    const last = await acknowledgeBreakpoint(learner, 'neg-next-steps')
    expect(last).toMatchObject({ ok: true, completion: { completed: true, requiredDone: 4 } })
    expect(await videoModuleCompletion(learner.id, VIDEO)).toMatchObject({ completed: true, requiredDone: 4, requiredTotal: 4 })
  })

  it('refuses an answer that is not among the options, or two options for a single-choice question', async () => {
    const learner = await createPerson({ roles: ['employee'] })
    expect(await answerBreakpoint(learner, 'neg-facts', ['z'])).toMatchObject({ ok: false })
    expect(await answerBreakpoint(learner, 'neg-facts', ['a', 'b'])).toMatchObject({ ok: false })
  })

  it('lets lecturers neither watch nor report progress', async () => {
    const lecturer = await createPerson({ roles: ['lecturer'] })
    await expect(recordProgress(lecturer, VIDEO, { ranges: [] })).rejects.toMatchObject({ status: 403 })
  })
})

describe('predict, then reveal', () => {
  it('shows peers’ predictions, without names, only after one’s own', async () => {
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => createPerson({ roles: ['manager'] })))
    expect(await acknowledgeBreakpoint(a, 'neg-obstacle')).toMatchObject({ ok: false, error: 'videos.err.predictFirst' })
    await predictBreakpoint(a, 'neg-obstacle', 'Ask what the new head of purchasing needs')
    await predictBreakpoint(b, 'neg-obstacle', 'Offer to call Hengda together')
    expect(await peerPredictions(c, 'neg-obstacle')).toEqual([])
    await predictBreakpoint(c, 'neg-obstacle', 'Ask her what help she needs')
    const seen = await peerPredictions(c, 'neg-obstacle')
    expect(seen).toEqual(expect.arrayContaining(['Ask what the new head of purchasing needs', 'Offer to call Hengda together']))
    expect(seen).not.toContain('Ask her what help she needs')
    expect(seen.length).toBeLessThanOrEqual(5)
    expect(await predictBreakpoint(c, 'neg-obstacle', ' ')).toMatchObject({ ok: false })
  })
})
