import { createHash } from 'node:crypto'
import { catalogs, locales } from './index'
import { registerMessages } from './runtime'

/** Changes whenever any message changes: the browser caches `/i18n/<locale>?v=<version>` for good. */
export const catalogVersion = createHash('sha256').update(JSON.stringify(catalogs)).digest('hex').slice(0, 12)

/** Server rendering translates with both complete catalogues. */
export function registerServerMessages() {
  for (const locale of locales) registerMessages(locale, { ...catalogs[locale] })
}
