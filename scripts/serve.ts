/**
 * The HTTP server: Express with security headers (nonce-based CSP), compression and static
 * files, in front of the Remix request handler. `--dev` runs Vite in middleware mode.
 */
import crypto from 'node:crypto'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import helmet from 'helmet'
import postgres from 'postgres'
import { writeServerFile } from '../app/modules/backups/server-file.server'
import { parseEnv, publicOrigin } from '../app/env.server'
import { isCrossSiteWrite } from '../app/shared/origin.server'

const dev = process.argv.includes('--dev')
if (dev) process.env.NODE_ENV ??= 'development'

let env: ReturnType<typeof parseEnv>
try {
  env = parseEnv()
} catch (error) {
  console.error(`genjin: ${(error as Error).message}`)
  process.exit(1)
}

if (env.DATABASE_URL) {
  // Fail at start-up with one clear line rather than on the first request.
  const probe = postgres(env.DATABASE_URL, { max: 1, connect_timeout: 5, onnotice: () => {} })
  try {
    await probe`select 1`
  } catch (error) {
    console.error(`genjin: DATABASE_URL is not reachable: ${(error as Error).message}`)
    process.exit(1)
  } finally {
    await probe.end({ timeout: 1 })
  }
}

const viteDevServer = dev ? await import('vite').then((vite) => vite.createServer({ server: { middlewareMode: true } })) : undefined

const app = express()
app.disable('x-powered-by')
// Trust exactly the configured number of proxy hops in X-Forwarded-For (never any client's claim).
if (env.TRUST_PROXY) app.set('trust proxy', env.TRUST_PROXY)

app.use((_req, res, next) => {
  res.locals.cspNonce = crypto.randomBytes(16).toString('base64')
  next()
})
app.use(
  helmet({
    xPoweredBy: false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: env.NODE_ENV === 'production' && env.COOKIE_SECURE !== 'false',
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'object-src': ["'none'"],
        'img-src': ["'self'", 'data:', 'blob:', 'https://image.mux.com'],
        'media-src': ["'self'", 'blob:', 'https://stream.mux.com', 'https://*.mux.com'],
        'font-src': ["'self'", 'data:'],
        'style-src': ["'self'", "'unsafe-inline'"],
        'connect-src': ["'self'", 'https://*.mux.com', 'https://storage.googleapis.com', ...(dev ? ['ws:'] : [])],
        'script-src': ["'strict-dynamic'", "'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
        'worker-src': ["'self'", 'blob:'],
        'upgrade-insecure-requests': null,
      },
    },
  }),
)
app.use(compression())

const origin = publicOrigin(env)
app.use((req, res, next) => {
  const check = {
    method: req.method,
    path: req.path,
    origin: req.get('Origin'),
    secFetchSite: req.get('Sec-Fetch-Site'),
    host: req.get('Host'),
    protocol: req.protocol,
  }
  if (isCrossSiteWrite(check, origin)) {
    res.status(403).type('text/plain').send('Cross-site request refused')
    return
  }
  next()
})

if (viteDevServer) {
  app.use(viteDevServer.middlewares)
} else {
  app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }))
  app.use(express.static('build/client', { maxAge: '1h' }))
}

const build = viteDevServer
  ? () => viteDevServer.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
  : ((await import(new URL('../build/server/index.js', import.meta.url).href)) as ServerBuild)

app.all(
  '*',
  createRequestHandler({
    build,
    getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce as string, clientIp: req.ip ?? req.socket.remoteAddress ?? '' }),
  }),
)

const server = app.listen(env.PORT, () => {
  console.log(`Genjin is running at http://localhost:${env.PORT}${env.DEMO_MODE ? ' (demo mode: sign in at /demo)' : ''}`)
  // This process holds the PGlite directory: `npm run db:backup` asks us (decision 029).
  if (!env.DATABASE_URL) writeServerFile(env.PGLITE_DIR, env.PORT)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0))
    setTimeout(() => process.exit(0), 3000).unref()
  })
}
