import { existsSync, readFileSync, writeFileSync } from 'node:fs'

/**
 * The PGlite release this code is pinned to (package.json), and the PostgreSQL major version it
 * embeds. A data directory is only ever opened by the release that wrote it: its on-disk format
 * changes between PGlite versions (docs/decisions/029, docs/operations.md).
 */
export const PGLITE_VERSION = '0.3.15'
export const PGLITE_PG_MAJOR = '17'

/** The marker next to a data directory: `data/pglite` → `data/pglite.version`. */
export function versionMarkerPath(dir: string) {
  return `${dir.replace(/[\\/]+$/, '')}.version`
}

export class PgliteVersionError extends Error {}

/**
 * Refuses (throws) before PGlite touches a data directory written by another PGlite release:
 * the marker file names the release; a directory without one is judged by PostgreSQL's own
 * PG_VERSION file. Returns whether the directory already held a database.
 */
export function assertPgliteVersion(dir: string): boolean {
  const pgVersionFile = `${dir}/PG_VERSION`
  if (!existsSync(pgVersionFile)) return false
  const marker = versionMarkerPath(dir)
  const written = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : undefined
  const major = readFileSync(pgVersionFile, 'utf8').trim()
  if ((written && written !== PGLITE_VERSION) || major !== PGLITE_PG_MAJOR) {
    const by = written ? `PGlite ${written}` : `another PGlite version (PostgreSQL ${major})`
    throw new PgliteVersionError(
      `the embedded database at ${dir} was written by ${by}; this Genjin uses PGlite ${PGLITE_VERSION} and will not open it. ` +
        `Back it up with the Genjin version that wrote it (npm run db:backup), move ${dir} aside, then restore here with ` +
        `npm run db:restore <archive> — see docs/operations.md, "Upgrading PGlite".`,
    )
  }
  if (!written) writeVersionMarker(dir)
  return true
}

export function writeVersionMarker(dir: string) {
  writeFileSync(versionMarkerPath(dir), `${PGLITE_VERSION}\n`)
}
