import { describe, expect, it } from 'vitest'
import { cachedMarkdownCount, isSafeLink, renderMarkdown } from './markdown.server'

describe('renderMarkdown', () => {
  it('escapes raw HTML instead of passing it through', () => {
    const html = renderMarkdown('Hello <script>alert(1)</script> <img src=x onerror=alert(1)>')
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;script&gt;')
  })

  it('keeps http(s), mailto and relative links, and drops javascript: and data: links', () => {
    const html = renderMarkdown(
      '[a](https://example.com) [b](mailto:hr@example.com) [c](/learn) [d](javascript:alert(1)) [e](JaVa\tScript:alert(1)) [f](data:text/html;base64,xx)',
    )
    expect(html).toContain('<a href="https://example.com" target="_blank" rel="noopener noreferrer">a</a>')
    expect(html).toContain('<a href="mailto:hr@example.com">b</a>')
    expect(html).toContain('<a href="/learn">c</a>')
    expect(html).not.toMatch(/href="(javascript|data)/i)
    expect(html).not.toContain('<a href="JaVa')
  })

  it('turns bare URLs into links but leaves Chinese text alone', () => {
    const html = renderMarkdown('见 https://example.com/guide 和 例如.com 的说明')
    expect(html).toContain('<a href="https://example.com/guide"')
    expect(html).not.toContain('href="http://例如.com"')
  })

  it('renders dialogue blockquotes and bold speakers', () => {
    const html = renderMarkdown('> **王经理：** 小周，进展怎么样？\n>\n> **小周：** 签了一家。')
    expect(html).toContain('<blockquote>')
    expect(html.match(/<p>/g)).toHaveLength(2)
    expect(html).toContain('<strong>王经理：</strong>')
  })

  it('judges link schemes', () => {
    expect(isSafeLink('https://x.test')).toBe(true)
    expect(isSafeLink('../other')).toBe(true)
    expect(isSafeLink('vbscript:msgbox')).toBe(false)
    expect(isSafeLink(' javascript:alert(1)')).toBe(false)
  })

  it('renders a text once, the same HTML each time, and keeps at most 500 texts', () => {
    const before = cachedMarkdownCount()
    const first = renderMarkdown('# Once\n\nA [link](https://example.com) and **bold**.')
    expect(cachedMarkdownCount()).toBe(before + 1)
    expect(renderMarkdown('# Once\n\nA [link](https://example.com) and **bold**.')).toBe(first)
    expect(cachedMarkdownCount()).toBe(before + 1)
    for (let i = 0; i < 700; i++) renderMarkdown(`text ${i}`)
    expect(cachedMarkdownCount()).toBe(500)
    expect(renderMarkdown('text 699')).toBe('<p>text 699</p>\n')
  })
})
