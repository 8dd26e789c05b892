/**
 * Dependency rules (docs/decisions/000-architecture.md). `npm run deps:check` runs them through
 * scripts/check-deps.mjs, which also refuses cycles between domain folders (app/modules/<domain>),
 * whatever domains exist. Type-only imports are allowed across these lines: they vanish at build.
 */
module.exports = {
  forbidden: [
    {
      name: 'modules-never-import-routes',
      severity: 'error',
      from: { path: '^app/modules/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^app/routes/' },
    },
    {
      name: 'components-never-import-server-code',
      severity: 'error',
      from: { path: '^app/components/' },
      to: { path: '\\.server\\.tsx?$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-server-files-import-db',
      comment: 'Only *.server.ts files (and db/, scripts/, tests) import db/.',
      severity: 'error',
      from: { path: '^app/', pathNot: '\\.server\\.tsx?$|\\.test\\.tsx?$' },
      // The demo accounts are plain data the sign-in page shows.
      to: { path: '^db/', pathNot: '^db/seed/demo-accounts\\.ts$', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(build|data|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs'],
    },
  },
}
