import path from 'node:path'
import { readdir } from 'node:fs/promises'
import { readYaml, reportIssues, type ContentProblem } from '~/modules/courses/content.server'
import { ScenarioFileSchema, type ScenarioFile } from './scenarios'

export type LoadedScenarios = { scenarios: ScenarioFile[]; problems: ContentProblem[] }

/**
 * Reads and checks every role-play scenario file `<rootDir>/<id>.yaml`. A file with a problem is
 * left out, and problems name the file and line like the course and case checks
 * (scripts/content-check.ts).
 */
export async function loadRoleplayScenarios(rootDir = 'content/roleplays', { baseDir = process.cwd() } = {}): Promise<LoadedScenarios> {
  const problems: ContentProblem[] = []
  const rel = (abs: string) => path.relative(baseDir, abs).split(path.sep).join('/')
  const report = (abs: string, line: number, message: string) => problems.push({ file: rel(abs), line, message })
  const root = path.resolve(baseDir, rootDir)
  let names: string[]
  try {
    names = (await readdir(root)).filter((n) => !n.startsWith('.')).sort()
  } catch {
    report(root, 1, 'content folder not found')
    return { scenarios: [], problems }
  }
  const loaded: ScenarioFile[] = []
  const seen = new Map<string, string>()
  for (const name of names) {
    const file = path.join(root, name)
    if (!name.endsWith('.yaml')) {
      report(file, 1, 'unexpected file (a role-play scenario is one <id>.yaml file)')
      continue
    }
    const parsed = await readYaml(file, report)
    if (!parsed) continue
    const result = ScenarioFileSchema.safeParse(parsed.data)
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
      report(file, 1, `id: duplicate scenario id "${result.data.id}" (also in ${other})`)
      continue
    }
    seen.set(result.data.id, rel(file))
    loaded.push(result.data)
  }
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1))
  return { scenarios: loaded, problems }
}
