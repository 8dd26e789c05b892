/// <reference types="vitest/config" />
import { vitePlugin as remix } from '@remix-run/dev'
import tailwindcss from '@tailwindcss/vite'
import { defineConfig } from 'vite'
import tsconfigPaths from 'vite-tsconfig-paths'
import { remixConfig } from './remix.config.js'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

const isTest = Boolean(process.env.VITEST)

export default defineConfig({
  plugins: [tsconfigPaths(), ...(isTest ? [] : [tailwindcss(), remix(remixConfig)])],
  server: { port: Number(process.env.PORT ?? 3000) },
  build: { target: 'es2022' },
  ssr: { noExternal: [] },
  test: {
    include: ['app/**/*.test.{ts,tsx}', 'db/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/unit/**/*.test.ts'],
    globalSetup: ['tests/setup/database-template.ts'],
    setupFiles: ['tests/setup/database.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
