import { useRouteLoaderData } from '@remix-run/react'
import { useMemo } from 'react'
import { defaultLocale, translator, type Locale } from './index'

export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale: Locale }>('root')
  return data?.locale ?? defaultLocale
}

export function useT() {
  const locale = useLocale()
  return useMemo(() => translator(locale), [locale])
}

/** Formats a date-time in the UI's locale and the viewer's time zone. */
export function useFormatDateTime() {
  const locale = useLocale()
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' })
    return (value: Date | string | null | undefined) => (value ? format.format(new Date(value)) : '')
  }, [locale])
}
