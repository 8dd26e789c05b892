import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '#db/client.server'
import { grades, groupAssignments, studyGroupMembers, submissionVersions } from '#db/schema'
import { importCases } from '~/modules/assignments/case-content.server'
import { seedDemoCompany } from './demo-company'
import { seedDemoCaseAnalysis } from './demo-case-analysis'

process.env.UPLOADS_DIR ??= mkdtempSync(path.join(tmpdir(), 'genjin-seed-'))

describe('demo seed: group case analysis', () => {
  it('gives the demo cohort balanced groups, three cases, an on-time PDF, a PPTX, a late PDF and one released grade — once', async () => {
    await seedDemoCompany(db)
    await db.transaction((tx) => importCases(tx))
    const result = await seedDemoCaseAnalysis(db)
    expect(result).toMatchObject({ groups: 3 })
    const assignments = await db.select().from(groupAssignments)
    expect(new Set(assignments.map((a) => a.caseId)).size).toBe(3)
    const members = await db.select().from(studyGroupMembers)
    expect(members).toHaveLength(12)
    const versions = await db.select().from(submissionVersions)
    expect(versions.map((v) => [v.fileName, v.late]).sort()).toEqual([
      ['group-a-analysis.pdf', false],
      ['group-b-analysis.pptx', false],
      ['group-c-analysis.pdf', true],
    ])
    const released = await db
      .select()
      .from(grades)
      .where(eq(grades.assignmentId, versions.find((v) => v.fileName.startsWith('group-a'))!.assignmentId))
    expect(released[0].releasedAt).not.toBeNull()
    expect(await seedDemoCaseAnalysis(db)).toBe(false)
  }, 180_000)
})
