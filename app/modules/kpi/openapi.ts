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

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
})
const okResponse = (properties: Record<string, unknown>) => ({
  description: 'OK',
  content: { 'application/json': { schema: { type: 'object', properties } } },
})
const keyParameter = { name: 'key', in: 'path', required: true, schema: { type: 'string' }, example: '2027-Q1' }
const revisionParameter = {
  name: 'revision',
  in: 'query',
  required: false,
  schema: { type: 'integer', minimum: 1 },
  description: 'A given revision; the latest by default',
}
/** What every answer about one published snapshot starts with. */
const snapshotProperties = {
  period: { type: 'object', properties: { key: { type: 'string' }, startsOn: { type: 'string' }, endsOn: { type: 'string' } } },
  revision: { type: 'integer' },
  reason: { type: ['string', 'null'], description: 'Why this revision corrects the previous one' },
  publishedAt: { type: 'string', format: 'date-time' },
}
const unauthorized = problemResponse('Missing, invalid or revoked token')

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
      Bands: {
        type: 'object',
        description: 'How many managers are in each band; none: without a score (no component had items)',
        properties: { A: { type: 'integer' }, B: { type: 'integer' }, C: { type: 'integer' }, D: { type: 'integer' }, none: { type: 'integer' } },
      },
      Totals: {
        type: 'object',
        properties: {
          managers: { type: 'integer' },
          average: { type: ['number', 'null'], description: 'Mean score of the managers with one, one decimal' },
          bands: { $ref: '#/components/schemas/Bands' },
        },
      },
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
          '200': okResponse({
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
          }),
          '401': unauthorized,
        },
      },
    },
    '/periods/{key}/scores': {
      get: {
        summary: 'Scores of every manager in a published period (limited to the token’s department, if it has one)',
        parameters: [keyParameter, revisionParameter],
        responses: {
          '200': okResponse({ ...snapshotProperties, managers: { type: 'array', items: { $ref: '#/components/schemas/Manager' } } }),
          '401': unauthorized,
          '404': problemResponse('No published period with this key, or no such revision'),
        },
      },
    },
    '/periods/{key}/departments': {
      get: {
        summary:
          'Department roll-up of a published period: totals, bands and one line per department directly below (within the token’s department, if it has one)',
        parameters: [
          keyParameter,
          {
            name: 'department',
            in: 'query',
            required: false,
            schema: { type: 'string' },
            description: 'The department to roll up, by id or path (e.g. 销售部/华东区); the token’s department, or the whole organisation, by default',
          },
          revisionParameter,
        ],
        responses: {
          '200': okResponse({
            ...snapshotProperties,
            department: {
              type: ['object', 'null'],
              description: 'The department rolled up; null: the whole organisation',
              properties: { id: { type: 'string', format: 'uuid' }, path: { type: 'string' } },
            },
            totals: { $ref: '#/components/schemas/Totals' },
            departments: {
              type: 'array',
              description: 'One line per department directly below (each over its own subtree); the department itself for its own managers',
              items: { allOf: [{ $ref: '#/components/schemas/Totals' }, { type: 'object', properties: { path: { type: 'string' } } }] },
            },
          }),
          '401': unauthorized,
          '403': problemResponse('The department is outside the token’s department'),
          '404': problemResponse('No published period with this key, no such revision, or no such department'),
        },
      },
    },
  },
} as const
