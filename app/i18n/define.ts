export const locales = ['zh-CN', 'en'] as const
export type Locale = (typeof locales)[number]
export const defaultLocale: Locale = 'zh-CN'

/** A text in both languages, as content and the database store it. */
export type Localized = Record<Locale, string>

/**
 * A domain's messages in both locales. English defines the keys; zh-CN must have exactly
 * the same keys, so a missing translation is a type error.
 */
export function defineMessages<const T extends Record<string, string>>(messages: { en: T; 'zh-CN': { [K in keyof T]: string } }) {
  return messages
}

export function isLocale(value: unknown): value is Locale {
  return value === 'zh-CN' || value === 'en'
}

/**
 * A message key with variables as one string, for places that carry plain strings (zod issues,
 * conform field errors); the translator decodes it.
 */
export function messageWithVars(key: string, vars: Record<string, string | number>) {
  return JSON.stringify({ key, vars })
}

/**
 * One message in one language: `lookup` finds a key's template (the locale's, else English);
 * unknown keys come back as written, so zod messages that are not keys still show. A message with
 * its variables may travel as one string (see `messageWithVars`), e.g. in field errors.
 */
export function formatMessage(lookup: (key: string) => string | undefined, raw: string, vars?: Record<string, string | number>) {
  let key = raw
  if (raw.startsWith('{"key":')) {
    try {
      const decoded = JSON.parse(raw) as { key: string; vars?: Record<string, string | number> }
      key = decoded.key
      vars = { ...decoded.vars, ...vars }
    } catch {
      key = raw
    }
  }
  const template = lookup(key) ?? key
  if (!vars) return template
  const values = vars
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}
