import { and, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { videoProgress } from '#db/schema'
import { createPerson } from '../../../tests/setup/fixtures'
import { importSampleVideos } from './content.server'
import { acknowledgeBreakpoint, answerBreakpoint, recordProgress } from './progress.server'
import { getVideoReport } from './reports.server'

beforeAll(async () => {
  await importSampleVideos(db)
})

describe('the video report', () => {
  it('shows per learner what was credited and answered, and per breakpoint how many answered wrongly', async () => {
    const [a, b] = await Promise.all([createPerson({ roles: ['manager'], name: 'Aaron' }), createPerson({ roles: ['manager'], name: 'Bella' })])
    await recordProgress(a, 'follow-up-negative', { ranges: [] })
    await db
      .update(videoProgress)
      .set({ playbackStartedAt: sql`now() - interval '100 seconds'` })
      .where(and(eq(videoProgress.userId, a.id), eq(videoProgress.videoId, 'follow-up-negative')))
    await recordProgress(a, 'follow-up-negative', { ranges: [[0, 44.3]] })
    await answerBreakpoint(a, 'neg-facts', ['b'])
    await acknowledgeBreakpoint(a, 'neg-facts')
    await answerBreakpoint(b, 'neg-facts', ['a'])
    await answerBreakpoint(b, 'neg-next-steps', ['a', 'b'])

    const trainer = await createPerson({ roles: ['trainer'] })
    const report = await getVideoReport(trainer, 'follow-up-negative', 'en')
    expect(report).toMatchObject({ required: 3, questions: 2 })
    const aaron = report.learners.find((l) => l.id === a.id)!
    expect(aaron).toMatchObject({ acknowledged: 1, answered: 1, correct: 1, completedAt: null })
    expect(aaron.watchedShare).toBeCloseTo(0.5, 2)
    expect(report.learners.find((l) => l.id === b.id)).toMatchObject({ answered: 2, correct: 0, watchedShare: 0 })
    const facts = report.breakpoints.find((x) => x.id === 'neg-facts')!
    expect(facts).toMatchObject({ answered: 2, wrong: 1, acknowledged: 1, hasQuestion: true })
    expect(report.breakpoints.find((x) => x.id === 'neg-next-steps')).toMatchObject({ answered: 1, wrong: 1 })
    expect(report.breakpoints.map((x) => x.time)).toEqual([20.91, 34.615, 48.634, 62.75, 70.489, 79.187])
  })

  it('is for trainers and HR only', async () => {
    const manager = await createPerson({ roles: ['manager'] })
    await expect(getVideoReport(manager, 'follow-up-negative', 'en')).rejects.toMatchObject({ status: 403 })
  })
})

describe('the CSV export', () => {
  it('neutralises cells a spreadsheet would run as formulas', async () => {
    const { videoReportCsv } = await import('./reports.server')
    const { csvCell } = await import('~/modules/exports/spreadsheet.server')
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('-2')).toBe("'-2")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('张伟, Zhang')).toBe('"张伟, Zhang"')
    const evil = await createPerson({ roles: ['employee'], name: '=cmd|calc' })
    await recordProgress(evil, 'follow-up-positive', { ranges: [] })
    const trainer = await createPerson({ roles: ['trainer'] })
    const { text } = await videoReportCsv(trainer, 'follow-up-positive', 'zh-CN')
    expect(text.startsWith('\uFEFF姓名,')).toBe(true)
    expect(text).toContain("'=cmd|calc")
  })
})
