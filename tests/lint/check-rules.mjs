#!/usr/bin/env node
// Proof that every habit rule bites: writes deliberately broken files into app/ (the rules
// are about paths there), runs ESLint, Prettier and the dependency check on them, expects each
// to fail for the right reason, and removes the files again. `npm test` runs it (scripts/test-all.mjs).
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'

const dirs = ['app/modules/zz-lint-a', 'app/modules/zz-lint-b', 'app/components/zz-lint']
const upward = 'app/modules/org/zz-lint-upward.server.ts'
const route = 'app/routes/zz-lint-form.tsx'
const files = {
  // modules-never-import-routes
  'app/modules/zz-lint-a/route-user.server.ts': "import { loader } from '~/routes/healthz'\nexport const x = loader\n",
  // only-server-files-import-db
  'app/modules/zz-lint-a/shared.ts': "import { db } from '#db/client.server'\nexport const y = db\n",
  // a domain cycle: zz-lint-a → zz-lint-b → zz-lint-a
  'app/modules/zz-lint-a/a.server.ts': "import { b } from '~/modules/zz-lint-b/b.server'\nexport const a = () => b()\n",
  'app/modules/zz-lint-b/b.server.ts': "import { a } from '~/modules/zz-lint-a/a.server'\nexport const b = (): unknown => a\n",
  // an upward import between real domains: org is below courses (courses uses audiences), so org
  // may not call courses (it emits org.people-changed instead; docs/decisions/060)
  [upward]: "import { syncEnrolments } from '~/modules/courses/enrolment.server'\nexport const sync = syncEnrolments\n",
  // components-never-import-server-code, plus ESLint (hooks, a11y, unused) and Prettier (semicolons)
  'app/components/zz-lint/broken.tsx': [
    "import { useState } from 'react';",
    "import { audit } from '~/modules/audit/audit.server';",
    'export function Broken({ on }: { on: boolean }) {',
    '  const unused = 1;',
    '  if (on) useState(0);',
    '  return <img src="/x.png" onClick={() => audit} />;',
    '}',
    '',
  ].join('\n'),
  // the form protocol (eslint.config.js, app/routes): a raw body, a hand safeParse, a bare .parse()
  // in the action and in a helper, and the multipart parser outside the listed upload pages
  [route]: [
    "import { unstable_parseMultipartFormData } from '@remix-run/node'",
    "import { z } from 'zod'",
    'const Rename = z.object({ name: z.string() })',
    'const fields = (form: FormData) => Rename.parse(Object.fromEntries(form))',
    'export async function action({ request }: { request: Request }) {',
    '  const body = await request.formData()',
    '  const parsed = Rename.safeParse(Object.fromEntries(body))',
    '  return { parsed, value: Rename.parse({ name: body.get(`name`) }), fields, unstable_parseMultipartFormData }',
    '}',
    '',
  ].join('\n'),
  // raw SQL rows are parsed, not cast (eslint.config.js, docs/decisions/068)
  'app/modules/zz-lint-a/rows.server.ts': [
    "import { sql } from 'drizzle-orm'",
    "import { db } from '#db/client.server'",
    'type Row = { name: string }',
    'export async function names() {',
    '  const result = await db.execute(sql`select name from users`)',
    '  const a = (result as unknown as { rows: Row[] }).rows',
    '  const b = (await db.execute(sql`select 1`)) as unknown as Row[]',
    '  return [a, b]',
    '}',
    '',
  ].join('\n'),
  // max-lines: 500 for app/**
  'app/modules/zz-lint-a/long.ts': Array.from({ length: 501 }, (_, i) => `export const line${i} = ${i}`).join('\n') + '\n',
}

function run(cmd, args) {
  const r = spawnSync('npx', [cmd, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` }
}

let failures = 0
function expect(name, result, patterns) {
  const missing = patterns.filter((p) => !result.out.includes(p))
  if (result.status === 0 || missing.length) {
    failures++
    console.error(`✗ ${name}: status ${result.status}, missing ${JSON.stringify(missing)}\n${result.out.slice(0, 2000)}`)
  } else console.log(`✓ ${name} fails on the broken fixture (${patterns.join(', ')})`)
}

try {
  for (const d of dirs) mkdirSync(d, { recursive: true })
  for (const [path, text] of Object.entries(files)) writeFileSync(path, text)
  // One ESLint run over every fixture (and a listed JSON-body route, which must pass), read per file.
  const jsonRoute = 'app/routes/videos.$videoId.notes.ts'
  const lint = run('eslint', [
    '--format',
    'json',
    'app/components/zz-lint/broken.tsx',
    route,
    'app/modules/zz-lint-a/long.ts',
    'app/modules/zz-lint-a/rows.server.ts',
    jsonRoute,
  ])
  let reports = []
  try {
    reports = JSON.parse(lint.out.slice(lint.out.indexOf('['), lint.out.lastIndexOf(']') + 1))
  } catch {
    console.error(lint.out.slice(0, 2000))
  }
  const lintOf = (file) => {
    const messages = reports.find((r) => r.filePath.endsWith(file))?.messages ?? []
    return { status: messages.some((m) => m.severity === 2) ? 1 : 0, out: messages.map((m) => `${m.ruleId}: ${m.message}`).join('\n') }
  }
  expect('eslint', lintOf('app/components/zz-lint/broken.tsx'), ['react-hooks/rules-of-hooks', 'jsx-a11y/alt-text', '@typescript-eslint/no-unused-vars'])
  expect('eslint: one form protocol in routes', lintOf(route), [
    'not request.formData()',
    'not a hand safeParse with its own error shape',
    'an action parses with parseWithZod',
    'form data is parsed with parseWithZod',
    "'unstable_parseMultipartFormData' import from '@remix-run/node' is restricted",
  ])
  expect('eslint: max-lines', lintOf('app/modules/zz-lint-a/long.ts'), ['max-lines'])
  const rowCasts = lintOf('app/modules/zz-lint-a/rows.server.ts')
  const castCount = rowCasts.out.split('\n').filter((m) => m.includes('Raw SQL rows: read them with parseRows')).length
  expect('eslint: raw SQL rows parsed, not cast', { ...rowCasts, out: `${rowCasts.out}\n${castCount} casts` }, [
    'Raw SQL rows: read them with parseRows',
    '2 casts',
  ])
  // The listed JSON-body routes keep their safeParse: the exception is exactly the list.
  if (lintOf(jsonRoute).status !== 0) {
    failures++
    console.error(`✗ a listed JSON-body route fails ESLint:\n${lintOf(jsonRoute).out}`)
  } else console.log('✓ a listed JSON-body route passes ESLint')
  expect('prettier', run('prettier', ['--check', 'app/components/zz-lint/broken.tsx']), ['broken.tsx'])
  const deps = spawnSync('node', ['scripts/check-deps.mjs', 'app'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
  expect('dependency rules', { status: deps.status, out: `${deps.stdout}\n${deps.stderr}` }, [
    'modules-never-import-routes: app/modules/zz-lint-a/route-user.server.ts',
    'only-server-files-import-db: app/modules/zz-lint-a/shared.ts',
    'components-never-import-server-code: app/components/zz-lint/broken.tsx',
    'domain cycle: zz-lint-a ↔ zz-lint-b',
    'domain cycle: courses ↔ org',
  ])
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
  rmSync(upward, { force: true })
  rmSync(route, { force: true })
}
process.exit(failures ? 1 : 0)
