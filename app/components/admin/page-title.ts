import type { MetaDescriptor } from '@remix-run/node'
import { defaultLocale, isLocale, translator, type Translate } from '~/i18n'

type Match = { id: string; data: unknown }

/** A page title in the viewer's language (the root loader carries the locale). */
export function pageTitle(matches: Match[], title: (t: Translate) => string): MetaDescriptor[] {
  const locale = (matches.find((m) => m.id === 'root')?.data as { locale?: unknown } | undefined)?.locale
  const t = translator(isLocale(locale) ? locale : defaultLocale)
  return [{ title: `${t('app.name')} · ${title(t)}` }]
}
