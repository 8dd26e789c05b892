import path from 'node:path'
import { readdir } from 'node:fs/promises'
import { and, eq, isNull, notInArray } from 'drizzle-orm'
import type { Executor } from '#db/client.server'
import { cases } from '#db/schema'
import { readYaml, reportIssues, type ContentProblem } from '~/modules/courses/content.server'
import { CaseFileSchema, type CaseFile } from './cases'
import { ensureDefaultRubric } from './assignments.server'

export type LoadedCases = { cases: CaseFile[]; problems: ContentProblem[] }

/**
 * Reads and checks every case file `<rootDir>/<id>.yaml`. A file with a problem is left out,
 * and problems name the file and line like the course check (scripts/content-check.ts).
 */
export async function loadCases(rootDir = 'content/cases', { baseDir = process.cwd() } = {}): Promise<LoadedCases> {
  const problems: ContentProblem[] = []
  const rel = (abs: string) => path.relative(baseDir, abs).split(path.sep).join('/')
  const report = (abs: string, line: number, message: string) => problems.push({ file: rel(abs), line, message })
  const root = path.resolve(baseDir, rootDir)
  let names: string[]
  try {
    names = (await readdir(root)).filter((n) => !n.startsWith('.')).sort()
  } catch {
    report(root, 1, 'content folder not found')
    return { cases: [], problems }
  }
  const loaded: CaseFile[] = []
  const seen = new Map<string, string>()
  for (const name of names) {
    const file = path.join(root, name)
    if (!name.endsWith('.yaml')) {
      report(file, 1, 'unexpected file (a case is one <id>.yaml file)')
      continue
    }
    const parsed = await readYaml(file, report)
    if (!parsed) continue
    const result = CaseFileSchema.safeParse(parsed.data)
    if (!result.success) {
      reportIssues(result.error, parsed, file, report)
      continue
    }
    if (`${result.data.id}.yaml` !== name) {
      report(file, 1, `id: "${result.data.id}" must match the file name (${name})`)
      continue
    }
    const other = seen.get(result.data.id)
    if (other) {
      report(file, 1, `id: duplicate case id "${result.data.id}" (also in ${other})`)
      continue
    }
    seen.set(result.data.id, rel(file))
    loaded.push(result.data)
  }
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1))
  return { cases: loaded, problems }
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
