#!/usr/bin/env node
// `npm run deps:check`: the file rules of .dependency-cruiser.cjs, then no cycles between domain
// folders (app/modules/<domain>; new domains are picked up by themselves). Type-only imports and
// tests don't count. Usage: node scripts/check-deps.mjs [paths…] (default: app db).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

// Domain edges that close a cycle today, to be removed one by one (docs/decisions/000-architecture.md).
// The check fails on any other edge that closes a cycle. `--update-known` rewrites the list.
const KNOWN = 'scripts/known-domain-cycles.json'
const updateKnown = process.argv.includes('--update-known')
const known = new Set(existsSync(KNOWN) && !updateKnown ? JSON.parse(readFileSync(KNOWN, 'utf8')) : [])

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const paths = args.length ? args : ['app', 'db']
const run = spawnSync('npx', ['depcruise', ...paths, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
})
if (!run.stdout) {
  console.error(run.stderr)
  process.exit(2)
}
const result = JSON.parse(run.stdout)
let failed = false
for (const v of result.summary.violations) {
  console.error(`✗ ${v.rule.name}: ${v.from} → ${v.to}`)
  failed = true
}

const domainOf = (file) => /^app\/modules\/([^/]+)\//.exec(file)?.[1]
const isTest = (file) => /\.test\.tsx?$/.test(file) || /(^|\/)tests?\//.test(file)
const edges = new Map() // domain → Map(domain → example "from → to")
for (const m of result.modules) {
  const from = domainOf(m.source)
  if (!from || isTest(m.source)) continue
  for (const d of m.dependencies) {
    const to = domainOf(d.resolved)
    if (!to || to === from || d.dependencyTypes.includes('type-only') || known.has(`${from} -> ${to}`)) continue
    if (!edges.has(from)) edges.set(from, new Map())
    if (!edges.get(from).has(to)) edges.get(from).set(to, `${m.source} → ${d.resolved}`)
  }
}

// Tarjan's strongly connected components: every component with more than one domain is a cycle.
let index = 0
const stack = []
const meta = new Map()
const cycles = []
function visit(v) {
  meta.set(v, { index, low: index, onStack: true })
  index++
  stack.push(v)
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!meta.has(w)) {
      visit(w)
      meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low)
    } else if (meta.get(w).onStack) meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index)
  }
  if (meta.get(v).low === meta.get(v).index) {
    const component = []
    let w
    do {
      w = stack.pop()
      meta.get(w).onStack = false
      component.push(w)
    } while (w !== v)
    if (component.length > 1) cycles.push(component.sort())
  }
}
for (const v of edges.keys()) if (!meta.has(v)) visit(v)

if (updateKnown) {
  const inCycles = cycles.flatMap((c) => c.flatMap((a) => [...(edges.get(a)?.keys() ?? [])].filter((b) => c.includes(b)).map((b) => `${a} -> ${b}`)))
  writeFileSync(KNOWN, JSON.stringify(inCycles.sort(), null, 2) + '\n')
  console.log(`${KNOWN}: ${inCycles.length} known edges in ${cycles.length} domain cycles`)
  process.exit(0)
}
if (known.size) console.log(`${known.size} known cycle edges tolerated (${KNOWN}); remove them as the cycles are broken`)
for (const component of cycles) {
  failed = true
  console.error(`✗ domain cycle: ${component.join(' ↔ ')}`)
  for (const a of component) for (const [b, example] of edges.get(a) ?? []) if (component.includes(b)) console.error(`    ${a} → ${b}  (${example})`)
}
console.log(`${result.summary.totalCruised} modules cruised; ${result.summary.violations.length} rule violations; ${cycles.length} domain cycles`)
process.exit(failed ? 1 : 0)
