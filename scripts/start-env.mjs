// The environment `npm start` runs the app with (kept apart from start.mjs so a test can check it).

/**
 * Production mode; demo mode only on the embedded demo database (or when DEMO_MODE says so);
 * emailed links on the embedded database point at the listen address, a deployment with
 * DATABASE_URL must set APP_URL (the app refuses to start without it).
 */
export function startEnv(source) {
  const env = { ...source, NODE_ENV: 'production' }
  const embedded = !env.DATABASE_URL
  if (!env.DEMO_MODE) env.DEMO_MODE = embedded ? 'true' : 'false'
  if (!env.APP_URL && embedded) env.APP_URL = `http://localhost:${env.PORT || 3000}`
  return env
}

/** The migration command's arguments: the demo company is seeded only in demo mode. */
export function migrateArgs(env) {
  return ['tsx', 'scripts/migrate.ts', ...(env.DEMO_MODE === 'true' ? ['--seed'] : [])]
}
