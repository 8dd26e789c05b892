export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; href: string }

// http(s) only: a stored email must never turn into a javascript: or data: link. The address
// is made of the characters RFC 3986 allows, so it stops at "。" or a quote.
const URL_PATTERN = /https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&()*+,;=%]+/g
// Punctuation that ends a sentence rather than the address ("…/invitation/abc." or "（https://…）").
const TRAILING = /[.,;:!?)\]}>'"。，；：！？）】」』]+$/

/** Splits plain text into text and link parts, for rendering links without trusting any HTML. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = []
  let last = 0
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0
    let href = match[0]
    const trailing = href.match(TRAILING)?.[0] ?? ''
    if (trailing) href = href.slice(0, href.length - trailing.length)
    if (!/^https?:\/\/[^/?#]+/.test(href)) continue
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) })
    parts.push({ kind: 'link', href })
    last = start + href.length
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) })
  return parts
}
