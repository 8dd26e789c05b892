export const locales = ['zh-CN', 'en'] as const
export type Locale = (typeof locales)[number]
export const defaultLocale: Locale = 'zh-CN'

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
