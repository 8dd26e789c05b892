/**
 * Applies the committed migrations to the configured database (PGlite under ./data by default,
 * PostgreSQL with DATABASE_URL), imports the course content files and the teaching videos, and
 * seeds the demo company when the database has nobody in it.
 * Usage: tsx scripts/migrate.ts [--seed]
 */
import { connect, useConnection } from '../db/client.server'
import { formatImportSummary, importContent } from '../app/modules/courses/course-import.server'
import { seedDemo } from '../db/seed'
import { importCases } from '../app/modules/assignments/case-content.server'
import { syncRoleplayScenarios } from '../app/modules/roleplay/scenario-library.server'
import { parseEnv } from '../app/env.server'
import { moveLegacyImages } from '../app/modules/courses/media.server'
import { moveLegacyVideoFiles } from '../app/modules/videos/uploads.server'
import { formatImportSummary as formatVideoSummary, importSampleVideos } from '../app/modules/videos/content.server'

async function main() {
  const env = parseEnv()
  const connection = connect({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR, max: 1 })
  try {
    await connection.migrate()
    console.log(`Database migrated (${connection.driver === 'pglite' ? `PGlite at ${env.PGLITE_DIR}` : 'PostgreSQL'}).`)
    // Every start brings the courses in line with content/courses; new courses are published.
    const summary = await connection.db.transaction((tx) => importContent(tx, { publishNew: true }))
    console.log(formatImportSummary(summary))
    console.log(formatVideoSummary(await importSampleVideos(connection.db)))
    // Files from before the storage module move into it once (docs/decisions/047).
    const images = await moveLegacyImages(connection.db)
    if (images.moved || images.missing) console.log(`Lesson images moved into the storage: ${images.moved} (${images.missing} without a file on disk).`)
    const uploadedVideos = await moveLegacyVideoFiles(connection.db)
    if (uploadedVideos.moved) console.log(`Uploaded videos moved into the storage: ${uploadedVideos.moved}.`)
    console.log(`Case library: ${(await connection.db.transaction((tx) => importCases(tx))).cases} cases.`)
    console.log(`Role-play scenarios: ${(await connection.db.transaction((tx) => syncRoleplayScenarios(tx))).scenarios} scenarios.`)
    if (process.argv.includes('--seed')) {
      // The demo writes through the domain modules, which use the process-wide connection.
      useConnection(connection)
      await seedDemo(connection.db, console.log)
    }
  } finally {
    await connection.close()
  }
}

main()
  // Done: on PostgreSQL the demo's domain calls queue jobs through pg-boss, whose own pool would keep the process alive.
  .then(() => process.exit(0))
  .catch((error) => {
    const message = error instanceof Error ? error.message : String(error)
    const cause = (error as { cause?: { message?: string; code?: string } })?.cause
    console.error(`genjin: cannot prepare the database: ${cause?.message ?? cause?.code ?? message}`)
    process.exit(1)
  })
