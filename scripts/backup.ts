/**
 * `npm run db:backup [-- --dir <folder>]`: writes genjin-backup-<time>.tar.gz (database dump,
 * uploaded files, manifest) into BACKUP_DIR (default data/backups), while the app keeps serving.
 * On PGlite with a server running on the directory, the server takes it (decision 029).
 */
import path from 'node:path'
import { connect } from '../db/client.server'
import { parseEnv } from '../app/env.server'
import { BackupError } from '../app/modules/backups/archive.server'
import { createBackup } from '../app/modules/backups/backup.server'
import type { Manifest } from '../app/modules/backups/backups'
import { runningServer } from '../app/modules/backups/server-file.server'

function summary(file: string, manifest: Manifest) {
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0)
  const tables = Object.keys(manifest.tables).length
  return `Backup written: ${file}\n  schema ${manifest.schema.migration}, ${tables} tables, ${rows} rows, ${manifest.files.length} uploaded files (${manifest.source.server})`
}

async function main() {
  const env = parseEnv()
  const i = process.argv.indexOf('--dir')
  const dir = i >= 0 ? process.argv[i + 1] : env.BACKUP_DIR
  const server = env.DATABASE_URL ? null : runningServer(env.PGLITE_DIR)
  if (server) {
    if (i >= 0) throw new BackupError(`a Genjin server is serving ${env.PGLITE_DIR}; it writes the backup into its BACKUP_DIR (--dir is not possible then)`)
    const response = await fetch(`http://127.0.0.1:${server.port}/internal/backup`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` } })
    const body = (await response.json().catch(() => ({}))) as { file?: string; manifest?: Manifest; error?: string }
    if (!response.ok || !body.file || !body.manifest) throw new BackupError(`the running server could not take the backup: ${body.error ?? response.status}`)
    console.log(`(taken by the server running on port ${server.port})`)
    const shown = path.relative(process.cwd(), body.file)
    console.log(summary(shown.startsWith('..') ? body.file : shown, body.manifest))
    return
  }
  const connection = connect({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR, max: 1 })
  try {
    const { file, manifest } = await createBackup(connection, { dir, uploadsDir: env.UPLOADS_DIR })
    console.log(summary(file, manifest))
  } finally {
    await connection.close()
  }
}

main().catch((error) => {
  console.error(`genjin: backup failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
