import { RemixBrowser } from '@remix-run/react'
import { startTransition, StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { isLocale } from './i18n/define'
import { registerMessages } from './i18n/runtime'

/** The viewer's language (the page preloads it, see root.tsx), registered before hydrating. */
async function viewerMessages() {
  const link = document.querySelector<HTMLLinkElement>('link[data-messages]')
  const locale = link?.dataset.messages
  if (!link || !isLocale(locale)) return
  const response = await fetch(link.href)
  if (response.ok) registerMessages(locale, (await response.json()) as Record<string, string>)
}

viewerMessages()
  .catch((error) => console.error(error))
  .finally(() => {
    startTransition(() => {
      hydrateRoot(
        document,
        <StrictMode>
          <RemixBrowser />
        </StrictMode>,
      )
    })
  })
