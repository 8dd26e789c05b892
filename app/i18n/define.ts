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
 *
 * Templates use ICU's placeholder and plural syntax: `{name}`, and
 * `{count, plural, =0 {none} one {# session} other {# sessions}}` (`#` is the number; the forms
 * are the locale's plural categories, so Chinese needs only `other`).
 */
export function formatMessage(lookup: (key: string) => string | undefined, raw: string, vars?: Record<string, string | number>, locale: Locale = 'en') {
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
  return interpolate(template, vars, locale)
}

const pluralRules = new Map<Locale, Intl.PluralRules>()
function pluralCategory(locale: Locale, n: number) {
  let rules = pluralRules.get(locale)
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)))
  return rules.select(n)
}

/** The index of the `}` closing the `{` at `open`, or -1. */
function closing(text: string, open: number) {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++
    else if (text[i] === '}' && --depth === 0) return i
  }
  return -1
}

function interpolate(template: string, vars: Record<string, string | number>, locale: Locale, count?: number): string {
  let out = ''
  let i = 0
  while (i < template.length) {
    const open = template.indexOf('{', i)
    const hash = count === undefined ? -1 : template.indexOf('#', i)
    if (hash !== -1 && (open === -1 || hash < open)) {
      out += template.slice(i, hash) + String(count)
      i = hash + 1
      continue
    }
    const close = open === -1 ? -1 : closing(template, open)
    if (close === -1) return out + template.slice(i)
    out += template.slice(i, open) + argument(template.slice(open, close + 1), vars, locale)
    i = close + 1
  }
  return out
}

/** `{name}` or `{name, plural, …}`; anything else, or a missing variable, stays as written. */
function argument(whole: string, vars: Record<string, string | number>, locale: Locale) {
  const simple = /^\{(\w+)\}$/.exec(whole)
  if (simple) return simple[1] in vars ? String(vars[simple[1]]) : whole
  const plural = /^\{(\w+),\s*plural,\s*/.exec(whole)
  if (!plural || !(plural[1] in vars)) return whole
  const n = Number(vars[plural[1]])
  const forms = new Map<string, string>()
  let rest = whole.slice(plural[0].length, -1)
  while (rest.trim()) {
    const selector = /^\s*(=\d+|\w+)\s*\{/.exec(rest)
    if (!selector) return whole
    const open = selector[0].length - 1
    const close = closing(rest, open)
    if (close === -1) return whole
    forms.set(selector[1], rest.slice(open + 1, close))
    rest = rest.slice(close + 1)
  }
  const form = forms.get(`=${n}`) ?? forms.get(pluralCategory(locale, n)) ?? forms.get('other')
  return form === undefined ? whole : interpolate(form, vars, locale, n)
}
