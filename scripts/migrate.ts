/**
 * Applies the committed migrations to the configured database (PGlite under ./data by default,
 * PostgreSQL with DATABASE_URL), imports the course content files and the teaching videos, and
 * seeds the demo company when the database has nobody in it.
 * Usage: tsx scripts/migrate.ts [--seed]
 */
import { connect, useConnection } from '../db/client.server'
import { seedDemoKpi } from '../db/seed/demo-kpi'
import { formatImportSummary, importContent } from '../app/modules/courses/course-import.server'
import { seedDemoCompany, DEMO_PASSWORD } from '../db/seed/demo-company'
import { seedCourseAssignments } from '../db/seed/course-assignments'
import { parseEnv } from '../app/env.server'
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
    if (process.argv.includes('--seed')) {
      const seeded = await seedDemoCompany(connection.db)
      console.log(seeded ? `Seeded the demo company (password for every demo account: ${DEMO_PASSWORD}).` : 'Database already has people; demo seed skipped.')
      const enrolled = await seedCourseAssignments(connection.db)
      if (enrolled !== false) console.log(`Assigned the demo courses (${enrolled} enrolments).`)
      useConnection(connection) // the KPI demo publishes through the kpi module, which uses the process-wide connection
      if (await seedDemoKpi(connection.db)) console.log('Seeded the KPI demo (last quarter published with a correction, this quarter in preview).')
    }
  } finally {
    await connection.close()
  }
}

main().catch((error) => {
  const message = error instanceof Error ? error.message : String(error)
  const cause = (error as { cause?: { message?: string; code?: string } })?.cause
  console.error(`genjin: cannot prepare the database: ${cause?.message ?? cause?.code ?? message}`)
  process.exit(1)
})
