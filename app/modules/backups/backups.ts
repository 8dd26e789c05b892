import { z } from 'zod'

/** What `manifest.json` inside every backup archive says (docs/operations.md). */
export const Manifest = z.object({
  format: z.literal('genjin-backup'),
  version: z.literal(1),
  createdAt: z.string(),
  source: z.object({ driver: z.enum(['pglite', 'postgres']), server: z.string() }),
  /** The last drizzle migration applied when the backup was taken. */
  schema: z.object({ migration: z.string(), createdAt: z.number(), applied: z.number() }),
  /** Rows per table, keyed `schema.table`, counted in the dump's own snapshot. */
  tables: z.record(z.number().int().min(0)),
  database: z.object({ path: z.string(), sha256: z.string(), bytes: z.number() }),
  /** Every uploaded file, relative to UPLOADS_DIR. */
  files: z.array(z.object({ path: z.string(), sha256: z.string(), bytes: z.number() })),
})
export type Manifest = z.infer<typeof Manifest>

/** The newest archive, for the HR home page. */
export type LastBackup = { at: string; file: string; bytes: number } | null
