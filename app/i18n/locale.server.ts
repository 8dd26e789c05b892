import { createCookie } from '@remix-run/node'
import { defaultLocale, isLocale, type Locale } from './define'

export const localeCookie = createCookie('genjin_lang', { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86400 })

/** Picks the best supported locale from an Accept-Language header. */
export function fromAcceptLanguage(header: string | null): Locale | null {
  if (!header) return null
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';')
      const q = params.find((p) => p.trim().startsWith('q='))
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 }
    })
    .sort((a, b) => b.q - a.q)
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN'
    if (tag.startsWith('en')) return 'en'
  }
  return null
}

/** The person's saved choice, else this browser's choice, else Accept-Language, else zh-CN. */
export async function resolveLocale(request: Request, user?: { locale: string | null } | null): Promise<Locale> {
  if (user && isLocale(user.locale)) return user.locale
  const cookie = await localeCookie.parse(request.headers.get('Cookie'))
  if (isLocale(cookie)) return cookie
  return fromAcceptLanguage(request.headers.get('Accept-Language')) ?? defaultLocale
}
