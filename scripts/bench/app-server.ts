// The production app server a benchmark measures: started in its own process group, stopped with it.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'

/** The app's configuration for a measurement: production on `port` of the loopback, a fresh session secret, cookies over plain HTTP. */
export function productionEnv(port: number) {
  return {
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(24).toString('hex'),
    COOKIE_SECURE: 'false',
    PORT: String(port),
    APP_URL: `http://127.0.0.1:${port}`,
  }
}

/** Starts `scripts/serve.ts` with `env` and waits (up to 2 minutes) until `${base}/healthz` answers. */
export async function startServer(base: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  })
  for (let i = 0; i < 240; i++) {
    await sleep(500)
    try {
      if ((await fetch(`${base}/healthz`)).ok) return child
    } catch {
      // not listening yet
    }
  }
  throw new Error('the app server did not start')
}

/** Stops the server and its process group; gives it 5 seconds to exit. */
export async function stopServer(child: ChildProcess | undefined) {
  if (!child?.pid) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  try {
    process.kill(-child.pid, 'SIGTERM')
  } catch {
    return
  }
  await Promise.race([exited, sleep(5000)])
}
