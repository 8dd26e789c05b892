/**
 * The translator the UI uses, on the server and in the browser. It holds no messages itself, so
 * the message catalogue never enters the client bundle: the server registers the full catalogue
 * (entry.server.tsx), the browser registers the viewer's language only, fetched once from
 * /i18n/<locale> before hydration (entry.client.tsx) and on a language switch (root clientLoader).
 * Decision 052.
 */
import { formatMessage, type Locale } from './define'
import type { MessageKey, Translate } from './index'

export type { MessageKey, Translate }

const registry: Partial<Record<Locale, Record<string, string>>> = {}

export function registerMessages(locale: Locale, messages: Record<string, string>) {
  registry[locale] = messages
}

export function hasMessages(locale: Locale) {
  return registry[locale] !== undefined
}

/** A translator for one locale from the registered messages; unknown keys come back as written. */
export function translate(locale: Locale): Translate {
  return (raw, vars) => formatMessage((key) => registry[locale]?.[key] ?? registry.en?.[key], raw, vars, locale)
}

/** Whether the locale's registered catalogue has this key. */
export function hasMessageIn(locale: Locale, key: string) {
  return key in (registry[locale] ?? registry.en ?? {})
}

/** Where the browser fetches a language's messages; the version changes whenever the messages do. */
export const messagesUrl = (locale: Locale, version: string) => `/i18n/${locale}?v=${version}`

/** Fetches and registers a language's messages in the browser (once per language). */
export async function loadMessages(locale: Locale, version: string) {
  if (hasMessages(locale)) return
  const response = await fetch(messagesUrl(locale, version))
  if (!response.ok) throw new Error(`messages for ${locale}: ${response.status}`)
  registerMessages(locale, (await response.json()) as Record<string, string>)
}
