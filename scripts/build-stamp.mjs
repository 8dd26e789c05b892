// Whether build/ was made from the sources as they are now. A hash of the sources' contents is
// written into the build when it succeeds; `npm start` and the e2e runner build only when it
// differs. Modification times cannot tell: a git checkout or a copy gives every file a new one,
// and an edit undone leaves a newer time on an unchanged file.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** What the production build is made from (content/ is imported at start, not built). */
export const BUILD_INPUTS = ['app', 'db', 'public', 'vite.config.ts', 'remix.config.js', 'tsconfig.json', 'package.json', 'package-lock.json']
export const STAMP_FILE = 'build/sources.sha256'

/** Tests and their snapshots are not part of the build. */
const ignored = (name) => /\.test\.tsx?$/.test(name) || name === '__snapshots__' || name.startsWith('.')

function files(root, entry) {
  const full = path.join(root, entry)
  if (!existsSync(full)) return []
  const found = []
  const walk = (relative) => {
    for (const child of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      if (ignored(child.name)) continue
      const next = path.posix.join(relative, child.name)
      if (child.isDirectory()) walk(next)
      else if (child.isFile()) found.push(next)
    }
  }
  if (
    readdirSync(root, { withFileTypes: true })
      .find((d) => d.name === entry)
      ?.isDirectory()
  )
    walk(entry)
  else found.push(entry)
  return found
}

/** SHA-256 over the build inputs' paths and contents, in a fixed order. */
export function sourceHash(root = process.cwd()) {
  const hash = createHash('sha256')
  for (const file of BUILD_INPUTS.flatMap((entry) => files(root, entry)).sort()) {
    hash.update(`${file}\0`)
    hash.update(readFileSync(path.join(root, file)))
    hash.update('\0')
  }
  return hash.digest('hex')
}

/** The build exists and was made from these sources. */
export function buildIsCurrent(root = process.cwd(), hash = sourceHash(root)) {
  const stamp = path.join(root, STAMP_FILE)
  return existsSync(path.join(root, 'build/server/index.js')) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash
}

/**
 * Builds unless the build is current. `quiet` keeps Vite's ~130 lines of asset sizes to itself
 * (shown only when the build fails). Returns false when the build failed.
 */
export function buildIfChanged({ root = process.cwd(), quiet = false, log = console.log } = {}) {
  const hash = sourceHash(root)
  if (buildIsCurrent(root, hash)) return true
  if (quiet) process.stdout.write('Building Genjin… ')
  const started = Date.now()
  const result = spawnSync('npx', ['remix', 'vite:build'], {
    cwd: root,
    encoding: 'utf8',
    stdio: quiet ? 'pipe' : 'inherit',
    env: { ...process.env, ...(quiet ? { NO_COLOR: '1' } : {}) },
  })
  if (result.status !== 0) {
    if (quiet) {
      log('failed:')
      process.stdout.write(result.stdout ?? '')
      process.stderr.write(result.stderr ?? '')
    }
    return false
  }
  // The hash of the sources as they were when the build began: an edit made meanwhile builds again.
  writeFileSync(path.join(root, STAMP_FILE), `${hash}\n`)
  if (quiet) log(`done in ${Math.round((Date.now() - started) / 1000)} s.`)
  return true
}
