import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildIsCurrent, sourceHash, STAMP_FILE } from './build-stamp.mjs'

describe('the build stamp (npm start builds only when the sources changed)', () => {
  let root = ''
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  function checkout() {
    root = mkdtempSync(path.join(tmpdir(), 'genjin-stamp-'))
    for (const [file, text] of Object.entries({
      'app/root.tsx': 'export default 1',
      'app/routes/a.tsx': 'export default 2',
      'app/routes/a.test.ts': 'test',
      'package.json': '{}',
      'content/courses/x.md': '# x',
    })) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
      writeFileSync(path.join(root, file), text)
    }
    mkdirSync(path.join(root, 'build/server'), { recursive: true })
    writeFileSync(path.join(root, 'build/server/index.js'), '')
    writeFileSync(path.join(root, STAMP_FILE), `${sourceHash(root)}\n`)
  }

  it('skips the build after a checkout that gave every file a new time, and builds after an edit', () => {
    checkout()
    expect(buildIsCurrent(root)).toBe(true)
    const later = new Date(Date.now() + 3600_000)
    utimesSync(path.join(root, 'app/root.tsx'), later, later)
    expect(buildIsCurrent(root)).toBe(true)
    writeFileSync(path.join(root, 'app/routes/a.test.ts'), 'a test changed')
    writeFileSync(path.join(root, 'content/courses/x.md'), '# content is imported at start, not built')
    expect(buildIsCurrent(root)).toBe(true)
    writeFileSync(path.join(root, 'app/routes/a.tsx'), 'export default 3')
    expect(buildIsCurrent(root)).toBe(false)
  })

  it('builds when there is no build or no stamp', () => {
    checkout()
    rmSync(path.join(root, STAMP_FILE))
    expect(buildIsCurrent(root)).toBe(false)
    rmSync(path.join(root, 'build'), { recursive: true })
    expect(buildIsCurrent(root)).toBe(false)
  })
})
