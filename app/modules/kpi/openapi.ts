/** OpenAPI 3.1 description of the read-only KPI API (docs/decisions/022). */
const component = {
  type: 'object',
  properties: {
    key: { type: 'string', description: 'attendance | completion | learning | participation | (components added later)' },
    weight: { type: 'integer', description: 'Weight in the policy (enabled weights sum to 100)' },
    effectiveWeight: { type: ['number', 'null'], description: 'Weight after re-normalising over components with items; null when the component had none' },
    score: { type: ['number', 'null'], description: 'Component score 0–100, one decimal' },
    items: { type: 'integer', description: 'Counted evidence items' },
  },
}

export const kpiOpenApi = {
  openapi: '3.1.0',
  info: {
    title: 'Genjin KPI API',
    version: '1.0.0',
    description: 'Published (frozen) manager training KPIs. Read-only. Tokens are created by HR admins under /admin/kpi/tokens.',
  },
  servers: [{ url: '/api/v1/kpi' }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A KPI API token (scope kpi:read)' } },
    schemas: {
      Problem: { type: 'object', properties: { title: { type: 'string' }, status: { type: 'integer' } } },
      Component: component,
      Manager: {
        type: 'object',
        properties: {
          managerId: { type: 'string', format: 'uuid' },
          employeeNumber: { type: ['string', 'null'] },
          name: { type: 'string' },
          email: { type: 'string' },
          department: { type: ['string', 'null'], description: 'Department path, e.g. 销售部/华东区' },
          score: { type: ['number', 'null'], description: '0–100, one decimal (half away from zero)' },
          band: { type: ['string', 'null'], enum: ['A', 'B', 'C', 'D', null] },
          components: { type: 'array', items: { $ref: '#/components/schemas/Component' } },
        },
      },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    '/periods': {
      get: {
        summary: 'Published periods with their latest revision',
        responses: {
          '200': {
            description: 'OK',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    periods: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: {
                          key: { type: 'string' },
                          startsOn: { type: 'string', format: 'date' },
                          endsOn: { type: 'string', format: 'date' },
                          revision: { type: 'integer' },
                          publishedAt: { type: 'string', format: 'date-time' },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          '401': {
            description: 'Missing, invalid or revoked token',
            content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        },
      },
    },
    '/periods/{key}/scores': {
      get: {
        summary: 'Scores of every manager in a published period (limited to the token’s department, if it has one)',
        parameters: [
          { name: 'key', in: 'path', required: true, schema: { type: 'string' }, example: '2027-Q1' },
          { name: 'revision', in: 'query', required: false, schema: { type: 'integer', minimum: 1 }, description: 'A given revision; the latest by default' },
        ],
        responses: {
          '200': {
            description: 'OK',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    period: { type: 'object', properties: { key: { type: 'string' }, startsOn: { type: 'string' }, endsOn: { type: 'string' } } },
                    revision: { type: 'integer' },
                    reason: { type: ['string', 'null'], description: 'Why this revision corrects the previous one' },
                    publishedAt: { type: 'string', format: 'date-time' },
                    managers: { type: 'array', items: { $ref: '#/components/schemas/Manager' } },
                  },
                },
              },
            },
          },
          '401': {
            description: 'Missing, invalid or revoked token',
            content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
          '404': {
            description: 'No published period with this key, or no such revision',
            content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        },
      },
    },
  },
} as const
