import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { KPI_API_ENDPOINTS } from './kpi'
import { kpiOpenApi } from './openapi'

// Each API route file (app/routes/api.v1.kpi.*) as the path it serves, e.g. /api/v1/kpi/periods/{key}/scores.
const routePaths = readdirSync('app/routes')
  .filter((file) => file.startsWith('api.v1.kpi.') && !file.includes('openapi'))
  .map((file) =>
    `/${file
      .replace(/\.tsx?$/, '')
      .split('.')
      .join('/')}`.replace('$periodKey', '{key}'),
  )

describe('KPI API description', () => {
  it('describes every API route, and the tokens page lists each one', () => {
    expect(routePaths.length).toBeGreaterThanOrEqual(3)
    const described = Object.keys(kpiOpenApi.paths).map((path) => `${kpiOpenApi.servers[0].url}${path}`)
    expect(described.sort()).toEqual([...routePaths].sort())
    expect(KPI_API_ENDPOINTS.map(([path]) => path).sort()).toEqual([...routePaths].sort())
  })
})
