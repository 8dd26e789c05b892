/**
 * Checks the course content files against docs/content-format.md.
 * Usage: tsx scripts/content-check.ts [rootDir] [casesDir] [roleplaysDir]
 *   (default content/courses, content/cases and content/roleplays, relative to the repository)
 * Prints `file:line: problem` per problem and exits 1 if there are any, so CI and editors can jump to them.
 */
import { loadContent } from '../app/modules/courses/content.server'
import { loadCases } from '../app/modules/assignments/case-content.server'
import { loadRoleplayScenarios } from '../app/modules/roleplay/scenario-content.server'

async function main() {
  const rootDir = process.argv[2] ?? 'content/courses'
  const { courses, problems: courseProblems } = await loadContent(rootDir)
  // The case library (content/cases, or the second argument) is checked with the default courses.
  const casesDir = process.argv[3] ?? (process.argv[2] ? null : 'content/cases')
  const caseLibrary = casesDir ? await loadCases(casesDir) : null
  // Likewise the role-play scenarios (content/roleplays, or the third argument).
  const roleplaysDir = process.argv[4] ?? (process.argv[2] ? null : 'content/roleplays')
  const scenarioLibrary = roleplaysDir ? await loadRoleplayScenarios(roleplaysDir) : null
  const problems = [...courseProblems, ...(caseLibrary?.problems ?? []), ...(scenarioLibrary?.problems ?? [])]
  for (const p of problems) console.log(`${p.file}:${p.line}: ${p.message}`)

  if (problems.length > 0) {
    console.log(`content check failed: ${count(problems.length, 'problem')}`)
    // exitCode rather than exit(): a piped stdout must be flushed before the process ends.
    process.exitCode = 1
    return
  }
  const modules = courses.flatMap((c) => c.modules)
  const questions = modules.reduce((n, m) => n + (m.kind === 'quiz' ? m.questions.length : 0), 0)
  const casesNote = caseLibrary ? `, ${count(caseLibrary.cases.length, 'case')}` : ''
  const scenariosNote = scenarioLibrary ? `, ${count(scenarioLibrary.scenarios.length, 'role-play scenario')}` : ''
  console.log(`content ok: ${count(courses.length, 'course')}, ${count(modules.length, 'module')}, ${count(questions, 'question')}${casesNote}${scenariosNote}`)
}

function count(n: number, noun: string) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

main().catch((error) => {
  console.error(`content check crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  process.exitCode = 2
})
