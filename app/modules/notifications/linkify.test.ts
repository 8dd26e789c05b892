import { describe, expect, it } from 'vitest'
import { linkify } from './linkify'

describe('linkify', () => {
  it('splits text around http and https links', () => {
    expect(linkify('Open https://genjin.test/invitation/abc_DEF-1 within 7 days:\nhttp://x.test/a?b=1#c')).toEqual([
      { kind: 'text', text: 'Open ' },
      { kind: 'link', href: 'https://genjin.test/invitation/abc_DEF-1' },
      { kind: 'text', text: ' within 7 days:\n' },
      { kind: 'link', href: 'http://x.test/a?b=1#c' },
    ])
  })

  it('leaves sentence punctuation, ASCII or Chinese, outside the link', () => {
    expect(linkify('见 https://genjin.test/x。谢谢')).toEqual([
      { kind: 'text', text: '见 ' },
      { kind: 'link', href: 'https://genjin.test/x' },
      { kind: 'text', text: '。谢谢' },
    ])
    expect(linkify('(see https://genjin.test/y).')).toEqual([
      { kind: 'text', text: '(see ' },
      { kind: 'link', href: 'https://genjin.test/y' },
      { kind: 'text', text: ').' },
    ])
  })

  it('never makes links of other schemes or of markup', () => {
    expect(linkify('javascript:alert(1) data:text/html,<b>x</b>')).toEqual([{ kind: 'text', text: 'javascript:alert(1) data:text/html,<b>x</b>' }])
    expect(linkify('<a href="https://evil.test">x</a>')).toEqual([
      { kind: 'text', text: '<a href="' },
      { kind: 'link', href: 'https://evil.test' },
      { kind: 'text', text: '">x</a>' },
    ])
    expect(linkify('https:// nothing')).toEqual([{ kind: 'text', text: 'https:// nothing' }])
  })
})
