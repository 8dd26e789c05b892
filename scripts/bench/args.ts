// The command-line options of the benchmarks in this folder, read the one way.
import { parseArgs } from 'node:util'

/** Where a benchmark creates and drops its PostgreSQL databases unless `--admin-url` names another server. */
export const defaultAdminUrl = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/**
 * Reads `--name value` (or `--name=value`) for each key of `values`, whose value is its default
 * (`undefined`: none), and `--flag` for each of `flags` (false unless given). An option the
 * benchmark does not take, or one without its value, stops it with node's message naming the
 * option, instead of being ignored.
 */
export function benchArgs<const V extends Record<string, string | undefined>, const F extends string = never>(
  values: V,
  flags: readonly F[] = [],
): BenchArgs<V, F> {
  const options: Record<string, { type: 'string'; default?: string } | { type: 'boolean'; default: boolean }> = {}
  for (const [name, fallback] of Object.entries(values)) options[name] = fallback === undefined ? { type: 'string' } : { type: 'string', default: fallback }
  for (const name of flags) options[name] = { type: 'boolean', default: false }
  const { values: given } = parseArgs({ args: process.argv.slice(2), options, strict: true, allowPositionals: false })
  return given as BenchArgs<V, F>
}

type BenchArgs<V, F extends string> = { [K in keyof V]: V[K] extends string ? string : string | undefined } & { [K in F]: boolean }
