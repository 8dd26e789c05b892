/**
 * The whole app as Remix serves it (document requests: every matched loader, then the HTML), built
 * from the source route modules inside the test process, so the pages read the test's database.
 * No Vite build and no HTTP server: a test calls `render(request)` and gets the Response.
 */
import path from 'node:path'
import { createRequestHandler, type ServerBuild } from '@remix-run/node'
import { UNSAFE_flatRoutes as flatRoutes } from '@remix-run/dev'
import { remixConfig } from '../../remix.config.js'

const appDir = path.resolve('app')

/** `only` (route files such as `_index.tsx`) loads just those routes, for a test of one page (the root always). */
export async function appRequestHandler(options: { only?: string[] } = {}) {
  const routeFiles = Object.entries(flatRoutes(appDir, remixConfig.ignoredRouteFiles)).filter(
    ([, route]) => !options.only || options.only.some((file) => route.file === `routes/${file}`),
  )
  const manifest = {
    root: {
      id: 'root',
      parentId: undefined as string | undefined,
      path: '',
      index: undefined as boolean | undefined,
      caseSensitive: undefined,
      file: 'root.tsx',
    },
    ...Object.fromEntries(routeFiles),
  }
  const routes: ServerBuild['routes'] = {}
  const assetRoutes: ServerBuild['assets']['routes'] = {}
  for (const route of Object.values(manifest)) {
    const module = await import(/* @vite-ignore */ path.join(appDir, route.file))
    routes[route.id] = { id: route.id, parentId: route.parentId, path: route.path, index: route.index, caseSensitive: route.caseSensitive, module }
    assetRoutes[route.id] = {
      id: route.id,
      parentId: route.parentId,
      path: route.path,
      index: route.index,
      caseSensitive: route.caseSensitive,
      module: `/assets/${route.id}.js`,
      imports: [],
      hasAction: Boolean(module.action),
      hasLoader: Boolean(module.loader),
      hasClientAction: false,
      hasClientLoader: false,
      hasErrorBoundary: Boolean(module.ErrorBoundary),
    }
  }
  const build: ServerBuild = {
    mode: 'production',
    entry: { module: await import(/* @vite-ignore */ path.join(appDir, 'entry.server.tsx')) },
    routes,
    assets: { entry: { imports: [], module: '/assets/entry.client.js' }, routes: assetRoutes, url: '/assets/manifest.js', version: 'test' },
    publicPath: '/',
    assetsBuildDirectory: 'build/client',
    future: remixConfig.future as ServerBuild['future'],
    isSpaMode: false,
  }
  const handler = createRequestHandler(build, 'production')
  return (request: Request) => handler(request, { cspNonce: 'test', clientIp: '127.0.0.1' })
}
