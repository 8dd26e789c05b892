/**
 * Creates the first HR admin on an empty production database (no demo data there).
 * Usage: npm run admin:create -- --email hr@company.example --name "Li Na"
 * The password is read from GENJIN_ADMIN_PASSWORD, or else from the first line of standard input
 * (so it never appears in the shell history or the process list).
 */
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { connect } from '../db/client.server'
import { createFirstHrAdmin } from '../app/modules/org/first-admin.server'
import { parseEnv } from '../app/env.server'

async function readPassword() {
  if (process.env.GENJIN_ADMIN_PASSWORD) return process.env.GENJIN_ADMIN_PASSWORD
  if (process.stdin.isTTY) process.stderr.write('Password for the HR admin (at least 10 characters): ')
  const lines = createInterface({ input: process.stdin, terminal: false })
  for await (const line of lines) {
    lines.close()
    return line
  }
  return ''
}

async function main() {
  const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } })
  if (!values.email || !values.name) {
    console.error('usage: npm run admin:create -- --email hr@company.example --name "Li Na"   (password from GENJIN_ADMIN_PASSWORD or stdin)')
    process.exit(2)
  }
  // Only the database settings matter here; APP_URL and SESSION_SECRET belong to the web server.
  const env = parseEnv({ ...process.env, NODE_ENV: 'development' })
  const connection = connect({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR, max: 1 })
  try {
    await connection.migrate()
    const result = await createFirstHrAdmin(connection.db, { email: values.email, name: values.name, password: await readPassword() })
    if (!result.ok) {
      console.error(`genjin: ${result.error}`)
      process.exitCode = 1
      return
    }
    console.log(`Created the HR admin ${values.email}. Sign in at /login.`)
  } finally {
    await connection.close()
  }
}

main().catch((error) => {
  console.error(`genjin: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
