import { Form } from '@remix-run/react'
import { locales, type Locale } from '~/i18n/define'
import { useT } from '~/i18n/use-t'

/** Posts the choice (saved on the person when signed in, in a cookie otherwise). Works without JS. */
export function LanguageSwitcher({ locale, redirectTo }: { locale: Locale; redirectTo: string }) {
  const t = useT()
  return (
    <Form method="post" action="/locale" className="flex items-center gap-1" aria-label={t('lang.label')}>
      <input type="hidden" name="redirectTo" value={redirectTo} />
      {locales.map((l) => (
        <button
          key={l}
          type="submit"
          name="locale"
          value={l}
          lang={l}
          aria-pressed={l === locale}
          className={`rounded px-2 py-1 text-sm ${l === locale ? 'bg-slate-800 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
        >
          {t(`lang.${l}`)}
        </button>
      ))}
    </Form>
  )
}
