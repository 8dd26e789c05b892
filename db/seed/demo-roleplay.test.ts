import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { db } from '#db/client.server'
import { column, parseRows } from '#db/rows'
import { roleplayAssignments, roleplayComments, roleplayReviews, roleplayScenarios } from '#db/schema'
import { importContent } from '~/modules/courses/course-import.server'
import { importSampleVideos } from '~/modules/videos/content.server'
import { seedDemo } from '.'
import { seedDemoRoleplay } from './demo-roleplay'

process.env.UPLOADS_DIR ??= mkdtempSync(path.join(tmpdir(), 'genjin-seed-'))

describe('demo seed: role-play', () => {
  it('gives the programme cohort role-play groups, self-study progress, a reviewed recording with comments and a live-scored skit — once', async () => {
    await importContent(db, { publishNew: true })
    await importSampleVideos(db)
    const lines: string[] = []
    await seedDemo(db, (line) => lines.push(line))
    expect(lines).toContain('Seeded the role-play demo (groups with scenarios, self-study progress, a reviewed recording, a live-scored skit).')
    expect(await db.select().from(roleplayAssignments)).toHaveLength(4)
    expect((await db.select().from(roleplayScenarios)).map((s) => s.contentId).sort()).toEqual(['behind-plan', 'defensive-employee'])

    const packs = parseRows(
      z.object({ assignment: column.text, items: column.number, kinds: column.text }),
      await db.execute(sql`select a.id as assignment, count(i.id)::int as items, string_agg(distinct i.kind::text, ',' order by i.kind::text) as kinds
        from roleplay_assignments a left join roleplay_study_items i on i.assignment_id = a.id group by a.id`),
    )
    expect(packs).toHaveLength(4)
    for (const p of packs) expect(p).toMatchObject({ items: 4, kinds: 'course_module,file,video' })
    const progress = parseRows(
      z.object({ opened: column.number, finished: column.number }),
      await db.execute(sql`select count(*)::int as opened, count(finished_at)::int as finished from roleplay_study_progress`),
    )[0]
    expect(progress.opened).toBeGreaterThan(progress.finished)
    expect(progress.finished).toBeGreaterThan(0)

    const reviews = await db.select().from(roleplayReviews)
    expect(reviews.map((r) => [r.mode, r.releasedAt !== null]).sort()).toEqual([
      ['live', true],
      ['recording', true],
    ])
    const recorded = reviews.find((r) => r.mode === 'recording')!
    // size is a bigint: postgres.js returns it as text unless cast
    const stored = parseRows(
      z.object({ purpose: column.text, size: column.number }),
      await db.execute(
        sql`select f.purpose, f.size::int as size from roleplay_recordings r join stored_files f on f.id = r.file_id where r.id = ${recorded.recordingId}`,
      ),
    )
    expect(stored).toEqual([{ purpose: 'roleplay-video', size: expect.any(Number) }])
    const comments = await db.select().from(roleplayComments)
    expect(comments.filter((c) => c.atMs !== null).length).toBeGreaterThanOrEqual(3)
    expect(comments.filter((c) => c.parentId !== null)).toHaveLength(1)

    expect(await seedDemoRoleplay(db)).toBe(false)
  }, 300_000)
})
