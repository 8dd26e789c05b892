import { useRouteLoaderData } from '@remix-run/react'
import { useMemo } from 'react'
import { defaultLocale, type Locale } from './define'
import { translate } from './runtime'

export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale: Locale }>('root')
  return data?.locale ?? defaultLocale
}

export function useT() {
  const locale = useLocale()
  return useMemo(() => translate(locale), [locale])
}

/** Formats a date-time in the UI's locale and the viewer's time zone. */
export function useFormatDateTime() {
  const locale = useLocale()
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' })
    return (value: Date | string | null | undefined) => (value ? format.format(new Date(value)) : '')
  }, [locale])
}

/** Joins names or labels the way the UI's language does ("A, B, and C" / "A、B和C"). */
export function useFormatList() {
  const locale = useLocale()
  return useMemo(() => {
    const format = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' })
    return (items: string[]) => format.format(items)
  }, [locale])
}
