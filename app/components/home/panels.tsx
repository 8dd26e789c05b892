import { Link } from '@remix-run/react'
import type { Locale } from '~/i18n'
import { useFormatDateTime, useLocale, useT } from '~/i18n/use-t'
import type { HomeAction, HomePanel, HomeText, Localized } from '~/modules/home/home'

/** "a, b and c" in English, "a、b和c" in Chinese. */
export function joinList(items: string[], locale: Locale) {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items)
}

function useText() {
  const t = useT()
  const locale = useLocale()
  return (text: HomeText) =>
    t(
      text.key,
      text.vars &&
        Object.fromEntries(Object.entries(text.vars).map(([k, v]) => [k, typeof v === 'object' ? (v as Localized)[locale] || (v as Localized).en : v])),
    )
}

const toneClass = { urgent: 'border-l-4 border-amber-500 pl-3', good: 'border-l-4 border-emerald-500 pl-3', normal: 'pl-4' } as const

/** The person's next action, large, then the rest in order. */
export function NextActions({ actions }: { actions: HomeAction[] }) {
  const t = useT()
  const text = useText()
  const formatDateTime = useFormatDateTime()
  const [first, ...rest] = actions
  return (
    <section className="card space-y-3 border-brand-200 bg-brand-50" aria-labelledby="next-step">
      <h2 id="next-step">{t('home.next.title')}</h2>
      {first ? (
        <p className="flex flex-wrap items-center gap-3">
          <Link to={first.href} className="btn-primary" data-action={first.id}>
            {text(first.text)}
          </Link>
          {first.at ? (
            <span className="text-sm text-slate-700" suppressHydrationWarning>
              {formatDateTime(first.at)}
            </span>
          ) : null}
        </p>
      ) : (
        <p className="text-slate-700">{t('home.next.none')}</p>
      )}
      {rest.length ? (
        <div>
          <h3 className="text-sm font-semibold text-slate-700">{t('home.next.more')}</h3>
          <ul className="mt-1 space-y-1">
            {rest.slice(0, 5).map((a) => (
              <li key={a.id} className={a.tone === 'urgent' ? toneClass.urgent : toneClass.normal}>
                <Link to={a.href} data-action={a.id}>
                  {text(a.text)}
                </Link>
                {a.at ? (
                  <span className="ml-2 text-sm text-slate-600" suppressHydrationWarning>
                    {formatDateTime(a.at)}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  )
}

/** One dashboard panel: a title, an optional status line, linked items, a link to the full list. */
export function Panel({ panel }: { panel: HomePanel }) {
  const text = useText()
  const formatDateTime = useFormatDateTime()
  const headingId = `panel-${panel.id}`
  return (
    <section className="card space-y-3" aria-labelledby={headingId} data-panel={panel.id}>
      <h2 id={headingId}>{text(panel.title)}</h2>
      {panel.status ? <p className="text-sm text-slate-700">{text(panel.status)}</p> : null}
      {panel.items.length === 0 ? <p className="text-slate-600">{text(panel.empty)}</p> : null}
      <ul className="space-y-2">
        {panel.items.map((item) => (
          <li key={item.id} className={toneClass[item.tone ?? 'normal']}>
            <Link to={item.href} className="font-medium">
              {item.label}
            </Link>
            {item.note || item.at ? (
              <p className="text-sm text-slate-600" suppressHydrationWarning>
                {[item.note ? text(item.note) : '', item.at ? formatDateTime(item.at) : ''].filter(Boolean).join(' ')}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
      {panel.more ? (
        <p>
          <Link to={panel.more.href} className="text-sm">
            {text(panel.more.text)}
          </Link>
        </p>
      ) : null}
    </section>
  )
}
