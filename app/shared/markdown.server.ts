import MarkdownIt from 'markdown-it'
import { isUploadedImageUrl } from './uploaded-images'

/**
 * Markdown to HTML, on the server (lessons, briefing packs). Raw HTML is escaped (html: false) and links may only
 * point at http(s), mailto or relative addresses, so a lesson can never carry script into the
 * page even if a content file slips past the content check. Images must be our own uploads
 * (`/media/images/<id>`); any other image is shown as its alt text.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false })
// Fuzzy links would turn Chinese text next to a dotted word into a link; only explicit ones count.
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false })

const SCHEME = /^([a-z][a-z0-9+.-]*):/i
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto'])

export function isSafeLink(url: string) {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").

  const cleaned = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '')
  const scheme = SCHEME.exec(cleaned)
  if (!scheme) return true
  return ALLOWED_SCHEMES.has(scheme[1].toLowerCase())
}

md.validateLink = isSafeLink

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options))
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = tokens[idx].attrGet('href') ?? ''
  if (/^https?:/i.test(href)) {
    tokens[idx].attrSet('target', '_blank')
    tokens[idx].attrSet('rel', 'noopener noreferrer')
  }
  return defaultLinkOpen(tokens, idx, options, env, self)
}

const defaultImage = md.renderer.rules.image ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options))
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]
  if (!isUploadedImageUrl(token.attrGet('src') ?? '')) return md.utils.escapeHtml(self.renderInlineAsText(token.children ?? [], options, env))
  token.attrSet('loading', 'lazy')
  token.attrSet('decoding', 'async')
  return defaultImage(tokens, idx, options, env, self)
}

/**
 * Rendered HTML by source text (decision 064): the lesson page rendered the same text on every
 * view. The output depends on the text alone, so an edited lesson is simply a new key and nothing
 * needs invalidating; the least recently used texts leave once the cache is full.
 */
const rendered = new Map<string, string>()
const CACHED_TEXTS = 500
const CACHED_LENGTH = 200_000

export function renderMarkdown(source: string | null | undefined) {
  if (!source) return ''
  const hit = rendered.get(source)
  if (hit !== undefined) {
    // Most recently used last: Map keeps insertion order.
    rendered.delete(source)
    rendered.set(source, hit)
    return hit
  }
  const html = md.render(source)
  if (source.length <= CACHED_LENGTH) {
    rendered.set(source, html)
    if (rendered.size > CACHED_TEXTS) rendered.delete(rendered.keys().next().value!)
  }
  return html
}

/** How many rendered texts are kept (tests check the bound). */
export const cachedMarkdownCount = () => rendered.size
