import { loadYamlFolder, type ContentProblem } from '~/modules/courses/content.server'
import { ScenarioFileSchema, type ScenarioFile } from './scenarios'

export type LoadedScenarios = { scenarios: ScenarioFile[]; problems: ContentProblem[] }

/** Reads and checks every role-play scenario file `<rootDir>/<id>.yaml` (a file with a problem is left out). */
export async function loadRoleplayScenarios(rootDir = 'content/roleplays', { baseDir = process.cwd() } = {}): Promise<LoadedScenarios> {
  const { items, problems } = await loadYamlFolder(rootDir, ScenarioFileSchema, { baseDir, noun: 'role-play scenario' })
  return { scenarios: items, problems }
}
