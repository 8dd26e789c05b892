import { and, eq, isNull, notInArray } from 'drizzle-orm'
import type { Executor } from '#db/client.server'
import { cases } from '#db/schema'
import { loadYamlFolder, type ContentProblem } from '~/modules/courses/content.server'
import { CaseFileSchema, type CaseFile } from './cases'
import { ensureDefaultRubric } from './assignments.server'

export type LoadedCases = { cases: CaseFile[]; problems: ContentProblem[] }

/** Reads and checks every case file `<rootDir>/<id>.yaml` (a file with a problem is left out). */
export async function loadCases(rootDir = 'content/cases', { baseDir = process.cwd() } = {}): Promise<LoadedCases> {
  const { items, problems } = await loadYamlFolder(rootDir, CaseFileSchema, { baseDir, noun: 'case' })
  return { cases: items, problems }
}

/**
 * Brings the `cases` table in line with the case files: new files are added, changed files
 * update their case unless HR has edited it in the browser since, removed files retire theirs.
 * Refuses to run when a file has a problem.
 */
export async function importCases(tx: Executor, rootDir = 'content/cases') {
  const { cases: files, problems } = await loadCases(rootDir)
  if (problems.length > 0) throw new Error(`case files have problems:\n${problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n')}`)
  for (const file of files) {
    const values = {
      function: file.function,
      title: file.title,
      narrative: file.narrative,
      keyPoints: file.keyPoints,
      questions: file.questions,
      trainerNotes: file.trainerNotes,
      retiredAt: null,
    }
    await tx
      .insert(cases)
      .values({ contentId: file.id, source: 'file', ...values })
      .onConflictDoUpdate({ target: cases.contentId, set: values, setWhere: and(eq(cases.source, 'file'), isNull(cases.editedAt)) })
  }
  const ids = files.map((f) => f.id)
  await tx
    .update(cases)
    .set({ retiredAt: new Date() })
    .where(and(eq(cases.source, 'file'), isNull(cases.retiredAt), ids.length ? notInArray(cases.contentId, ids) : undefined))
  // The library's default rubric comes with it (every start), so that pages listing rubrics only read.
  await ensureDefaultRubric(tx)
  return { cases: files.length }
}
