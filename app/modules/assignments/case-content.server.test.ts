import { spawnSync } from 'node:child_process'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { cases } from '#db/schema'
import { importCases, loadCases } from './case-content.server'

describe('case library files', () => {
  it('ships at least six valid cases in both languages from six functions', async () => {
    const { cases: loaded, problems } = await loadCases('content/cases')
    expect(problems).toEqual([])
    expect(loaded.length).toBeGreaterThanOrEqual(6)
    expect(new Set(loaded.map((c) => c.function))).toEqual(new Set(['sales', 'rnd', 'operations', 'remote', 'new-manager', 'manager-of-managers']))
    for (const c of loaded) {
      expect(c.narrative.en.length).toBeGreaterThan(300)
      expect(c.narrative['zh-CN'].length).toBeGreaterThan(150)
      expect(c.trainerNotes['zh-CN']).toBeTruthy()
    }
  })

  it('content:check reports a bad case file by file and line', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/content-check.ts', 'tests/fixtures/content/valid', 'tests/fixtures/cases/bad'], {
      encoding: 'utf8',
    })
    expect(run.status).toBe(1)
    const lines = run.stdout.trim().split('\n')
    expect(lines).toContain('tests/fixtures/cases/bad/bad-points.yaml:3: keyPoints[0]: must be 1–10')
    expect(lines).toContain('tests/fixtures/cases/bad/bad-points.yaml:4: title.zh-CN: missing zh-CN text')
    expect(lines).toContain('tests/fixtures/cases/bad/wrong-name.yaml:1: id: "another-name" must match the file name (wrong-name.yaml)')
    expect(lines.at(-1)).toBe('content check failed: 7 problems')
  })

  it('imports the files, and a case edited in the browser is not overwritten by its file', async () => {
    await db.transaction((tx) => importCases(tx))
    const [row] = await db.select().from(cases).where(eq(cases.contentId, 'rnd-silent-sprint'))
    expect(row.source).toBe('file')
    await db
      .update(cases)
      .set({ title: { en: 'Edited', 'zh-CN': '已编辑' }, editedAt: new Date() })
      .where(eq(cases.id, row.id))
    await db.transaction((tx) => importCases(tx))
    const [after] = await db.select().from(cases).where(eq(cases.id, row.id))
    expect(after.title.en).toBe('Edited')
  })
})
