// Remix options, read by vite.config.ts and passed to the Remix Vite plugin (never run the classic `remix build`).
/** @type {import('@remix-run/dev').VitePluginConfig} */
export const remixConfig = {
  appDirectory: 'app',
  ignoredRouteFiles: ['**/*.test.{ts,tsx}', '**/.*'],
  serverModuleFormat: 'esm',
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
    v3_routeConfig: false,
  },
}
