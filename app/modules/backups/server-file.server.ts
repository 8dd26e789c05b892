import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'

/**
 * Two processes must never open one PGlite directory (decision 001). While a server serves one,
 * it leaves `<dir>.server.json` beside it — its pid, port and a random token, readable only by
 * the user running it — so `npm run db:backup` asks that server for the backup instead of
 * opening the directory, and `npm run db:restore` refuses to replace it (decision 029).
 */
export type ServerFile = { pid: number; port: number; token: string }

export function serverFilePath(pgliteDir: string) {
  return `${pgliteDir.replace(/[\\/]+$/, '')}.server.json`
}

export function writeServerFile(pgliteDir: string, port: number) {
  const file = serverFilePath(pgliteDir)
  const content: ServerFile = { pid: process.pid, port, token: randomBytes(32).toString('hex') }
  writeFileSync(file, JSON.stringify(content), { mode: 0o600 })
  const remove = () => {
    try {
      if (readServerFile(pgliteDir)?.pid === process.pid) rmSync(file, { force: true })
    } catch {
      // already gone
    }
  }
  process.once('exit', remove)
  return content
}

export function readServerFile(pgliteDir: string): ServerFile | null {
  const file = serverFilePath(pgliteDir)
  if (!existsSync(file)) return null
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ServerFile
  } catch {
    return null
  }
}

/** The server serving this directory, if its process is alive (a crashed one leaves a stale file). */
export function runningServer(pgliteDir: string): ServerFile | null {
  const server = readServerFile(pgliteDir)
  if (!server) return null
  try {
    process.kill(server.pid, 0)
    return server
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? server : null
  }
}

export function tokenMatches(expected: string, given: string | null | undefined) {
  if (!given) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}
