/**
 * `npm run db:restore <archive> [-- --force]`: restores a backup into the configured database —
 * an empty PostgreSQL database (DATABASE_URL) or an empty PGlite directory (PGLITE_DIR) — and
 * its files into UPLOADS_DIR. Refuses a non-empty target unless --force. See docs/operations.md.
 */
import { parseEnv } from '../app/env.server'
import { restoreBackup } from '../app/modules/backups/restore.server'

async function main() {
  const env = parseEnv()
  const args = process.argv.slice(2)
  const force = args.includes('--force')
  const archive = args.find((a) => !a.startsWith('--'))
  if (!archive) throw new Error('usage: npm run db:restore <archive.tar.gz> [-- --force]')
  const report = await restoreBackup(archive, { databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR }, { uploadsDir: env.UPLOADS_DIR, force })
  const m = report.manifest
  console.log(`Restored ${archive} into ${report.target}:`)
  console.log(`  backup of ${m.createdAt} from ${m.source.server}, schema ${m.schema.migration}`)
  console.log(`  ${report.tables} tables, ${report.rows} rows (counts checked), ${report.files} uploaded files into ${env.UPLOADS_DIR} (hashes checked)`)
  if (report.migrated) console.log(`  then applied ${report.migrated} newer migration(s)`)
}

main().catch((error) => {
  console.error(`genjin: restore failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
