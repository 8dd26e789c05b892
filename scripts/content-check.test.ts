import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const repo = fileURLToPath(new URL('..', import.meta.url))

function contentCheck(rootDir: string) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/content-check.ts', rootDir], { cwd: repo, encoding: 'utf8' })
  return { status: run.status, lines: run.stdout.trim().split('\n') }
}

describe('content:check', () => {
  it('prints file:line: problem for each problem and exits 1', () => {
    expect(contentCheck('tests/fixtures/content/pass-mark')).toEqual({
      status: 1,
      lines: [
        'tests/fixtures/content/pass-mark/marks/modules/01-too-low/module.yaml:5: passMark: must be a percent from 1 to 100',
        'tests/fixtures/content/pass-mark/marks/modules/02-too-high/module.yaml:5: passMark: must be a percent from 1 to 100',
        'tests/fixtures/content/pass-mark/marks/modules/03-fraction/module.yaml:5: passMark: must be a whole percent',
        'content check failed: 3 problems',
      ],
    })
  })

  it('prints a summary and exits 0 when the content is valid', () => {
    expect(contentCheck('tests/fixtures/content/valid')).toEqual({ status: 0, lines: ['content ok: 1 course, 4 modules, 4 questions'] })
  })
})
