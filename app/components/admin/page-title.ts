import type { MetaDescriptor } from '@remix-run/node'
import { defaultLocale, isLocale, type Locale } from '~/i18n/define'
import { translate, type Translate } from '~/i18n/runtime'

type Match = { id: string; data: unknown }

/** A page title in the viewer's language (the root loader carries the locale). */
export function pageTitle(matches: Match[], title: (t: Translate, locale: Locale) => string): MetaDescriptor[] {
  const locale = (matches.find((m) => m.id === 'root')?.data as { locale?: unknown } | undefined)?.locale
  const viewer = isLocale(locale) ? locale : defaultLocale
  const t = translate(viewer)
  return [{ title: `${t('app.name')} · ${title(t, viewer)}` }]
}
