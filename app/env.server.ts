import { z } from 'zod'

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .url('DATABASE_URL must be a postgres:// URL')
    .refine((u) => /^postgres(ql)?:\/\//.test(u), 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PGLITE_DIR: z.string().default('data/pglite'),
  SESSION_SECRET: z.string().min(16, 'SESSION_SECRET must be at least 16 characters').optional(),
  /**
   * Seconds without activity after which a session ends (precise to the second). SESSION_IDLE_MINUTES
   * is the older spelling; when neither is set, 120 minutes. Read it through sessionIdleSeconds().
   */
  SESSION_IDLE_SECONDS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number()
      .int()
      .min(10)
      .max(31 * 24 * 3600)
      .optional(),
  ),
  SESSION_IDLE_MINUTES: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number()
      .int()
      .min(1)
      .max(31 * 24 * 60)
      .optional(),
  ),
  /** Hours after sign-in after which a session ends whatever the activity. */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(12),
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  DEMO_MODE: bool,
  /** The public origin of emailed links. Required in production: links never come from request headers. */
  APP_URL: z
    .string()
    .url('APP_URL must be a URL such as https://genjin.example.com')
    .refine((u) => /^https?:\/\//.test(u), 'APP_URL must start with http:// or https://')
    .optional(),
  SMTP_URL: z.string().url('SMTP_URL must be a URL such as smtp://user:pass@host:587').optional(),
  MAIL_FROM: z.string().default('Genjin <no-reply@genjin.local>'),
  UPLOADS_DIR: z.string().default('data/uploads'),
  /**
   * Largest upload per purpose in MB, overriding the defaults in app/modules/files/files.ts:
   * `roleplay-video=2048,slides=50` (docs/decisions/046).
   */
  UPLOAD_LIMITS_MB: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const limits: Record<string, number> = {}
      for (const part of (v ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const match = /^([a-z][a-z0-9-]*)=(\d{1,7})$/.exec(part)
        if (!match || Number(match[2]) < 1) {
          ctx.addIssue({ code: 'custom', message: 'UPLOAD_LIMITS_MB must look like roleplay-video=1024,slides=50 (whole MB, at least 1)' })
          return {}
        }
        limits[match[1]] = Number(match[2])
      }
      return limits
    }),
  /** Backups (docs/operations.md): where archives go, how often the app takes one itself (0 = never), how many it keeps. */
  BACKUP_DIR: z.string().default('data/backups'),
  BACKUP_EVERY_HOURS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 366)
    .default(0),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
  /** S3-compatible storage for uploaded files (all four, or none for local disk under UPLOADS_DIR). */
  S3_ENDPOINT: z.string().url('S3_ENDPOINT must be a URL such as https://s3.eu-central-1.amazonaws.com').optional(),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** Path-style URLs (MinIO, most self-hosted stores); virtual-hosted style when false. */
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? true : v === 'true' || v === '1')),
  /** Mux (optional): with a token, video uploads go to Mux; the webhook secret verifies its events. */
  MUX_TOKEN_ID: z.string().min(1).optional(),
  MUX_TOKEN_SECRET: z.string().min(1).optional(),
  MUX_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Mux signing key (id + base64 PEM private key): uploads get signed playback, the player short-lived tokens. */
  MUX_SIGNING_KEY_ID: z.string().min(1).optional(),
  MUX_SIGNING_PRIVATE_KEY: z.string().min(1).optional(),
  /**
   * How many reverse proxies stand in front of the app (the client address is taken that many hops
   * from the right of X-Forwarded-For). `true`/`yes` mean 1; unset or `false`/`0` trust nobody.
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const value = (v ?? '').trim().toLowerCase()
      if (['', 'false', 'no', '0'].includes(value)) return 0
      if (['true', 'yes'].includes(value)) return 1
      if (/^[1-9]$/.test(value)) return Number(value)
      ctx.addIssue({ code: 'custom', message: 'TRUST_PROXY must be a number of proxy hops (1–9), or false' })
      return 0
    }),
  /** Self check-in window around a session's start, and when an arrival counts as late (minutes; a session may override). */
  CHECK_IN_OPENS_BEFORE_MINUTES: z.coerce.number().int().min(0).max(240).default(15),
  CHECK_IN_CLOSES_AFTER_MINUTES: z.coerce.number().int().min(0).max(240).default(30),
  CHECK_IN_LATE_AFTER_MINUTES: z.coerce.number().int().min(0).max(240).default(10),
  /** Days the reaction survey stays open after a session ends. */
  SURVEY_OPEN_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** Unexcused absences after which the person and their manager are warned (again at each further one). */
  ABSENCE_WARNING_THRESHOLD: z.coerce.number().int().min(1).max(100).default(2),
  /** External lecturers keep access this many days after the end of their last session (docs/decisions/009). */
  LECTURER_ACCESS_DAYS: z.coerce.number().int().min(0).max(3650).default(7),
  /** Upward ratings of a manager are shown only once this many distinct people have rated in the month (docs/follow-up-privacy.md). */
  FOLLOW_UP_MIN_RATERS: z.coerce.number().int().min(2).max(100).default(3),
})

export type Env = z.infer<typeof EnvSchema>

/** Parses the environment; a bad value throws one line naming the variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = EnvSchema.safeParse(source)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new Error(`Invalid configuration: ${issue.path.join('.')}: ${issue.message}`)
  }
  const env = result.data
  const s3 = [env.S3_ENDPOINT, env.S3_BUCKET, env.S3_ACCESS_KEY_ID, env.S3_SECRET_ACCESS_KEY]
  if (s3.some(Boolean) && !s3.every(Boolean)) {
    const missing = (['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).find((k) => !env[k])
    throw new Error(`Invalid configuration: ${missing}: required when any S3_* variable is set`)
  }
  if (env.SESSION_IDLE_SECONDS !== undefined && env.SESSION_IDLE_MINUTES !== undefined) {
    throw new Error('Invalid configuration: SESSION_IDLE_SECONDS: set either SESSION_IDLE_SECONDS or SESSION_IDLE_MINUTES, not both')
  }
  if (env.NODE_ENV === 'production' && !env.SESSION_SECRET && !env.DEMO_MODE) {
    throw new Error('Invalid configuration: SESSION_SECRET: required in production (at least 16 characters)')
  }
  if (env.NODE_ENV === 'production' && !env.APP_URL) {
    throw new Error('Invalid configuration: APP_URL: required in production (the public URL of emailed links, e.g. https://genjin.example.com)')
  }
  return env
}

/** Seconds without activity after which a session ends. */
export function sessionIdleSeconds(config: Env = env()) {
  return config.SESSION_IDLE_SECONDS ?? (config.SESSION_IDLE_MINUTES ?? 120) * 60
}

let cached: Env | undefined
export function env(): Env {
  cached ??= parseEnv()
  return cached
}

/**
 * The public origin for links in emails: APP_URL, or in development and tests the configured
 * listen address. Never derived from a request (Host and X-Forwarded-Host are the caller's to choose).
 */
export function publicOrigin(config: Env = env()) {
  if (config.APP_URL) return new URL(config.APP_URL).origin + new URL(config.APP_URL).pathname.replace(/\/$/, '')
  return `http://localhost:${config.PORT}`
}
